// A plain fetch client for the simulator's tests, and waits for its asynchronous work.
import { sign } from 'node:crypto';
import type { EnvKey, Simulator } from '../../simulator/index.js';
import type { TranslationMap, TranslationRecord } from '../../src/api/types.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  legacy?: boolean;
  /** Send no credential. */
  anonymous?: boolean;
}

export async function call(
  sim: Simulator,
  env: EnvKey,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const { apiBase, legacyApiBase } = sim.environments[env];
  const headers: Record<string, string> = options.anonymous ? {} : { apikey: sim.credentials.apiKey };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${options.legacy ? legacyApiBase : apiBase}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `read` until `done` holds, however long a busy machine takes (a fixed 2 s made a 50,000-record
 * assembly fail under load); the test's own timeout ends a wait for what never happens. The pause grows from
 * 5 ms to 100 ms, so that a long wait does not poll hard.
 */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const value = await read();
    if (done(value)) return value;
    await sleep(pause);
  }
}

export async function assembled(sim: Simulator, packageId: string): Promise<Answer> {
  return until(
    () => call(sim, 'preview', 'GET', `/packages/${packageId}`),
    (answer) => answer.json?.data?.status !== 'ASSEMBLING',
  );
}

export async function installed(sim: Simulator, env: EnvKey, installationId: string): Promise<Answer> {
  return until(
    () => call(sim, env, 'GET', `/installations/${installationId}`),
    (answer) => answer.json?.status !== 'INSTALLING',
  );
}

/** POST /packages from preview and wait for the assembly; answers the package id. */
export async function createPackage(
  sim: Simulator,
  objectCollections: unknown,
  status?: string,
  name = 'Test package',
): Promise<string> {
  const created = await call(sim, 'preview', 'POST', '/packages', {
    body: { name, description: 'test', source: sim.environments.preview.url, objectCollections },
  });
  const id: string = created.json.data.id;
  await assembled(sim, id);
  if (status) await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status } });
  return id;
}

/** Every record of a translation map, flattened. */
export function records(
  map: TranslationMap,
): Array<TranslationRecord & { objCode: string; sourceId: string }> {
  return Object.entries(map).flatMap(([objCode, byId]) =>
    Object.entries(byId).map(([sourceId, record]) => ({ objCode, sourceId, ...record })),
  );
}

/** An RS256 JWT signed with the simulator application's key. */
export function signJwt(
  sim: Simulator,
  claims: Record<string, unknown>,
  key = sim.credentials.oauth.privateKeyPem,
) {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

export async function postForm(url: string, fields: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

// Shared by the reliability suites: the release flow (bundled and in-process), credential inputs, and the
// checks every suite makes (nothing changed, nothing leaked).
import { execute } from '../../src/execute.js';
import { readInputs } from '../../src/inputs.js';
import type { Logger } from '../../src/operations/context.js';
import type { OperationResult } from '../../src/result.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { SEED, type EnvKey, type Simulator } from '../../simulator/index.js';
import { runAction, type ActionRun, type RunOptions } from '../e2e/harness.js';
export { visibleText } from '../e2e/harness.js';
import { scratchDir } from '../scratch.js';

export type Inputs = Record<string, string>;

/** A small package the seeds can assemble from Preview. */
export const COLLECTIONS = JSON.stringify([
  { objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] },
]);

export const CREDENTIAL_FORMS = ['api-key', 'session-id', 'workfront-jwt', 'adobe-ims'] as const;
export type CredentialForm = (typeof CREDENTIAL_FORMS)[number];

/** The inputs of a credential form against the simulator, for the environment `env`. */
export function credentialInputs(
  sim: Simulator,
  form: CredentialForm = 'api-key',
  env: EnvKey = 'preview',
): Inputs {
  const { oauth } = sim.credentials;
  switch (form) {
    case 'api-key':
      return { 'api-key': sim.credentials.apiKey };
    case 'session-id':
      return { 'session-id': sim.credentials.sessionId };
    case 'workfront-jwt':
      return {
        'client-id': oauth.clientId,
        'client-secret': oauth.clientSecret,
        'private-key': oauth.privateKeyPem,
        'customer-id': oauth.customerId,
        'user-id': oauth.userId,
        'token-url': `${sim.environments[env].url}/integrations/oauth2/api/v1/jwt/exchange`,
      };
    case 'adobe-ims':
      return {
        'client-id': oauth.clientId,
        'client-secret': oauth.clientSecret,
        scopes: oauth.scopes.join(','),
        'token-url': sim.imsTokenUrl,
      };
  }
}

/** Every secret a form carries: what must never be visible. */
export function secretsOf(sim: Simulator, form: CredentialForm): string[] {
  const { oauth } = sim.credentials;
  if (form === 'api-key') return [sim.credentials.apiKey];
  if (form === 'session-id') return [sim.credentials.sessionId];
  const secrets = [oauth.clientSecret];
  if (form === 'workfront-jwt')
    secrets.push(
      ...oauth.privateKeyPem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')),
    );
  return secrets;
}

export interface Step {
  label: string;
  env: EnvKey;
  inputs: Inputs;
}

/** Object collections of a template of its own in Preview, so that concurrent flows never race on records. */
function ownTemplate(sim: Simulator, name: string): string {
  return JSON.stringify(sim.control.generateTemplates('preview', 1, 2, name).objectCollections);
}

/**
 * The five steps of a release: create, TESTING, install into a sandbox, ACTIVE, install into production. Each
 * release packages a template of its own.
 */
export function releaseSteps(
  sim: Simulator,
  name: string,
  packageId: () => string,
  form: CredentialForm = 'api-key',
): Step[] {
  const collections = ownTemplate(sim, name);
  const common = (env: EnvKey): Inputs => ({
    url: sim.environments[env].url,
    ...credentialInputs(sim, form, env),
    'poll-interval': '1s',
    timeout: '2m',
  });
  return [
    {
      label: 'create',
      env: 'preview',
      inputs: { ...common('preview'), operation: 'create', name, 'object-collections': collections },
    },
    {
      label: 'transition TESTING',
      env: 'preview',
      get inputs() {
        return {
          ...common('preview'),
          operation: 'transition',
          status: 'TESTING',
          'package-id': packageId(),
        };
      },
    },
    {
      label: 'install sandbox',
      env: 'sandbox',
      get inputs() {
        return {
          ...common('sandbox'),
          operation: 'install',
          'environment-kind': 'sandbox',
          'package-id': packageId(),
        };
      },
    },
    {
      label: 'transition ACTIVE',
      env: 'preview',
      get inputs() {
        return { ...common('preview'), operation: 'transition', status: 'ACTIVE', 'package-id': packageId() };
      },
    },
    {
      label: 'install production',
      env: 'production',
      get inputs() {
        return {
          ...common('production'),
          operation: 'install',
          'environment-kind': 'production',
          'package-id': packageId(),
        };
      },
    },
  ];
}

export interface BundledRelease {
  runs: ActionRun[];
  packageId: string;
  /** The first step that did not succeed, if any. */
  failed?: { label: string; run: ActionRun };
}

/** Runs the release with the bundled action, one process per step, stopping at the first failure. */
export async function bundledRelease(
  sim: Simulator,
  name: string,
  form: CredentialForm = 'api-key',
  options: RunOptions = {},
): Promise<BundledRelease> {
  let packageId = '';
  const runs: ActionRun[] = [];
  for (const step of releaseSteps(sim, name, () => packageId, form)) {
    const run = await runAction(step.inputs, options);
    runs.push(run);
    packageId ||= run.outputs['package-id'] ?? '';
    if (run.code !== 0 || run.outputs.outcome !== 'succeeded')
      return { runs, packageId, failed: { label: step.label, run } };
  }
  return { runs, packageId };
}

/** Speeds every wait (poll pauses and retry backoffs) up by `factor`; time itself runs as usual. */
function fastClock(factor: number): Clock {
  return { now: () => Date.now(), sleep: (ms, signal) => systemClock.sleep(ms / factor, signal) };
}

export interface InProcessOptions {
  /** Divides every wait. */
  speed?: number;
  requestTimeoutMs?: number;
  random?: () => number;
}

export interface StepResult {
  result: OperationResult;
  logs: string[];
}

const quietLogger = (logs: string[]): Logger => ({
  info: (message) => void logs.push(message),
  warning: (message) => void logs.push(`warning: ${message}`),
  debug: () => undefined,
  error: (message) => void logs.push(`error: ${message}`),
  group: (_name, fn) => fn(),
});

/** One operation through the real inputs, client (real HTTP) and operations: execute(), as main.ts runs it. */
export async function runInProcess(inputs: Inputs, options: InProcessOptions = {}): Promise<StepResult> {
  const { config, errors } = readInputs((name) => inputs[name] ?? '');
  if (!config) throw new Error(`input errors: ${errors.join('; ')}`);
  const logs: string[] = [];
  const result = await execute(config, {
    clock: fastClock(options.speed ?? 1),
    log: quietLogger(logs),
    version: 'reliability',
    tempDir: scratchDir('reliability'),
    provenance: async () => ({}),
    transport: { requestTimeoutMs: options.requestTimeoutMs, random: options.random },
  });
  return { result, logs };
}

/** The release in-process; stops at the first step that does not succeed. */
export async function inProcessRelease(
  sim: Simulator,
  name: string,
  options: InProcessOptions = {},
): Promise<{ steps: StepResult[]; packageId: string; failed?: { label: string; step: StepResult } }> {
  let packageId = '';
  const steps: StepResult[] = [];
  for (const step of releaseSteps(sim, name, () => packageId)) {
    const done = await runInProcess(step.inputs, options);
    steps.push(done);
    packageId ||= done.result.package?.id ?? '';
    if (done.result.outcome !== 'succeeded')
      return { steps, packageId, failed: { label: step.label, step: done } };
  }
  return { steps, packageId };
}

/** Requests that could change something: anything but GET, except the token endpoints. */
export function changingRequests(sim: Simulator): string[] {
  return sim.log
    .filter((entry) => entry.method !== 'GET' && entry.env !== 'ims' && !entry.path.includes('/jwt/exchange'))
    .map((entry) => `${entry.method} ${entry.path}`);
}

/** Runs `task` over `items` with at most `limit` at a time; answers the results in order. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

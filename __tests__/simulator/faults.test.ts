// Fault injection, the admin endpoints, the request log and the counters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { call, createPackage, installed, postForm, signJwt, until } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 10, installMs: 10, seed: 42 });
});
afterEach(() => sim.control.clearFaults());
afterAll(() => sim.stop());

const GROUP = [{ objCode: 'GROUP', entities: [{ ID: SEED.preview.agencyPartnersGroup }] }];
const newPackage = (name: string) => ({
  name,
  source: sim.environments.preview.url,
  objectCollections: GROUP,
});
const lastEntry = () => sim.log[sim.log.length - 1];

describe('fault kinds', () => {
  it('error: a 5xx with an error body, `times` then gone', async () => {
    sim.control.addFault({ kind: 'error', status: 503, path: '/packages', method: 'GET', times: 2 });
    for (let i = 0; i < 2; i++) {
      const answer = await call(sim, 'preview', 'GET', '/packages');
      expect(answer.status).toBe(503);
      expect(answer.json.error.message).toMatch(/503/);
    }
    expect((await call(sim, 'preview', 'GET', '/packages')).status).toBe(200);
    expect(sim.control.faults()).toEqual([]);
  });

  it('rate-limit: 429 with Retry-After in seconds', async () => {
    sim.control.addFault({ kind: 'rate-limit', retryAfter: 2, times: 1 });
    const answer = await call(sim, 'preview', 'GET', '/packages');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(lastEntry()).toMatchObject({ status: 429, fault: 'rate-limit', landed: false });
  });

  it('latency: answers after the delay', async () => {
    sim.control.addFault({ kind: 'latency', delayMs: 120, times: 1 });
    const started = Date.now();
    expect((await call(sim, 'preview', 'GET', '/packages')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('drop: the connection closes without an answer', async () => {
    sim.control.addFault({ kind: 'drop', times: 1 });
    await expect(call(sim, 'preview', 'GET', '/packages')).rejects.toThrow();
    expect(lastEntry()).toMatchObject({ status: null, fault: 'drop', landed: false });
  });

  it("after: 'respond' drops the answer of a POST that landed", async () => {
    const before = sim.counts().packagesCreated;
    sim.control.addFault({ kind: 'drop', method: 'POST', path: '/packages', after: 'respond', times: 1 });
    await expect(call(sim, 'preview', 'POST', '/packages', { body: newPackage('Landed') })).rejects.toThrow();
    expect(lastEntry()).toMatchObject({ method: 'POST', status: null, fault: 'drop', landed: true });
    expect(sim.counts().packagesCreated).toBe(before + 1);
    expect(sim.store.packages().some((pkg) => pkg.name === 'Landed')).toBe(true);
  });

  it('malformed: not JSON under a JSON content type; after respond, the real answer garbled', async () => {
    sim.control.addFault({ kind: 'malformed', times: 1 });
    const before = await call(sim, 'preview', 'GET', '/packages');
    expect(before.status).toBe(200);
    expect(before.headers.get('content-type')).toMatch(/application\/json/);
    expect(before.json).toBeUndefined();
    expect(before.text).toMatch(/^<html>/);
    sim.control.addFault({ kind: 'malformed', after: 'respond', times: 1 });
    const after = await call(sim, 'preview', 'GET', '/packages');
    expect(after.text.startsWith('{"data":[')).toBe(true);
    expect(after.json).toBeUndefined();
  });

  it('truncated: half the announced body, then the connection closes', async () => {
    sim.control.addFault({ kind: 'truncated', after: 'respond', times: 1 });
    await expect(call(sim, 'preview', 'GET', '/packages')).rejects.toThrow();
    expect(lastEntry()).toMatchObject({ status: 200, fault: 'truncated', landed: true });
  });

  it('hang: no answer until the connection is closed after delayMs', async () => {
    sim.control.addFault({ kind: 'hang', delayMs: 150, times: 1 });
    const started = Date.now();
    await expect(call(sim, 'preview', 'GET', '/packages')).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sim.control.addFault({ kind: 'hang', times: 1 });
    const aborted = fetch(`${sim.environments.preview.apiBase}/packages`, {
      headers: { apikey: sim.credentials.apiKey },
      signal: AbortSignal.timeout(50),
    });
    await expect(aborted).rejects.toThrow();
  });

  it('slow-assembly and slow-install: the work the request starts takes longer', async () => {
    // Each slowed piece of work is compared with one that is not, started after it: when the plain one is
    // done, the slowed one is not. No sleep decides it; the delay only has to outlast a busy machine's gap
    // between the two.
    const SLOW_MS = 2000;
    sim.control.addFault({
      kind: 'slow-assembly',
      method: 'POST',
      path: '/packages',
      delayMs: SLOW_MS,
      times: 1,
    });
    const slow = (await call(sim, 'preview', 'POST', '/packages', { body: newPackage('Slow assembly') })).json
      .data.id;
    const plain = (await call(sim, 'preview', 'POST', '/packages', { body: newPackage('Plain assembly') }))
      .json.data.id;
    await until(
      async () => sim.store.package(plain)?.status,
      (status) => status === 'DRAFT',
    );
    expect(sim.store.package(slow)?.status).toBe('ASSEMBLING');
    await until(
      async () => sim.store.package(slow)?.status,
      (status) => status !== 'ASSEMBLING',
    );
    expect(sim.store.package(slow)?.status).toBe('DRAFT');

    // Two packages of their own records, so that neither installation changes what the other installs.
    const preRunOf = async (name: string) => {
      const { objectCollections } = sim.control.generateTemplates('preview', 1, 1, name);
      const id = await createPackage(sim, objectCollections, 'TESTING', name);
      return (await call(sim, 'sandbox', 'POST', `/packages/${id}/prepare-installation`, { body: {} })).json
        .id as string;
    };
    const [slowRun, plainRun] = [await preRunOf('Slow install'), await preRunOf('Plain install')];
    sim.control.addFault({ kind: 'slow-install', path: /\/install$/, delayMs: SLOW_MS, times: 1 });
    await call(sim, 'sandbox', 'POST', `/installations/${slowRun}/install`, { body: {} });
    await call(sim, 'sandbox', 'POST', `/installations/${plainRun}/install`, { body: {} });
    expect((await installed(sim, 'sandbox', plainRun)).json.status).toBe('INSTALLED');
    expect((await call(sim, 'sandbox', 'GET', `/installations/${slowRun}`)).json.status).toBe('INSTALLING');
    expect((await installed(sim, 'sandbox', slowRun)).json.status).toBe('INSTALLED');
  });
});

describe('fault matching', () => {
  it('filters by env, method and a RegExp path; applies to token endpoints too', async () => {
    sim.control.addFault({
      kind: 'error',
      status: 502,
      env: 'production',
      method: 'GET',
      path: /^\/packages\/[^/]+$/,
    });
    const pkg = sim.control.makePackage({ objectCollections: GROUP });
    expect((await call(sim, 'production', 'GET', `/packages/${pkg.id}`)).status).toBe(502);
    expect((await call(sim, 'production', 'GET', `/packages/${pkg.id}`, { legacy: true })).status).toBe(502);
    expect((await call(sim, 'preview', 'GET', `/packages/${pkg.id}`)).status).toBe(200);
    expect((await call(sim, 'production', 'GET', `/packages/${pkg.id}/definition`)).status).toBe(200);
    expect((await call(sim, 'production', 'GET', '/packages')).status).toBe(200);

    sim.control.addFault({ kind: 'error', status: 504, env: 'ims', times: 1 });
    const { clientId, clientSecret, scopes } = sim.credentials.oauth;
    const form = {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: scopes.join(','),
    };
    expect((await postForm(sim.imsTokenUrl, form)).status).toBe(504);
    expect((await postForm(sim.imsTokenUrl, form)).status).toBe(200);
  });

  it('draws probabilities from the seeded PRNG: the same seed, the same hits', async () => {
    const pattern = async (target: Simulator) => {
      target.control.addFault({ kind: 'error', status: 500, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await call(target, 'preview', 'GET', '/packages')).status);
      target.control.clearFaults();
      return statuses;
    };
    const twin = await startSimulator({ seed: 42 });
    try {
      const [mine, theirs] = [await pattern(sim), await pattern(twin)];
      expect(mine).toEqual(theirs);
      expect(mine.filter((status) => status === 500).length).toBeGreaterThan(2);
      expect(mine.filter((status) => status === 200).length).toBeGreaterThan(2);
    } finally {
      await twin.stop();
    }
  });
});

describe('admin endpoints', () => {
  const admin = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${sim.environments.sandbox.url}/__simulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('adds, shows and clears faults; refuses a bad rule', async () => {
    const added = await admin('/faults', 'POST', {
      kind: 'error',
      status: 503,
      pathPattern: '^/installations',
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ id: expect.any(Number) });
    expect((await call(sim, 'preview', 'GET', '/installations/x')).status).toBe(503);
    const state = (await (await admin('/state')).json()) as {
      faults: unknown[];
      environments: Record<string, { url: string }>;
      records: Record<string, number>;
    };
    expect(state.faults).toEqual([
      expect.objectContaining({ kind: 'error', pathPattern: new RegExp('^/installations').source, hits: 1 }),
    ]);
    expect(state.environments.production.url).toBe(sim.environments.production.url);
    expect(state.records.preview).toBeGreaterThan(50);
    expect((await admin('/faults', 'DELETE')).status).toBe(200);
    expect((await call(sim, 'preview', 'GET', '/installations/x')).status).toBe(404);
    const bad = await admin('/faults', 'POST', { kind: 'explode' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /kind must be one of/,
    );
  });

  it('serves the log and sets options', async () => {
    const since = lastEntry().seq;
    await call(sim, 'preview', 'GET', '/packages');
    const entries = await (await admin(`/log?since=${since}`)).json();
    expect(entries).toEqual([expect.objectContaining({ method: 'GET', env: 'preview', status: 200 })]);
    const options = await admin('/options', 'POST', { completedWord: 'COMPLETED' });
    expect(await options.json()).toMatchObject({ completedWord: 'COMPLETED' });
    expect(sim.settings.completedWord).toBe('COMPLETED');
    await admin('/options', 'POST', { completedWord: 'INSTALLED' });
    expect((await admin('/options', 'POST', { colour: 'red' })).status).toBe(400);
  });
});

describe('request log and counters', () => {
  it('never stores a credential', async () => {
    const { apiKey, sessionId, bearerToken, oauth } = sim.credentials;
    await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers: { ApiKey: apiKey } });
    await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers: { SessionID: sessionId } });
    await call(sim, 'preview', 'GET', '/packages', {
      anonymous: true,
      headers: { Authorization: `Bearer ${bearerToken}` },
    });
    const jwt = signJwt(sim, {
      iss: oauth.customerId,
      sub: oauth.userId,
      exp: Math.floor(Date.now() / 1000) + 300,
    });
    const exchange = await postForm(
      `${sim.environments.preview.url}/integrations/oauth2/api/v1/jwt/exchange`,
      {
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        jwt_token: jwt,
      },
    );
    await call(sim, 'preview', 'GET', '/packages', {
      anonymous: true,
      headers: { sessionID: exchange.json.access_token as string },
    });
    const text = JSON.stringify(sim.log);
    for (const secret of [
      apiKey,
      sessionId,
      bearerToken,
      oauth.clientSecret,
      jwt,
      exchange.json.access_token as string,
    ])
      expect(text).not.toContain(secret);
    const recent = sim.log.slice(-5);
    expect(recent[0].headers.apikey).toBe('[REDACTED]');
    expect(recent[2].headers.authorization).toBe('Bearer [REDACTED]');
    expect(recent[3]).toMatchObject({
      path: '/integrations/oauth2/api/v1/jwt/exchange',
      body: { client_id: oauth.clientId, client_secret: '[REDACTED]', jwt_token: '[REDACTED]' },
      status: 200,
    });
  });

  it('counts packages created, pre-runs and installations started, and shows duplicates', async () => {
    const before = sim.counts();
    await call(sim, 'preview', 'POST', '/packages', { body: newPackage('Twice') });
    await call(sim, 'preview', 'POST', '/packages', { body: newPackage('Twice') });
    const pkg = sim.control.makePackage({ objectCollections: GROUP, status: 'TESTING' });
    const map = (await call(sim, 'sandbox', 'POST', `/packages/${pkg.id}/translation-map`)).json;
    for (let i = 0; i < 2; i++)
      await call(sim, 'sandbox', 'POST', `/packages/${pkg.id}/install`, { body: { translationMap: map } });
    await call(sim, 'sandbox', 'POST', `/packages/${pkg.id}/prepare-installation`, { body: {} });
    const after = sim.counts();
    expect(after.packagesCreated - before.packagesCreated).toBe(2);
    expect(after.duplicatePackageNames).toContain('Twice');
    expect(after.installationsStarted - before.installationsStarted).toBe(2);
    expect(after.preRuns - before.preRuns).toBe(1);
    expect(after.repeatedInstallTargets).toContain(`${pkg.id}@${sim.environments.sandbox.host}`);
    expect(
      sim.log.filter((entry) => entry.method === 'POST' && entry.path.endsWith(`${pkg.id}/install`)),
    ).toHaveLength(2);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { systemClock } from '../../src/clock.js';
import {
  expectNoLeaks,
  failure,
  fakeClock,
  startServer,
  testClient,
  type Reply,
  type TestServer,
} from './helpers.js';

let server: TestServer;
afterEach(async () => {
  await server?.close();
  expectNoLeaks();
});

const PACKAGE_BODY = { name: 'Release 7', source: 'https://acme.sb01.workfront.com', objectCollections: [] };
const MAP = {
  GROUP: { g1: { name: 'Default Group', action: 'USEEXISTING', isValid: true, targetId: 'g9' } },
};
const unavailable: Reply = { status: 503, body: 'Service Unavailable' };

describe('retries', () => {
  it.each([408, 429, 500, 502, 503, 504])(
    'retries a GET answered %i, logging each retry once',
    async (status) => {
      server = await startServer({ 'GET /packages': [{ status }, { status }, { body: { data: [] } }] });
      const { client, clock, logs } = testClient(server);
      expect(await client.listPackages()).toEqual([]);
      expect(server.requests).toHaveLength(3);
      // Full jitter with random() = 0.5: half of 1 s, then half of 2 s.
      expect(clock.slept).toEqual([500, 1000]);
      const retries = logs.filter((l) => l.level === 'info');
      expect(retries.map((l) => l.message)).toEqual([
        expect.stringMatching(new RegExp(`^GET /packages answered ${status}\\b.*; retry 1 of 3 in 0\\.5 s$`)),
        expect.stringMatching(/; retry 2 of 3 in 1\.0 s$/),
      ]);
    },
  );

  it.each([400, 401, 403, 404, 409, 422])('never retries a %i', async (status) => {
    server = await startServer({ 'GET /packages/p1': { status } });
    const { client, clock } = testClient(server);
    await failure(client.getPackage('p1'));
    expect(server.requests).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });

  it('stops after maxRetries with the count in the error', async () => {
    server = await startServer({ 'GET /packages': unavailable });
    const { client, clock } = testClient(server, { maxRetries: 2 });
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'transient', status: 503, attempts: 3, retryable: false });
    expect(error.message).toMatch(
      /^GET \/packages answered 503 Service Unavailable: Service Unavailable \(gave up after 3 attempts\)\. Hint: Workfront failed on its side/,
    );
    expect(server.requests).toHaveLength(3);
    expect(clock.slept).toHaveLength(2);
  });

  it('grows the backoff exponentially up to its cap, jitter drawn from random()', async () => {
    server = await startServer({ 'GET /packages': unavailable });
    const { client, clock } = testClient(server, {
      maxRetries: 6,
      random: () => 1,
      baseDelayMs: 100,
      maxDelayMs: 1000,
    });
    await failure(client.listPackages());
    expect(clock.slept).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const start = Math.ceil(Date.now() / 1000) * 1000;
    const clock = fakeClock(start);
    server = await startServer({
      'GET /packages': [
        { status: 429, headers: { 'Retry-After': '7' } },
        { status: 503, headers: { 'Retry-After': new Date(start + 7000 + 12_000).toUTCString() } },
        { body: [] },
      ],
    });
    const { client } = testClient(server, { clock });
    await client.listPackages();
    expect(clock.slept).toEqual([7000, 12_000]);
  });

  it('never sleeps past the deadline', async () => {
    server = await startServer({ 'GET /packages': unavailable });
    const clock = fakeClock();
    const deadline = clock.now() + 1200;
    const { client } = testClient(server, { clock, deadline, maxRetries: 10 });
    const error = await failure(client.listPackages());
    // 500 fits, then 1000 would end past the deadline.
    expect(clock.slept).toEqual([500]);
    expect(error).toMatchObject({ kind: 'transient', attempts: 2 });
    expect(error.message).toContain('a retry in 1.0 s would end past the deadline');
    expect(error.details.pastDeadline).toBe(true);
  });

  it('gives up at once when Retry-After goes past the deadline', async () => {
    server = await startServer({ 'GET /packages': { status: 429, headers: { 'Retry-After': '120' } } });
    const clock = fakeClock();
    const { client } = testClient(server, {
      clock,
      deadline: clock.now() + 60_000,
    });
    const error = await failure(client.listPackages());
    expect(clock.slept).toEqual([]);
    expect(error.message).toContain(
      'answered 429 Too Many Requests; a retry in 120 s would end past the deadline',
    );
    expect(error.hint).toMatch(/concurrent API requests/);
  });

  it('sends nothing once the deadline has passed', async () => {
    server = await startServer({ 'GET /packages': { body: [] } });
    const clock = fakeClock();
    const { client } = testClient(server, { clock, deadline: clock.now() - 1 });
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(error.message).toMatch(/was not sent: the deadline has passed\. Hint: .*raise timeout/);
    expect(server.requests).toHaveLength(0);
  });

  it('retries a dropped connection on GET, PUT, PATCH and DELETE', async () => {
    const dropOnce = (body: unknown): Reply[] => [{ drop: true }, { body }];
    server = await startServer({
      'GET /packages/p1': dropOnce({ id: 'p1' }),
      'PUT /packages/p1': dropOnce({ data: { id: 'p1' } }),
      'PATCH /packages/p1': dropOnce({ data: { id: 'p1' } }),
      'DELETE /packages/p1': dropOnce('Deleted'),
    });
    const { client, logs } = testClient(server);
    await client.getPackage('p1');
    await client.replacePackage('p1', { name: 'n' });
    await client.updatePackage('p1', { name: 'n' });
    await client.deletePackage('p1');
    // The DELETE is sent again only after a read shows the package still there.
    expect(server.requests.map((r) => r.method)).toEqual([
      ...['GET', 'GET', 'PUT', 'PUT', 'PATCH', 'PATCH'],
      ...['DELETE', 'GET', 'DELETE'],
    ]);
    expect(
      logs
        .filter((l) => l.level === 'info')
        .every((l) => /failed: socket hang up \(ECONNRESET\)/.test(l.message)),
    ).toBe(true);
  });

  it('repeats pre-run and translation-map POSTs without a lookup', async () => {
    server = await startServer({
      'POST /packages/p1/prepare-installation': [unavailable, { body: { id: 'i1', status: 'PREPARING' } }],
      'POST /packages/p1/translation-map': [{ drop: true }, { status: 202, body: MAP }],
    });
    const { client } = testClient(server);
    expect(await client.prepareInstallation('p1')).toEqual({ id: 'i1', status: 'PREPARING' });
    expect(await client.createTranslationMap('p1')).toEqual(MAP);
    expect(server.requests.map((r) => `${r.method} ${r.url.split('/').slice(-1)[0]}`)).toEqual([
      'POST prepare-installation',
      'POST prepare-installation',
      'POST translation-map',
      'POST translation-map',
    ]);
  });
});

describe('timeouts and cancellation', () => {
  it('times each request out and retries it', async () => {
    server = await startServer({ 'GET /packages': [{ delayMs: 1000, body: [] }, { body: [{ id: 'a' }] }] });
    const { client, logs } = testClient(server, { requestTimeoutMs: 100 });
    expect(await client.listPackages()).toEqual([{ id: 'a' }]);
    expect(logs.find((l) => l.level === 'info')?.message).toMatch(
      /^GET \/packages timed out after 0\.1 s; retry 1/,
    );
  });

  it('reports a request that keeps timing out as kind timeout', async () => {
    server = await startServer({ 'GET /packages': { delayMs: 1000, body: [] } });
    const { client } = testClient(server, { requestTimeoutMs: 50, maxRetries: 1 });
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'timeout', attempts: 2 });
    expect(error.message).toMatch(
      /^GET \/packages timed out after 0\.1 s \(gave up after 2 attempts\)\. Hint: /,
    );
  });

  it('cuts a request short at the deadline', async () => {
    server = await startServer({ 'GET /packages': { delayMs: 1000, body: [] } });
    const started = Date.now();
    const { client } = testClient(server, {
      clock: systemClock,
      requestTimeoutMs: 5000,
      deadline: Date.now() + 150,
    });
    expect(await failure(client.listPackages())).toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('cancels a request in flight promptly', async () => {
    server = await startServer({ 'GET /packages': { delayMs: 3000, body: [] } });
    const controller = new AbortController();
    const { client } = testClient(server, { signal: controller.signal });
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'cancelled', method: 'GET', path: '/packages' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('cancels a sleep between retries promptly, even with a sleep that ignores the signal', async () => {
    const controller = new AbortController();
    // Cancelled once the first attempt is answered (a fixed 50 ms came before the first request on a busy machine).
    server = await startServer({
      'GET /packages': () => {
        setTimeout(() => controller.abort(), 50);
        return unavailable;
      },
    });
    const { client } = testClient(server, {
      signal: controller.signal,
      clock: { now: Date.now, sleep: () => new Promise<void>(() => undefined) },
    });
    expect(await failure(client.listPackages())).toMatchObject({ kind: 'cancelled' });
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when already cancelled', async () => {
    server = await startServer({ 'GET /packages': { body: [] } });
    const { client } = testClient(server, { signal: AbortSignal.abort() });
    expect(await failure(client.listPackages())).toMatchObject({ kind: 'cancelled' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('a POST that may have landed is looked up, not sent again blindly', () => {
  /** Finds what was not in the list before the POST, as the operations' lookups do (operations/landed.ts). */
  const newPackage = (client: ReturnType<typeof testClient>['client'], before: string[]) => ({
    withinMs: 0,
    find: async () =>
      (await client.listPackages()).find((p) => p.name === 'Release 7' && !before.includes(p.id)),
  });

  it('create: the response is dropped after the server created the package; the lookup finds it', async () => {
    const created: Record<string, unknown>[] = [];
    server = await startServer({
      'POST /packages': () => {
        created.push({ id: `new-${created.length + 1}`, name: 'Release 7', status: 'ASSEMBLING' });
        return { drop: true };
      },
      'GET /packages': () => ({ body: { data: [{ id: 'old', name: 'Release 7' }, ...created] } }),
    });
    const { client, logs } = testClient(server);
    expect(await client.createPackage(PACKAGE_BODY, newPackage(client, ['old']))).toMatchObject({
      id: 'new-1',
      status: 'ASSEMBLING',
    });
    expect(server.sent('POST /packages')).toHaveLength(1);
    expect(logs.map((l) => l.message)).toContainEqual(
      'POST /packages: the earlier attempt landed; not sending it again',
    );
  });

  it('create: a 503 (refused before any processing) is sent again without a lookup', async () => {
    server = await startServer({
      'POST /packages': [unavailable, { body: { data: { id: 'p2', name: 'Release 7' } } }],
    });
    const { client } = testClient(server);
    expect(await client.createPackage(PACKAGE_BODY, newPackage(client, []))).toMatchObject({ id: 'p2' });
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('create: when the lookup finds nothing new, the POST is sent again', async () => {
    server = await startServer({
      'POST /packages': [{ status: 502 }, { body: { data: { id: 'p2', name: 'Release 7' } } }],
      'GET /packages': { body: { data: [{ id: 'old', name: 'Release 7' }] } },
    });
    const { client } = testClient(server);
    expect(await client.createPackage(PACKAGE_BODY, newPackage(client, ['old']))).toMatchObject({ id: 'p2' });
    expect(server.sent('POST /packages')).toHaveLength(2);
    expect(server.sent('GET /packages')).toHaveLength(1);
  });

  it('create: an answer without a readable id is recovered by the lookup', async () => {
    server = await startServer({
      'POST /packages': { body: '<html>Created</html>' },
      'GET /packages': { body: [{ id: 'p3', name: 'Release 7' }] },
    });
    const { client, logs } = testClient(server);
    expect(await client.createPackage(PACKAGE_BODY, newPackage(client, []))).toMatchObject({ id: 'p3' });
    expect(server.sent('POST /packages')).toHaveLength(1);
    expect(logs.some((l) => l.level === 'warning' && l.message.includes('found its result by lookup'))).toBe(
      true,
    );
  });

  it('create: an unreadable answer with nothing to find is a quoted error', async () => {
    server = await startServer({
      'POST /packages': { body: '<html>Created</html>' },
      'GET /packages': { body: [] },
    });
    const { client } = testClient(server);
    const error = await failure(client.createPackage(PACKAGE_BODY, newPackage(client, [])));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('"<html>Created</html>"');
  });

  it('install with a map: a lost answer is looked up, and the installation found is the one answered', async () => {
    let started = false;
    server = await startServer({
      'POST /packages/p1/install': () => {
        started = true;
        return { drop: true };
      },
      'GET /installations': () => ({ body: started ? [{ id: 'mine', status: 'INSTALLING' }] : [] }),
    });
    const { client } = testClient(server);
    const lookup = { withinMs: 0, find: async () => (await client.listInstallations('p1'))[0]?.id };
    expect(await client.installPackage('p1', MAP, lookup)).toBe('mine');
    expect(server.sent('POST /packages/p1/install')).toHaveLength(1);
    expect(server.sent('GET /installations')[0].url).toMatch(/environmentPromotionPackageId=p1$/);
  });

  it('install with a map: nothing found, so it is sent again', async () => {
    server = await startServer({
      'POST /packages/p1/install': [{ status: 502 }, { status: 202, body: 'b6aa0af8' }],
      'GET /installations': { body: [] },
    });
    const { client } = testClient(server);
    const lookup = { withinMs: 0, find: async () => (await client.listInstallations('p1'))[0]?.id };
    expect(await client.installPackage('p1', MAP, lookup)).toBe('b6aa0af8');
    expect(server.sent('POST /packages/p1/install')).toHaveLength(2);
  });

  it('install of a pre-run: not sent again once the installation left PREPARING', async () => {
    server = await startServer({
      'POST /installations/i1/install': { drop: true },
      'GET /installations/i1': { body: { id: 'i1', status: 'INSTALLING' } },
    });
    const { client } = testClient(server);
    await client.installInstallation('i1');
    expect(server.sent('POST /installations/i1/install')).toHaveLength(1);
  });

  it('install of a pre-run: sent again while it is still PREPARING', async () => {
    server = await startServer({
      'POST /installations/i1/install': [{ status: 500 }, { status: 202, body: {} }],
      'GET /installations/i1': { body: { id: 'i1', status: 'PREPARING' } },
    });
    const { client } = testClient(server);
    await client.installInstallation('i1');
    expect(server.sent('POST /installations/i1/install')).toHaveLength(2);
  });

  it('create: when the lookup fails, the outcome is unknown and nothing is sent again', async () => {
    server = await startServer({ 'POST /packages': { drop: true }, 'GET /packages': { status: 403 } });
    const { client } = testClient(server);
    const error = await failure(client.createPackage(PACKAGE_BODY, newPackage(client, [])));
    expect(error).toMatchObject({ method: 'POST', path: '/packages', kind: 'transient' });
    expect(error.message).toMatch(
      /^POST \/packages failed: .*, and whether it took effect is unknown: GET \/packages answered 403 Forbidden\. Hint: the request may have reached Workfront/,
    );
    expect(server.sent('POST /packages')).toHaveLength(1);
  });

  it('a 4xx on create is never retried nor looked up', async () => {
    server = await startServer({
      'POST /packages': { status: 400, body: { message: 'objCode XYZ is not promotable' } },
    });
    const { client } = testClient(server);
    const error = await failure(client.createPackage(PACKAGE_BODY, newPackage(client, [])));
    expect(error.message).toMatch(
      /POST \/packages answered 400 Bad Request: objCode XYZ is not promotable\. Hint: check object-collections/,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('lost and unreadable answers to writes', () => {
  it('a lookup is repeated for as long as the effect may take to show, then the POST is not sent again', async () => {
    let lookups = 0;
    server = await startServer({
      'POST /packages': { drop: true },
      // The new package shows in the list only from the fourth lookup on.
      'GET /packages': () => ({ body: { data: ++lookups >= 4 ? [{ id: 'late', name: 'Release 7' }] : [] } }),
    });
    const { client, logs } = testClient(server);
    const lookup = {
      withinMs: 30_000,
      find: async () => (await client.listPackages()).find((p) => p.name === 'Release 7'),
    };
    expect(await client.createPackage(PACKAGE_BODY, lookup)).toMatchObject({ id: 'late' });
    expect(server.sent('POST /packages')).toHaveLength(1);
    expect(lookups).toBe(4);
    expect(logs.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^POST \/packages: not found yet; looking again for up to 30 s/),
    );
  });

  it('a lookup that finds nothing within its window lets the POST be sent again', async () => {
    server = await startServer({
      'POST /packages/p1/prepare-installation': [{ drop: true }, { body: { id: 'i2', status: 'PREPARING' } }],
      'GET /installations': { body: [] },
    });
    const { client } = testClient(server);
    const lookup = { withinMs: 10_000, find: async () => (await client.listInstallations('p1'))[0] };
    expect(await client.prepareInstallation('p1', lookup)).toMatchObject({ id: 'i2' });
    expect(server.sent('POST /packages/p1/prepare-installation')).toHaveLength(2);
    // 1 s, 2 s, 4 s, then the rest of the 10 s: five lookups, none after the window.
    expect(server.sent('GET /installations')).toHaveLength(5);
  });

  it('a lookup that fails past its own retries is made again while the window lasts, and finds the effect', async () => {
    server = await startServer({
      'POST /packages': { drop: true },
      // The first lookup meets 503 on every attempt (1 + 1 retry); the next one finds the package.
      'GET /packages': [unavailable, unavailable, { body: { data: [{ id: 'p7', name: 'Release 7' }] } }],
    });
    const { client, logs } = testClient(server, { maxRetries: 1 });
    const lookup = {
      withinMs: 30_000,
      find: async () => (await client.listPackages()).find((p) => p.name === 'Release 7'),
    };
    expect(await client.createPackage(PACKAGE_BODY, lookup)).toMatchObject({ id: 'p7' });
    expect(server.sent('POST /packages')).toHaveLength(1);
    expect(server.sent('GET /packages')).toHaveLength(3);
    expect(logs.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^POST \/packages: the lookup GET \/packages answered 503 .*; looking again$/),
    );
  });

  it('cancelled while a garbled answer is looked up: it may have landed, and the error says so', async () => {
    const controller = new AbortController();
    server = await startServer({
      'POST /packages': { body: '<html>Created</html>' },
      'GET /packages': unavailable,
    });
    // The lookup fails; the step is cancelled during the pause before it looks again.
    const clock = { now: () => Date.now(), sleep: async () => controller.abort() };
    const { client } = testClient(server, { maxRetries: 0, signal: controller.signal, clock });
    const lookup = { withinMs: 30_000, find: async () => (await client.listPackages())[0] };
    const error = await failure(client.createPackage(PACKAGE_BODY, lookup));
    expect(error).toMatchObject({ kind: 'cancelled', mayHaveLanded: true });
    expect(error.message).toMatch(/it may have landed/);
    expect(server.sent('POST /packages')).toHaveLength(1);
  });

  it('when the window ends on a failed lookup, the outcome is unknown and nothing is sent again', async () => {
    server = await startServer({ 'POST /packages': { drop: true }, 'GET /packages': unavailable });
    const { client } = testClient(server, { maxRetries: 1 });
    const lookup = {
      withinMs: 10_000,
      find: async () => (await client.listPackages()).find((p) => p.name === 'Release 7'),
    };
    const error = await failure(client.createPackage(PACKAGE_BODY, lookup));
    expect(error.message).toMatch(/whether it took effect is unknown: GET \/packages answered 503/);
    expect(server.sent('POST /packages')).toHaveLength(1);
  });

  it('a pre-run whose answer is lost is not sent again without a lookup', async () => {
    server = await startServer({ 'POST /packages/p1/prepare-installation': { drop: true } });
    const { client } = testClient(server);
    expect(await failure(client.prepareInstallation('p1'))).toMatchObject({ kind: 'transient' });
    expect(server.requests).toHaveLength(1);
  });

  it('DELETE whose answer is lost: a read answering 404 shows it deleted', async () => {
    server = await startServer({
      'DELETE /packages/p1': { drop: true },
      'GET /packages/p1': { status: 404, body: { error: { message: 'Package p1 not found' } } },
    });
    const { client, logs } = testClient(server);
    await expect(client.deletePackage('p1')).resolves.toBeUndefined();
    expect(server.sent('DELETE /packages/p1')).toHaveLength(1);
    expect(logs.map((l) => l.message)).toContainEqual(
      'DELETE /packages/p1: the earlier attempt landed; not sending it again',
    );
  });

  it.each([
    [
      'DELETE',
      () => client().deletePackage('p1'),
      'DELETE /packages/p1',
      'GET /packages/p1',
      { body: { id: 'p1' } },
    ],
    [
      'install',
      () => client().installInstallation('i1'),
      'POST /installations/i1/install',
      'GET /installations/i1',
      { body: { id: 'i1', status: 'PREPARING' } },
    ],
  ])(
    '%s answered 200 with an HTML page: checked, and a failure when it took no effect',
    async (_n, call, route, read, reply) => {
      server = await startServer({ [route]: { body: '<html><body>Sign in</body></html>' }, [read]: reply });
      const error = await failure(call());
      expect(error.kind).toBe('malformed');
      expect(error.message).toMatch(/a lookup found no effect of it/);
      expect(server.sent(read)).toHaveLength(1);
    },
  );

  it('install answered 200 with an HTML page, but started: taken as started after the check', async () => {
    server = await startServer({
      'POST /installations/i1/install': { body: '<html>ok</html>' },
      'GET /installations/i1': { body: { id: 'i1', status: 'INSTALLING' } },
    });
    await expect(client().installInstallation('i1')).resolves.toBeUndefined();
  });
});

function client() {
  return testClient(server).client;
}

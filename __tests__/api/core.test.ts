// The core-API client (names, target ids) against a scripted server: the documented paths and parameters, every
// answer shape, errors, the credential header, and no credential in a query string.
import { afterEach, describe, expect, it } from '@jest/globals';
import { coreObjCode, mapLimit, normaliseCoreApiVersion } from '../../src/api/core.js';
import { expectNoLeaks, failure, startServer, testClient, type Script, type TestServer } from './helpers.js';

let server: TestServer;
afterEach(async () => {
  await server?.close();
  expectNoLeaks();
});

const V = '/attask/api/v21.0';
const TMPL = { ID: '6419b8b9001151ee258921a4f7597bb2', name: 'New Agency Onboarding', objCode: 'TMPL' };
const OTHER = { ID: '6419b8b9001151ee258921a4f7597bc3', name: 'New Agency Offboarding', objCode: 'TMPL' };

async function core(routes: Record<string, Script>, version?: string) {
  server = await startServer(routes);
  const test = testClient(server);
  return { ...test, core: test.client.core(version) };
}

const query = (url: string) => new URL(url, 'http://x').searchParams;

describe('requests', () => {
  it('searches by exact case-insensitive name with the documented parameters and the credential header', async () => {
    const { core: api } = await core({ [`GET ${V}/TMPL/search`]: { body: { data: [TMPL] } } });
    expect(await api.search('tmpl', 'new agency onboarding', { limit: 11 })).toEqual([TMPL]);
    const [sent] = server.requests;
    expect(sent.url.split('?')[0]).toBe(`${V}/TMPL/search`);
    expect(Object.fromEntries(query(sent.url))).toEqual({
      name: 'new agency onboarding',
      name_Mod: 'cieq',
      fields: 'ID,name',
      $$LIMIT: '11',
    });
    // Spaces as %20, not +: the name arrives as written whatever decodes it.
    expect(sent.url).toContain('name=new%20agency%20onboarding');
    expect(sent.url).toContain('&$$LIMIT=11');
    expect(sent.headers.apikey).toBe('key-SECRET-0001');
    expect(sent.headers['user-agent']).toMatch(/^workfront-promotion-action\//);
    expect(sent.url.toLowerCase()).not.toContain('apikey');
    expect(sent.url).not.toContain('SECRET');
  });

  it('sends a session or bearer credential as a header too, never in the query', async () => {
    server = await startServer({ [`GET ${V}/GROUP/search`]: { body: { data: [] } } });
    for (const auth of [
      { kind: 'session-id', sessionId: 'session-SECRET-2' } as const,
      { kind: 'bearer-token', token: 'token-SECRET-3' } as const,
    ]) {
      await testClient(server, { auth }).client.core().search('GROUP', 'x');
    }
    const [session, bearer] = server.requests;
    expect(session.headers.sessionid).toBe('session-SECRET-2');
    expect(bearer.headers.authorization).toBe('Bearer token-SECRET-3');
    for (const sent of server.requests) expect(sent.url).not.toMatch(/SECRET|apikey|sessionid/i);
  });

  it('searches a team as TEAMOB, pages with $$FIRST sorted by ID, counts, and reads by id', async () => {
    const { core: api } = await core({
      [`GET ${V}/TEAMOB/search`]: { body: { data: [{ ID: 't1', name: 'Web team' }] } },
      [`GET ${V}/TMPL/count`]: { body: { data: { count: 12 } } },
      [`GET ${V}/GROUP/g1`]: { body: { data: { ID: 'g1', name: 'Campaign Ops', objCode: 'GROUP' } } },
    });
    expect(await api.search('TEAM', 'web', { mode: 'cicontains', first: 100, limit: 100 })).toEqual([
      { ID: 't1', name: 'Web team' },
    ]);
    expect(await api.count('TMPL', 'Agency', 'cicontains')).toBe(12);
    expect(await api.get('GROUP', 'g1')).toEqual({ ID: 'g1', name: 'Campaign Ops', objCode: 'GROUP' });
    const [search, count, get] = server.requests.map((r) => Object.fromEntries(query(r.url)));
    expect(search).toMatchObject({ name_Mod: 'cicontains', $$FIRST: '100', ID_Sort: 'asc', $$LIMIT: '100' });
    expect(count).toEqual({ name: 'Agency', name_Mod: 'cicontains' });
    expect(get).toEqual({ fields: 'ID,name' });
  });

  it('uses the version it is given, and the origin of another environment', async () => {
    server = await startServer({ 'GET /attask/api/v19.0/PTLTAB/search': { body: { data: [] } } });
    const other = testClient({ ...server, origin: 'http://127.0.0.1:1' }).client;
    await other.core('v19.0', server.origin).search('PTLTAB', 'x');
    expect(server.requests.map((r) => r.url.split('?')[0])).toEqual(['/attask/api/v19.0/PTLTAB/search']);
  });

  it('sends nothing for an objCode that is none, or an address longer than Workfront accepts', async () => {
    const { core: api } = await core({});
    expect((await failure(api.search('TM/PL', 'x'))).message).toMatch(
      /was not sent: "TM\/PL" is not an objCode/,
    );
    expect((await failure(api.search('TMPL', 'é'.repeat(3000)))).message).toMatch(/8892 bytes/);
    // An id that no object can have is not put into a path: nothing of that id exists.
    expect(await api.get('GROUP', '../packages')).toBeUndefined();
    expect(server.requests).toEqual([]);
  });
});

describe('answer shapes', () => {
  it.each<[string, unknown, unknown[]]>([
    ['{data: [...]}', { data: [TMPL, OTHER] }, [TMPL, OTHER]],
    ['a bare list', [TMPL], [TMPL]],
    ['one object under data', { data: TMPL }, [TMPL]],
    ['a bare object', TMPL, [TMPL]],
    ['an empty list', { data: [] }, []],
    ['data null', { data: null }, []],
    ['an empty object', {}, []],
    ['an empty body', '', []],
    ['lower-case id', { data: [{ id: TMPL.ID, name: TMPL.name }] }, [{ ID: TMPL.ID, name: TMPL.name }]],
    ['an object without name', { data: [{ ID: 'x1' }] }, [{ ID: 'x1' }]],
  ])('search reads %s', async (_shape, body, expected) => {
    const { core: api } = await core({ [`GET ${V}/TMPL/search`]: { body } });
    expect(await api.search('TMPL', 'n')).toEqual(expected);
  });

  it.each<[string, unknown, unknown]>([
    ['{data: {...}}', { data: TMPL }, TMPL],
    ['a bare object', TMPL, TMPL],
    ['a one-item list', { data: [TMPL] }, TMPL],
    ['data null', { data: null }, undefined],
  ])('get reads %s', async (_shape, body, expected) => {
    const { core: api } = await core({ [`GET ${V}/TMPL/${TMPL.ID}`]: { body } });
    expect(await api.get('TMPL', TMPL.ID)).toEqual(expected);
  });

  it.each<[string, unknown, number]>([
    ['{data: {count}}', { data: { count: 3 } }, 3],
    ['bare {count}', { count: 4 }, 4],
    ['{data: N}', { data: 5 }, 5],
    ['a count as text', { data: { count: '6' } }, 6],
  ])('count reads %s', async (_shape, body, expected) => {
    const { core: api } = await core({ [`GET ${V}/TMPL/count`]: { body } });
    expect(await api.count('TMPL', 'n')).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['an HTML page', '<html><title>Sign in</title></html>'],
    ['an item without ID', { data: [{ name: 'x' }] }],
    ['an ID that is no id', { data: [{ ID: '../../x', name: 'x' }] }],
    ['a list of strings', { data: ['a'] }],
  ])('refuses %s as malformed', async (_shape, body) => {
    const { core: api } = await core({ [`GET ${V}/TMPL/search`]: { body } });
    const error = await failure(api.search('TMPL', 'n'));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/^GET \/attask\/api\/v21\.0\/TMPL\/search answered 200/);
  });
});

describe('errors', () => {
  it('reads {"error": {"class", "message"}} with the hint on the core API', async () => {
    const { core: api } = await core({
      [`GET ${V}/TMPL/search`]: {
        status: 422,
        body: {
          error: { class: 'java.lang.IllegalArgumentException', message: 'Unknown field: nmae', code: 4 },
        },
      },
    });
    const error = await failure(api.search('TMPL', 'n'));
    expect(error.kind).toBe('input');
    expect(error.apiMessage).toBe('Unknown field: nmae');
    expect(error.message).toMatch(
      /answered 422 Unprocessable Entity: Unknown field: nmae\. Hint: .*core-api-version/,
    );
  });

  it('takes a 200 carrying an error as the failure it is', async () => {
    const { core: api } = await core({
      [`GET ${V}/TMPL/search`]: {
        body: { error: { class: 'com.attask.common.AuthenticationException', title: 'Not logged in' } },
      },
      [`GET ${V}/TMPL/t1`]: {
        body: { error: { class: 'com.attask.common.NotFoundException', message: 'TMPL is not found: t1' } },
      },
    });
    const error = await failure(api.search('TMPL', 'n'));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(
      /answered with an error \(com\.attask\.common\.AuthenticationException\): Not logged in/,
    );
    // An object missing, said in a 200: there is no such object.
    expect(await api.get('TMPL', 't1')).toBeUndefined();
  });

  it("reads the API's 404 for an id as no such object, and a 404 of a wrong version or page as an error", async () => {
    const { core: api } = await core({
      [`GET ${V}/GROUP/g404`]: {
        status: 404,
        body: {
          error: { class: 'com.attask.common.NotFoundException', message: 'GROUP is not found: g404' },
        },
      },
      [`GET ${V}/GROUP/gpage`]: { status: 404, body: '' },
      [`GET ${V}/GROUP/gversion`]: {
        status: 404,
        body: {
          error: { class: 'com.attask.common.NotFoundException', message: 'Unsupported API version v21.0' },
        },
      },
    });
    expect(await api.get('GROUP', 'g404')).toBeUndefined();
    expect((await failure(api.get('GROUP', 'gpage'))).message).toMatch(
      /answered 404.*Hint: .*core-api-version/,
    );
    expect((await failure(api.get('GROUP', 'gversion'))).message).toMatch(/Unsupported API version/);
  });

  it('retries 5xx and 429 like any call, then answers', async () => {
    const { core: api, clock } = await core({
      [`GET ${V}/TMPL/search`]: [
        { status: 503, body: { error: { class: 'x', message: 'busy' } } },
        { status: 429, headers: { 'retry-after': '2' }, body: '' },
        { body: { data: [TMPL] } },
      ],
    });
    expect(await api.search('TMPL', 'n')).toEqual([TMPL]);
    expect(server.requests).toHaveLength(3);
    expect(clock.slept[1]).toBe(2000);
  });

  it('keeps the credential out of messages, even when the server echoes it', async () => {
    const { core: api, logs } = await core({
      [`GET ${V}/TMPL/search`]: {
        status: 400,
        body: { error: { class: 'x', message: 'bad key key-SECRET-0001 in request' } },
      },
    });
    const error = await failure(api.search('TMPL', 'n'));
    expect(error.message).not.toContain('key-SECRET-0001');
    expect(logs.map((l) => l.message).join('\n')).not.toContain('key-SECRET-0001');
  });
});

describe('helpers', () => {
  it.each([
    ['v21.0', 'v21.0'],
    ['21', 'v21.0'],
    ['V22', 'v22.0'],
    ['18.0', 'v18.0'],
    ['latest', undefined],
    ['v21.0.1', undefined],
  ])('reads version %s as %s', (raw, expected) => {
    expect(normaliseCoreApiVersion(raw)).toBe(expected);
  });

  it('knows a team as TEAMOB and every other objCode as it is, upper case', () => {
    expect([coreObjCode('TEAM'), coreObjCode('team'), coreObjCode('tmpl')]).toEqual([
      'TEAMOB',
      'TEAMOB',
      'TMPL',
    ]);
  });

  it('runs at most `limit` at a time and keeps the order of the items', async () => {
    let running = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const done = mapLimit([1, 2, 3, 4, 5, 6, 7, 8, 9], 4, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
      return n * 10;
    });
    while (release.length || running) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    expect(await done).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(most).toBe(4);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { createClient, isWorkfrontError } from '../../src/api/index.js';
import {
  expectNoLeaks,
  failure,
  startServer,
  testClient,
  type Script,
  type TestServer,
  NOTHING_TO_FIND,
} from './helpers.js';

let server: TestServer;
afterEach(async () => {
  await server?.close();
  expectNoLeaks();
});

async function withServer(routes: Record<string, Script>) {
  server = await startServer(routes);
  return testClient(server);
}

const PACKAGE = {
  id: '1d5693b9-b7b5-492d-8219-c21f34bcaca6',
  name: 'Agency Onboarding - 2023-06-06',
  description: 'configuration for agency onboarding',
  source: 'https://acme.sb01.workfront.com',
  status: 'ASSEMBLING',
  version: 1,
  createdAt: '2023-06-06T17:29:21.600Z',
  createdById: '61aa9d0e0005fcee8f212835bdaa2619',
  publishedAt: null,
  customerId: '61aa9d090005fa42152c1cb66659f38d',
};
const MAP = {
  GROUP: { g1: { name: 'Default Group', action: 'USEEXISTING', isValid: true, targetId: 'g9' } },
};
const PRERUN = {
  id: 'c0bc79bd',
  environmentPromotionPackageId: PACKAGE.id,
  status: 'PREPARING',
  translationMap: MAP,
};
const COLLECTIONS = [
  { objCode: 'TMPL', entities: [{ ID: '6419b8b9001151ee258921a4f7597bb2', name: 'New Agency Onboarding' }] },
];

describe('requests', () => {
  it('sends the credential, the User-Agent, JSON bodies and the documented paths', async () => {
    const { client } = await withServer({ 'POST /packages': { body: { data: PACKAGE } } });
    const body = { name: PACKAGE.name, source: PACKAGE.source, objectCollections: COLLECTIONS };
    expect(await client.createPackage(body, NOTHING_TO_FIND)).toEqual(PACKAGE);
    const [sent] = server.requests;
    expect(sent.url).toBe('/environment-promotion/api/v1/packages');
    expect(sent.headers.apikey).toBe('key-SECRET-0001');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['user-agent']).toMatch(/^workfront-promotion-action\/1\.2\.3\b/);
    expect(JSON.parse(sent.body)).toEqual(body);
  });

  it('sends sessionID or Authorization: Bearer for those credentials, and registers them as secrets', async () => {
    server = await startServer({ 'GET /packages': { body: [] } });
    for (const [auth, header, value] of [
      [{ kind: 'session-id', sessionId: 'sess-SECRET-1' }, 'sessionid', 'sess-SECRET-1'],
      [{ kind: 'bearer-token', token: 'tok-SECRET-1' }, 'authorization', 'Bearer tok-SECRET-1'],
    ] as const) {
      const secrets: string[] = [];
      await createClient({
        baseUrl: server.origin,
        auth,
        version: '1',
        onSecret: (s) => secrets.push(s),
      }).listPackages();
      expect(server.requests.at(-1)!.headers[header]).toBe(value);
      expect(server.requests.at(-1)!.headers.apikey).toBeUndefined();
      expect(secrets).toContain(value);
    }
  });

  it('uses the older revision base and packageName when the url ends in /environment-promotion/v1', async () => {
    server = await startServer({
      'POST /environment-promotion/v1/packages': {
        body: { data: { ...PACKAGE, packageName: 'old', name: undefined, status: 'EXTRACTING' } },
      },
    });
    const { client } = testClient(server, { baseUrl: `${server.origin}/environment-promotion/v1` });
    const created = await client.createPackage(
      { name: 'old', source: 's', objectCollections: COLLECTIONS },
      NOTHING_TO_FIND,
    );
    expect(created).toMatchObject({ name: 'old', status: 'ASSEMBLING' });
    expect(JSON.parse(server.requests[0].body)).toEqual({
      packageName: 'old',
      source: 's',
      objectCollections: COLLECTIONS,
    });
  });

  it('refuses an empty id without sending anything', async () => {
    const { client } = await withServer({});
    const error = await failure(client.getPackage('  '));
    expect(error).toMatchObject({ kind: 'input', method: 'GET', path: '/packages/{id}' });
    expect(server.requests).toHaveLength(0);
  });

  it('encodes ids in paths and queries', async () => {
    const { client } = await withServer({
      'GET /packages/a%2Fb': { body: { id: 'a/b' } },
      'GET /installations': { body: [] },
    });
    // The path is encoded; an answer whose id is no id (it would reach outputs and file names) is refused.
    await expect(client.getPackage('a/b')).rejects.toMatchObject({ kind: 'malformed' });
    expect(server.requests[0].url).toBe('/environment-promotion/api/v1/packages/a%2Fb');
    await client.listInstallations('x&y=1');
    expect(server.requests[1].url).toBe(
      '/environment-promotion/api/v1/installations?environmentPromotionPackageId=x%26y%3D1',
    );
  });
});

describe('every endpoint, every documented answer', () => {
  it('createPackage: wrapped, bare, and the 000 example missing its closing brace', async () => {
    const truncated = JSON.stringify({ data: PACKAGE }).slice(0, -1);
    const { client, logs } = await withServer({
      'POST /packages': [{ body: { data: PACKAGE } }, { body: PACKAGE }, { body: truncated }],
    });
    const body = { name: PACKAGE.name, source: PACKAGE.source, objectCollections: COLLECTIONS };
    for (let i = 0; i < 3; i++) expect(await client.createPackage(body, NOTHING_TO_FIND)).toEqual(PACKAGE);
    expect(logs.some((l) => l.message.includes('missing its closing brackets'))).toBe(true);
  });

  it('listPackages: wrapped, bare, {} and empty', async () => {
    const item = {
      id: 'a',
      name: 'n',
      description: 'd',
      status: 'DRAFT',
      createdAt: PACKAGE.createdAt,
      deletedAt: null,
    };
    const { client } = await withServer({
      'GET /packages': [
        { body: { data: [item, { id: 'b' }] } },
        { body: [item] },
        { body: {} },
        { body: '' },
      ],
    });
    expect(await client.listPackages()).toEqual([item, { id: 'b' }]);
    expect(await client.listPackages()).toEqual([item]);
    expect(await client.listPackages()).toEqual([]);
    expect(await client.listPackages()).toEqual([]);
  });

  it('getPackage: with displayEntities (000) or packageEntities (002)', async () => {
    const entities = { GROUP: [{ id: 'g1', name: 'Default Group', description: 'null' }] };
    const { client } = await withServer({
      'GET /packages/p1': [
        { body: { data: { id: 'p1', displayEntities: entities } } },
        { body: { data: { id: 'p1', packageEntities: entities } } },
      ],
    });
    for (let i = 0; i < 2; i++) {
      expect(await client.getPackage('p1')).toEqual({
        id: 'p1',
        displayEntities: entities,
        packageEntities: entities,
      });
    }
  });

  it('getDefinition: bare packageEntities', async () => {
    const packageEntities = { GROUP: [{ id: 'g1', name: 'Default Group', isPublic: true }] };
    const { client } = await withServer({ 'GET /packages/p1/definition': { body: { packageEntities } } });
    expect(await client.getDefinition('p1')).toEqual({ packageEntities });
  });

  it('replacePackage and updatePackage send their bodies and read the package', async () => {
    const { client } = await withServer({
      'PUT /packages/p1': { body: { data: { id: 'p1', status: 'TESTING' } } },
      'PATCH /packages/p1': {
        body: { data: { id: 'p1', status: 'PUBLIC', publishedAt: '2023-06-06T19:39:01.600Z' } },
      },
    });
    const replacement = {
      name: 'n',
      status: 'TESTING',
      version: 1,
      metadata: { shapeVersion: 2 },
      packageEntities: {},
    };
    expect(await client.replacePackage('p1', replacement)).toEqual({ id: 'p1', status: 'TESTING' });
    expect(await client.updatePackage('p1', { status: 'ACTIVE' })).toMatchObject({ status: 'ACTIVE' });
    expect(JSON.parse(server.requests[0].body)).toEqual(replacement);
    expect(JSON.parse(server.requests[1].body)).toEqual({ status: 'ACTIVE' });
  });

  it('deletePackage: plain Deleted, a JSON string, {} or nothing', async () => {
    const { client } = await withServer({
      'DELETE /packages/p1': [{ body: 'Deleted' }, { body: '"Deleted"' }, { body: {} }, { status: 204 }],
    });
    for (let i = 0; i < 4; i++) await expect(client.deletePackage('p1')).resolves.toBeUndefined();
    expect(server.requests.every((r) => r.body === '')).toBe(true);
  });

  it('prepareInstallation: bare pre-run with {} sent', async () => {
    const { client } = await withServer({ 'POST /packages/p1/prepare-installation': { body: PRERUN } });
    expect(await client.prepareInstallation('p1')).toEqual(PRERUN);
    expect(server.requests[0].body).toBe('{}');
  });

  it('installInstallation: 200 or 202, {} or empty', async () => {
    const { client } = await withServer({
      'POST /installations/i1/install': [{ body: {} }, { status: 202, body: {} }, { status: 202 }],
    });
    for (let i = 0; i < 3; i++) await expect(client.installInstallation('i1')).resolves.toBeUndefined();
    expect(server.requests[0].body).toBe('{}');
  });

  it('listInstallations and getInstallation: bare answers, COMPLETED or INSTALLED', async () => {
    const done = {
      ...PRERUN,
      status: 'COMPLETED',
      environment: 'https://acme.my.workfront.com',
      updatedAt: null,
    };
    const { client } = await withServer({
      'GET /installations': { body: [done, { ...done, id: 'i2', status: 'INSTALLED' }] },
      'GET /installations/c0bc79bd': { body: done },
    });
    expect((await client.listInstallations('p1')).map((i) => i.status)).toEqual(['COMPLETED', 'INSTALLED']);
    expect(server.requests[0].url).toMatch(/\/installations\?environmentPromotionPackageId=p1$/);
    expect(await client.getInstallation('c0bc79bd')).toEqual(done);
  });

  describe('answers read as they arrive (the definition, the installation history)', () => {
    const DEFINITION = {
      packageEntities: {
        TMPL: [{ id: 't1', name: 'On boarding', groupID: 'g1' }],
        GROUP: [{ id: 'g1', name: 'The agency' }],
      },
    };

    it('are read once, entity by entity, and logged with their size', async () => {
      const { client, logs } = await withServer({ 'GET /packages/p1/definition': { body: DEFINITION } });
      const index = await client.getDefinitionIndex('p1');
      expect(index.entities.map((e) => [e.objCode, e.id, e.mentions])).toEqual([
        ['TMPL', 't1', ['g1']],
        ['GROUP', 'g1', []],
      ]);
      expect(server.requests).toHaveLength(1);
      const bytes = Buffer.byteLength(JSON.stringify(DEFINITION));
      expect(logs.some((l) => l.message.includes(`200 OK in `) && l.message.includes(`${bytes} bytes`))).toBe(
        true,
      );
    });

    it('are asked for again and read whole when they are not of the shape read piece by piece', async () => {
      // Cut short: the whole read completes it, as for every answer.
      const cut = JSON.stringify(DEFINITION).slice(0, -2);
      const { client, logs } = await withServer({ 'GET /packages/p1/definition': { body: cut } });
      expect((await client.getDefinitionIndex('p1')).entities.map((e) => e.id)).toEqual(['t1', 'g1']);
      expect(server.sent('GET /packages/p1/definition')).toHaveLength(2);
      expect(logs.some((l) => l.message.includes('answered in a shape read whole; asking again'))).toBe(true);
    });

    it('are refused at once, not asked for again, when nested deeper than allowed', async () => {
      const deep = {
        packageEntities: { TMPL: [{ id: 't1', x: JSON.parse('['.repeat(80) + ']'.repeat(80)) }] },
      };
      const { client } = await withServer({ 'GET /packages/p1/definition': { body: deep } });
      const error = await failure(client.getDefinitionIndex('p1'));
      expect(error.kind).toBe('malformed');
      expect(error.message).toMatch(/nested at most 64 levels/);
      expect(server.requests).toHaveLength(1);
    });

    it('are read from a history answered in many small pieces, the maps left unread', async () => {
      const installation = {
        id: 'i1',
        status: 'INSTALLED',
        translationMap: { TMPL: { t1: { action: 'CREATE' } } },
      };
      const { client } = await withServer({
        'GET /installations': {
          body: ` ${JSON.stringify({ data: [installation, { ...installation, id: 'i2' }] })}`,
        },
      });
      const list = await client.listInstallations('p1');
      expect(list.map((i) => [i.id, i.translationMap])).toEqual([
        ['i1', undefined],
        ['i2', undefined],
      ]);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('createTranslationMap: 202 with the bare map, no body sent', async () => {
    const { client } = await withServer({ 'POST /packages/p1/translation-map': { status: 202, body: MAP } });
    expect(await client.createTranslationMap('p1')).toEqual(MAP);
    expect(server.requests[0].body).toBe('');
    expect(server.requests[0].headers['content-type']).toBeUndefined();
  });

  it('installPackage: the id as text, JSON string, or object; the map sent whole', async () => {
    const id = 'b6aa0af8-3520-4b25-aca3-86793dff44a6';
    const { client } = await withServer({
      'POST /packages/p1/install': [
        { status: 202, body: id },
        { status: 202, body: JSON.stringify(id) },
        { status: 202, body: { data: { id } } },
      ],
    });
    for (let i = 0; i < 3; i++) expect(await client.installPackage('p1', MAP, NOTHING_TO_FIND)).toBe(id);
    expect(JSON.parse(server.requests[0].body)).toEqual({ translationMap: MAP });
  });
});

describe('errors', () => {
  it('names method, path, status, the API message and a hint', async () => {
    const { client } = await withServer({
      'PATCH /packages/123': { status: 400, body: { error: { message: 'Invalid status transition' } } },
    });
    const error = await failure(client.updatePackage('123', { status: 'TESTING' }));
    expect(isWorkfrontError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'input', method: 'PATCH', path: '/packages/123', status: 400 });
    expect(error.message).toMatch(
      /^PATCH \/packages\/123 answered 400 Bad Request: Invalid status transition\. Hint: a user may set DRAFT/,
    );
  });

  it.each([
    [401, 'getPackage', 'auth', /check the credential/],
    [403, 'getPackage', 'forbidden', /administrator .* Enterprise, Prime or Ultimate/],
    [404, 'getPackage', 'not-found', /check package-id/],
    [404, 'getInstallation', 'not-found', /check installation-id/],
    [404, 'getDefinition', 'not-found', /undocumented since November 2023/],
    [405, 'replacePackage', 'not-found', /undocumented since November 2023/],
    [400, 'reextract', 'input', /undocumented since November 2023/],
    [400, 'installInstallation', 'input', /TESTING installs only into Preview or Custom Refresh sandboxes/],
    [409, 'getPackage', 'conflict', /changed meanwhile/],
    [405, 'getPackage', 'not-found', /does not offer this call/],
    [302, 'getPackage', 'input', /does not redirect/],
  ] as const)('%i on %s is %s with its hint', async (status, call, kind, hint) => {
    const { client } = await withServer({
      'GET /packages/p1': { status, headers: { Location: 'https://login.example.com/sso?token=x' } },
      'GET /installations/p1': { status },
      'GET /packages/p1/definition': { status },
      'PUT /packages/p1': { status },
      'PATCH /packages/p1': { status },
      'POST /installations/p1/install': { status },
    });
    const calls: Record<string, () => Promise<unknown>> = {
      getPackage: () => client.getPackage('p1'),
      getInstallation: () => client.getInstallation('p1'),
      getDefinition: () => client.getDefinition('p1'),
      replacePackage: () => client.replacePackage('p1', {}),
      reextract: () => client.updatePackage('p1', { source: 's', objectCollections: COLLECTIONS }),
      installInstallation: () => client.installInstallation('p1'),
    };
    const error = await failure(calls[call]());
    expect(error.kind).toBe(kind);
    expect(error.hint).toMatch(hint);
    expect(error.message).not.toContain('token=x');
    expect(server.requests).toHaveLength(1);
  });

  it('hints UNASSEMBLED packages and calculated-field failures from the API message', async () => {
    const { client } = await withServer({
      'POST /packages/p1/prepare-installation': {
        status: 400,
        body: { message: 'Package status UNASSEMBLED is not installable' },
      },
      'POST /packages/p1/install': { status: 422, body: { message: 'Invalid Custom Expression in field X' } },
    });
    expect((await failure(client.prepareInstallation('p1'))).hint).toMatch(/assemble it first/);
    expect((await failure(client.installPackage('p1', MAP, NOTHING_TO_FIND))).hint).toMatch(
      /calculated field/,
    );
  });

  it('quotes the start of a body it cannot read, bounded and redacted', async () => {
    const page = `<html>${'x'.repeat(50)} key-SECRET-0001 ${'y'.repeat(500)}</html>`;
    const { client } = await withServer({
      'GET /packages/p1': { body: page },
      'GET /packages': { body: '{"data": [1, 2' + '"' },
    });
    const error = await failure(client.getPackage('p1'));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(
      /^GET \/packages\/p1 answered 200 OK with a body the client cannot read \(expected a package object\): "<html>x+ \*\*\* y+…"\. Hint: /,
    );
    expect(error.message).not.toContain('key-SECRET');
    expect(error.message.length).toBeLessThan(500);
    expect((await failure(client.listPackages())).kind).toBe('malformed');
  });

  it('caps the size of an answer', async () => {
    server = await startServer({
      'GET /packages': { body: { data: [{ id: 'x'.repeat(5000) }] } },
      'GET /packages/p1': () => ({ body: 'x'.repeat(5000), headers: { 'Content-Length': '5000' } }),
    });
    const { client } = testClient(server, { maxBodyBytes: 1000 });
    for (const call of [client.listPackages(), client.getPackage('p1')]) {
      const error = await failure(call);
      expect(error).toMatchObject({ kind: 'malformed' });
      expect(error.message).toContain('answered more than 1000 bytes');
    }
  });

  it('reads a history larger than other answers, one installation at a time, and says when it is too large', async () => {
    const installation = (id: string) => ({
      id,
      status: 'INSTALLED',
      translationMap: { x: 'y'.repeat(800) },
    });
    const many = Array.from({ length: 6 }, (_, i) => installation(`i${i}`));
    server = await startServer({
      // About 5,000 bytes in all, each installation under 1,000.
      'GET /installations': [
        { body: many },
        { body: [{ id: 'big', description: 'y'.repeat(5000), translationMap: { x: 'y'.repeat(5000) } }] },
        { body: many },
      ],
    });
    const { client } = testClient(server, { maxBodyBytes: 1000 });
    expect((await client.listInstallations('p1')).map((i) => i.id)).toEqual([
      'i0',
      'i1',
      'i2',
      'i3',
      'i4',
      'i5',
    ]);
    const hint = /Hint: the package's installation history .* build the release as a new package/;
    const oneTooLarge = await failure(client.listInstallations('p1'));
    expect(oneTooLarge.message).toMatch(/answered an object of more than 1000 characters\. /);
    expect(oneTooLarge.message).toMatch(hint);
    const { client: small } = testClient(server, { maxBodyBytes: 1000, maxStreamedBytes: 3000 });
    server.requests.length = 0;
    const allTooLarge = await failure(small.listInstallations('p1'));
    expect(allTooLarge.message).toMatch(/answered more than 3000 bytes\. /);
    expect(allTooLarge.message).toMatch(hint);
    // Neither is asked for again: what is too large stays so.
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a history of more installations than a package has, without holding them', async () => {
    const list = `[${Array.from({ length: 100_001 }, (_, i) => `{"id":"i${i}"}`).join(',')}]`;
    server = await startServer({ 'GET /installations': { body: list } });
    const { client } = testClient(server);
    const error = await failure(client.listInstallations('p1'));
    expect(error.message).toMatch(
      /answered more than 100000 objects\. Hint: the package's installation history/,
    );
  });

  it('refuses deeply nested JSON gracefully', async () => {
    const { client } = await withServer({
      'GET /packages': { body: '['.repeat(10_000) + ']'.repeat(10_000) },
    });
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'malformed' });
    expect(error.message).toContain('nested at most 64 levels');
  });

  it('reports an unreachable server as transient with a network hint', async () => {
    server = await startServer({});
    const origin = server.origin;
    await server.close();
    const { client, clock } = testClient({ ...server, origin }, { maxRetries: 1 });
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED', attempts: 2 });
    expect(error.message).toMatch(
      /^GET \/packages failed: .*ECONNREFUSED.*\(gave up after 2 attempts\)\. Hint: check url/,
    );
    expect(clock.slept).toHaveLength(1);
  });
});

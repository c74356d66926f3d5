import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { checkPrivateKey, JWT_EXCHANGE_PATH, type Credential } from '../../src/api/index.js';
import {
  expectNoLeaks,
  failure,
  startServer,
  testClient,
  type Recorded,
  type Reply,
  type TestServer,
} from './helpers.js';

let server: TestServer;
afterEach(async () => {
  await server?.close();
  expectNoLeaks();
});

let privateKey: string;
let publicKey: KeyObject;
beforeAll(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  publicKey = pair.publicKey;
});

const IMS_PATH = '/ims/token/v3';
const CLIENT_SECRET = 'p8e-CLIENT-SECRET-42';

/** Every secret of a test must be absent from every text the client produced. */
function expectNoLeak(texts: string[], secrets: string[]) {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

/** A token endpoint handing out `tok-1`, `tok-2`, … and an API that accepts only the tokens listed in `valid`. */
async function tokenServer(options: {
  tokenPath: string;
  expiresIn?: number;
  valid?: (token: string) => boolean;
}) {
  let issued = 0;
  const tokens: Recorded[] = [];
  const valid = options.valid ?? (() => true);
  const credentialOf = (r: Recorded) =>
    String(r.headers.sessionid ?? r.headers.authorization?.replace('Bearer ', ''));
  server = await startServer({
    [`POST ${options.tokenPath}`]: (request): Reply => {
      tokens.push(request);
      issued++;
      return {
        body: {
          access_token: `tok-SECRET-${issued}`,
          refresh_token: `refresh-SECRET-${issued}`,
          expires_in: options.expiresIn ?? 600,
          token_type: options.tokenPath === IMS_PATH ? 'bearer' : 'sessionID',
        },
      };
    },
    'GET /packages': (request) =>
      valid(credentialOf(request))
        ? { body: [] }
        : { status: 401, body: { error: { message: 'Invalid session' } } },
  });
  return { tokens, credentialOf };
}

function jwtCredential(overrides: Partial<Extract<Credential, { kind: 'workfront-jwt' }>> = {}): Credential {
  return {
    kind: 'workfront-jwt',
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    privateKey,
    customerId: 'cust-9',
    userId: 'user-7',
    tokenUrl: `${server.origin}${JWT_EXCHANGE_PATH}`,
    ...overrides,
  };
}

function imsCredential(): Credential {
  return {
    kind: 'adobe-ims',
    clientId: 'client-2',
    clientSecret: CLIENT_SECRET,
    scopes: ['openid', 'AdobeID', 'workfront'],
    tokenUrl: `${server.origin}${IMS_PATH}`,
  };
}

describe('Workfront JWT flow', () => {
  it('signs an RS256 JWT, exchanges it form-encoded and sends the token as sessionID', async () => {
    const { tokens } = await tokenServer({ tokenPath: JWT_EXCHANGE_PATH });
    const { client, clock, secrets, logs } = testClient(server, { auth: jwtCredential() });
    await client.listPackages();

    const [token] = tokens;
    expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(token.body);
    expect([...form.keys()]).toEqual(['client_id', 'client_secret', 'jwt_token']);
    expect(form.get('client_id')).toBe('client-1');
    expect(form.get('client_secret')).toBe(CLIENT_SECRET);
    const [header, payload, signature] = form.get('jwt_token')!.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'cust-9', sub: 'user-7', iat: Math.floor(clock.now() / 1000) });
    expect(claims.exp - claims.iat).toBeGreaterThan(60);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    expect(
      verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url')),
    ).toBe(true);

    const api = server.sent('GET /packages')[0];
    expect(api.headers.sessionid).toBe('tok-SECRET-1');
    expect(api.headers.authorization).toBeUndefined();
    expect(secrets).toEqual(
      expect.arrayContaining([
        CLIENT_SECRET,
        privateKey,
        form.get('jwt_token'),
        'tok-SECRET-1',
        'refresh-SECRET-1',
      ]),
    );
    expectNoLeak(
      logs.map((l) => l.message),
      [CLIENT_SECRET, 'tok-SECRET-1', 'refresh-SECRET-1', form.get('jwt_token')!, payload],
    );
    expect(logs.some((l) => l.message.includes('(withheld: holds credentials)'))).toBe(true);
  });

  it('reuses the token, and renews it before expires_in runs out', async () => {
    const { tokens, credentialOf } = await tokenServer({ tokenPath: JWT_EXCHANGE_PATH, expiresIn: 600 });
    const { client, clock } = testClient(server, { auth: jwtCredential() });
    await client.listPackages();
    await client.listPackages();
    expect(tokens).toHaveLength(1);
    clock.advance(490_000); // within 600 s, but inside the renewal margin (a fifth of the lifetime)
    await client.listPackages();
    expect(tokens).toHaveLength(2);
    expect(server.sent('GET /packages').map(credentialOf)).toEqual([
      'tok-SECRET-1',
      'tok-SECRET-1',
      'tok-SECRET-2',
    ]);
  });

  it('renews once on a 401 and sends the refused request again', async () => {
    const { tokens, credentialOf } = await tokenServer({
      tokenPath: JWT_EXCHANGE_PATH,
      valid: (t) => t !== 'tok-SECRET-1',
    });
    const { client, logs } = testClient(server, { auth: jwtCredential() });
    expect(await client.listPackages()).toEqual([]);
    expect(tokens).toHaveLength(2);
    expect(server.sent('GET /packages').map(credentialOf)).toEqual(['tok-SECRET-1', 'tok-SECRET-2']);
    expect(logs.map((l) => l.message)).toContainEqual(
      'GET /packages answered 401; renewed the token, sending again',
    );
  });

  it('fails with kind auth on a second 401, hinting at the rights', async () => {
    const { tokens } = await tokenServer({ tokenPath: JWT_EXCHANGE_PATH, valid: () => false });
    const { client, logs } = testClient(server, { auth: jwtCredential() });
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'auth', status: 401, apiMessage: 'Invalid session' });
    expect(error.hint).toMatch(/freshly obtained token was refused too/);
    expect(tokens).toHaveLength(2);
    expect(server.sent('GET /packages')).toHaveLength(2);
    expectNoLeak(
      [error.message, ...logs.map((l) => l.message)],
      ['tok-SECRET-1', 'tok-SECRET-2', CLIENT_SECRET],
    );
  });

  it('refuses a private key that is not an RSA PEM key without echoing it', async () => {
    server = await startServer({});
    expect(() => testClient(server, { auth: jwtCredential({ privateKey: 'not a key SECRET-PEM' }) })).toThrow(
      /private-key: it does not parse as a PEM private key/,
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(checkPrivateKey(privateKey)).toBeUndefined();
    expect(checkPrivateKey(ec)).toBe('RS256 needs an RSA key, this is ec');
    expect(
      checkPrivateKey('-----BEGIN PRIVATE KEY-----\nSECRETSTUFF\n-----END PRIVATE KEY-----'),
    ).not.toContain('SECRETSTUFF');
  });
});

describe('Adobe IMS server-to-server', () => {
  it('posts a client-credentials grant with comma-joined scopes and sends Authorization: Bearer', async () => {
    const { tokens } = await tokenServer({ tokenPath: IMS_PATH, expiresIn: 86_399 });
    const { client, clock, logs } = testClient(server, { auth: imsCredential() });
    await client.listPackages();
    const form = new URLSearchParams(tokens[0].body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-2',
      client_secret: CLIENT_SECRET,
      scope: 'openid,AdobeID,workfront',
    });
    expect(server.sent('GET /packages')[0].headers.authorization).toBe('Bearer tok-SECRET-1');
    clock.advance(23 * 3600_000); // a day-long token lasts the day
    await client.listPackages();
    expect(tokens).toHaveLength(1);
    clock.advance(3600_000);
    await client.listPackages();
    expect(tokens).toHaveLength(2);
    expectNoLeak(
      logs.map((l) => l.message),
      [CLIENT_SECRET, 'tok-SECRET-1', 'tok-SECRET-2'],
    );
  });

  it('shares one token request among concurrent calls', async () => {
    const { tokens } = await tokenServer({ tokenPath: IMS_PATH });
    const { client } = testClient(server, { auth: imsCredential() });
    await Promise.all([client.listPackages(), client.listPackages(), client.listPackages()]);
    expect(tokens).toHaveLength(1);
  });
});

describe('token endpoint failures', () => {
  it('retries a token request on transient failures', async () => {
    server = await startServer({
      [`POST ${IMS_PATH}`]: [
        { status: 503 },
        { drop: true },
        { body: { access_token: 'tok-SECRET-9', expires_in: 3600 } },
      ],
      'GET /packages': { body: [] },
    });
    const { client, clock } = testClient(server, { auth: imsCredential() });
    await client.listPackages();
    expect(server.sent(`POST ${IMS_PATH}`)).toHaveLength(3);
    expect(clock.slept).toHaveLength(2);
  });

  it.each([
    [
      400,
      { error: 'invalid_client', error_description: `bad client_secret ${CLIENT_SECRET}` },
      /check client-id and client-secret/,
    ],
    [400, { error: 'invalid_scope', error_description: 'scope not allowed' }, /check scopes/],
    [
      401,
      { error: 'invalid_grant', error_description: 'JWT signature invalid' },
      /check private-key, customer-id and user-id/,
    ],
    [404, 'Not Found', /check token-url/],
  ])('shows a %i from the token endpoint with its hint and no secret', async (status, body, hint) => {
    server = await startServer({
      [`POST ${JWT_EXCHANGE_PATH}`]: { status, body },
      'GET /packages': { body: [] },
    });
    const { client, logs } = testClient(server, { auth: jwtCredential() });
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({
      kind: 'auth',
      method: 'POST',
      path: `${server.origin}${JWT_EXCHANGE_PATH}`,
      status,
    });
    expect(error.hint).toMatch(hint);
    expect(error.message).toContain(`answered ${status}`);
    if (typeof body === 'object') expect(error.apiMessage).toContain(body.error);
    expect(server.sent(`POST ${JWT_EXCHANGE_PATH}`)).toHaveLength(1);
    expect(server.sent('GET /packages')).toHaveLength(0);
    expectNoLeak([error.message, ...logs.map((l) => l.message)], [CLIENT_SECRET, privateKey.split('\n')[1]]);
  });

  it('reports a token answer without access_token as malformed, without quoting it', async () => {
    server = await startServer({ [`POST ${IMS_PATH}`]: { body: { token: 'tok-SECRET-odd' } } });
    const { client } = testClient(server, { auth: imsCredential() });
    const error = await failure(client.listPackages());
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('expected a token answer with "access_token"');
    expect(error.message).not.toContain('tok-SECRET-odd');
  });

  it('does not renew static credentials: a 401 fails at once with the credential hint', async () => {
    server = await startServer({ 'GET /packages': { status: 401 } });
    const { client, logs } = testClient(server);
    const error = await failure(client.listPackages());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toMatch(/^GET \/packages answered 401 Unauthorized\. Hint: check the credential/);
    expect(server.requests).toHaveLength(1);
    expectNoLeak([error.message, ...logs.map((l) => l.message)], ['key-SECRET-0001']);
    expect(logs.some((l) => l.message.includes('"apikey":"***"'))).toBe(true);
  });
});

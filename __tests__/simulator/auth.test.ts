// Credentials: static ones, Workfront's JWT exchange, Adobe IMS client credentials, expiry and revocation.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { call, postForm, signJwt, until } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 10, installMs: 10 });
});
afterAll(() => sim.stop());

const jwtUrl = (env: 'production' | 'preview') =>
  `${sim.environments[env].url}/integrations/oauth2/api/v1/jwt/exchange`;
const inMinutes = (minutes: number) => Math.floor(Date.now() / 1000) + minutes * 60;

function jwtForm(claims: Record<string, unknown> = {}, key?: string) {
  const { clientId, clientSecret, customerId, userId } = sim.credentials.oauth;
  return {
    client_id: clientId,
    client_secret: clientSecret,
    jwt_token: signJwt(sim, { iss: customerId, sub: userId, exp: inMinutes(5), ...claims }, key),
  };
}

function imsForm(fields: Record<string, string> = {}) {
  const { clientId, clientSecret, scopes } = sim.credentials.oauth;
  return {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    scope: scopes.join(','),
    ...fields,
  };
}

describe('static credentials', () => {
  it('answers 401 with an error body without a valid credential', async () => {
    const none = await call(sim, 'preview', 'GET', '/packages', { anonymous: true });
    expect(none.status).toBe(401);
    expect(none.json.error.message).toMatch(/not currently logged in/);
    const wrong = await call(sim, 'preview', 'GET', '/packages', {
      anonymous: true,
      headers: { apikey: 'nope' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toMatch(/Invalid credentials/);
  });

  it('accepts the API key and the session id whatever the header case, and Bearer on both bases', async () => {
    const { apiKey, sessionId, bearerToken } = sim.credentials;
    const variants: Array<Record<string, string>> = [
      { APIKEY: apiKey },
      { sessionID: sessionId },
      { SessionID: sessionId },
      { Authorization: `Bearer ${bearerToken}` },
    ];
    for (const headers of variants)
      for (const legacy of [false, true])
        expect(
          (await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers, legacy })).status,
        ).toBe(200);
  });
});

describe("Workfront's JWT exchange", () => {
  it('exchanges a signed JWT for a sessionID token accepted by that environment', async () => {
    const answer = await postForm(jwtUrl('production'), jwtForm());
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 3600,
      token_type: 'sessionID',
    });
    const headers = { sessionID: answer.json.access_token as string };
    expect((await call(sim, 'production', 'GET', '/packages', { anonymous: true, headers })).status).toBe(
      200,
    );
    // A session belongs to the environment that issued it; as a Bearer it is nothing.
    expect((await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers })).status).toBe(401);
    const asBearer = { authorization: `Bearer ${answer.json.access_token}` };
    expect(
      (await call(sim, 'production', 'GET', '/packages', { anonymous: true, headers: asBearer })).status,
    ).toBe(401);
  });

  it('answers OAuth errors: invalid_request, invalid_client, invalid_grant', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const cases: Array<[Record<string, string>, number, string, RegExp]> = [
      [{ ...jwtForm(), jwt_token: '' }, 400, 'invalid_request', /jwt_token/],
      [{ ...jwtForm(), client_secret: 'wrong' }, 401, 'invalid_client', /wrong secret/],
      [jwtForm({}, otherKey), 400, 'invalid_grant', /signature/],
      [jwtForm({ iss: 'someone else' }), 400, 'invalid_grant', /iss/],
      [jwtForm({ sub: 'someone else' }), 400, 'invalid_grant', /sub/],
      [jwtForm({ exp: inMinutes(-1) }), 400, 'invalid_grant', /expired/],
      [jwtForm({ exp: inMinutes(90) }), 400, 'invalid_grant', /one hour/],
      [{ ...jwtForm(), jwt_token: 'not.a-jwt' }, 400, 'invalid_grant', /not a JWT/],
    ];
    for (const [form, status, error, description] of cases) {
      const answer = await postForm(jwtUrl('production'), form);
      expect([answer.status, answer.json.error]).toEqual([status, error]);
      expect(answer.json.error_description).toMatch(description);
    }
    const json = await fetch(jwtUrl('production'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(jwtForm()),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('Adobe IMS client credentials', () => {
  it('grants a bearer token accepted on both bases of every environment', async () => {
    const answer = await postForm(sim.imsTokenUrl, imsForm());
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    const headers = { Authorization: `Bearer ${answer.json.access_token}` };
    for (const env of ['production', 'preview', 'sandbox'] as const)
      for (const legacy of [false, true])
        expect((await call(sim, env, 'GET', '/packages', { anonymous: true, headers, legacy })).status).toBe(
          200,
        );
  });

  it('refuses missing scopes, other grants and wrong secrets', async () => {
    const scope = await postForm(sim.imsTokenUrl, imsForm({ scope: 'openid' }));
    expect([scope.status, scope.json.error]).toEqual([400, 'invalid_scope']);
    expect(scope.json.error_description).toMatch(/AdobeID/);
    const grant = await postForm(sim.imsTokenUrl, imsForm({ grant_type: 'password' }));
    expect([grant.status, grant.json.error]).toEqual([400, 'unsupported_grant_type']);
    const secret = await postForm(sim.imsTokenUrl, imsForm({ client_secret: 'wrong' }));
    expect([secret.status, secret.json.error]).toEqual([401, 'invalid_client']);
  });
});

describe('token lifetime', () => {
  it('expires a token in the middle of an installation; a new one reads the result', async () => {
    sim.control.setOption('tokenLifetimeSec', 1);
    sim.control.setOption('installMs', 1200);
    try {
      const token = (await postForm(jwtUrl('production'), jwtForm())).json;
      expect(token.expires_in).toBe(1);
      const headers = { sessionID: token.access_token as string };
      const pkg = sim.control.makePackage({
        objectCollections: [{ objCode: 'GROUP', entities: [{ ID: SEED.preview.agencyPartnersGroup }] }],
        status: 'ACTIVE',
      });
      const preRun = await call(sim, 'production', 'POST', `/packages/${pkg.id}/prepare-installation`, {
        anonymous: true,
        headers,
        body: {},
      });
      await call(sim, 'production', 'POST', `/installations/${preRun.json.id}/install`, {
        anonymous: true,
        headers,
        body: {},
      });
      const refused = await until(
        () =>
          call(sim, 'production', 'GET', `/installations/${preRun.json.id}`, { anonymous: true, headers }),
        (answer) => answer.status !== 200,
      );
      expect(refused.status).toBe(401);
      expect(refused.json.error.message).toMatch(/expired/);
      expect(sim.store.installation(preRun.json.id)?.status).toBe('INSTALLING');
      const fresh = {
        sessionID: (await postForm(jwtUrl('production'), jwtForm())).json.access_token as string,
      };
      const done = await until(
        () =>
          call(sim, 'production', 'GET', `/installations/${preRun.json.id}`, {
            anonymous: true,
            headers: fresh,
          }),
        (answer) => answer.json.status !== 'INSTALLING',
      );
      expect(done.json.status).toBe('INSTALLED');
    } finally {
      sim.control.setOption('tokenLifetimeSec', 3600);
      sim.control.setOption('installMs', 10);
    }
  });

  it('revokes every token, programmatically or through the admin endpoint', async () => {
    const bearer = {
      Authorization: `Bearer ${(await postForm(sim.imsTokenUrl, imsForm())).json.access_token}`,
    };
    expect(
      (await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers: bearer })).status,
    ).toBe(200);
    sim.control.revokeTokens();
    expect(
      (await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers: bearer })).status,
    ).toBe(401);
    const session = { sessionID: (await postForm(jwtUrl('preview'), jwtForm())).json.access_token as string };
    expect(
      (await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers: session })).status,
    ).toBe(200);
    const revoke = await fetch(`${sim.environments.preview.url}/__simulator/tokens/revoke`, {
      method: 'POST',
    });
    expect(revoke.status).toBe(200);
    expect(
      (await call(sim, 'preview', 'GET', '/packages', { anonymous: true, headers: session })).status,
    ).toBe(401);
  });
});

// The simulator's core API (`/attask/api/{version}/…`) against the API digest (API.md, "Workfront's core API,
// for names"): search by name with eq, cieq, contains, cicontains; $$LIMIT (default 100, at most 2000) and
// $$FIRST; fields; count; read by id; TEAM as TEAMOB; errors {"error": {"class", "message"}}; the same
// credentials as the promotion API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type EnvKey, type Simulator } from '../../simulator/index.js';
import { postForm, signJwt } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 10, installMs: 10 });
});
afterAll(() => sim.stop());

interface Answer {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function core(
  env: EnvKey,
  path: string,
  query: Record<string, string> = {},
  headers: Record<string, string> | null = { apikey: sim.credentials.apiKey },
): Promise<Answer> {
  const url = `${sim.environments[env].url}/attask/api${path}?${new URLSearchParams(query)}`;
  const response = await fetch(url, { headers: headers ?? {} });
  return { status: response.status, json: JSON.parse(await response.text()) };
}

const P = SEED.preview;
const names = (answer: Answer) => answer.json.data.map((o: { name: string }) => o.name);

describe('search by name', () => {
  it('cieq: exact, ignoring case; eq: exact', async () => {
    const cieq = await core('preview', '/v21.0/TMPL/search', {
      name: 'new AGENCY onboarding',
      name_Mod: 'cieq',
    });
    expect(cieq).toEqual({
      status: 200,
      json: { data: [{ ID: P.newAgencyOnboardingTemplate, name: 'New Agency Onboarding', objCode: 'TMPL' }] },
    });
    const eqWrongCase = await core('preview', '/v21.0/TMPL/search', {
      name: 'new agency onboarding',
      name_Mod: 'eq',
    });
    expect(eqWrongCase.json.data).toEqual([]);
    // Without name_Mod a filter is an exact match.
    const bare = await core('preview', '/v21.0/TMPL/search', { name: 'New Agency Onboarding' });
    expect(names(bare)).toEqual(['New Agency Onboarding']);
  });

  it('contains is case-sensitive, cicontains is not', async () => {
    const contains = await core('preview', '/v21.0/TMPL/search', { name: 'Agency', name_Mod: 'contains' });
    expect(names(contains).sort()).toEqual(['New Agency Offboarding', 'New Agency Onboarding']);
    const lower = await core('preview', '/v21.0/TMPL/search', { name: 'agency', name_Mod: 'contains' });
    expect(lower.json.data).toEqual([]);
    const ci = await core('preview', '/v21.0/TMPL/search', { name: 'agency', name_Mod: 'cicontains' });
    expect(ci.json.data).toHaveLength(2);
  });

  it('serves the records of each environment, as they are now', async () => {
    const prod = await core('production', '/v21.0/GROUP/search', {
      name: 'Agency Services',
      name_Mod: 'cieq',
    });
    expect(prod.json.data.map((o: { ID: string }) => o.ID)).toEqual([SEED.production.agencyServicesGroup]);
    const sandbox = await core('sandbox', '/v21.0/GROUP/search', {
      name: 'Agency Services',
      name_Mod: 'cieq',
    });
    expect(sandbox.json.data).toEqual([]);
    const [added] = sim.control.seedRecords('sandbox', 'GROUP', [{ name: 'Agency Services' }]);
    const after = await core('sandbox', '/v21.0/GROUP/search', { name: 'agency services', name_Mod: 'cieq' });
    expect(after.json.data.map((o: { ID: string }) => o.ID)).toEqual([added.id]);
  });

  it('takes the objCode in any case, and a team as TEAMOB only', async () => {
    const [team] = sim.control.seedRecords('preview', 'TEAM', [{ name: 'Web Team' }]);
    const lower = await core('preview', '/v21.0/tmpl/search', { name: 'New Agency Onboarding' });
    expect(lower.json.data).toHaveLength(1);
    const teamob = await core('preview', '/v21.0/TEAMOB/search', { name: 'web team', name_Mod: 'cieq' });
    expect(teamob.json.data).toEqual([{ ID: team.id, name: 'Web Team', objCode: 'TEAMOB' }]);
    const asTeam = await core('preview', '/v21.0/TEAM/search', { name: 'Web Team' });
    expect(asTeam.status).toBeGreaterThanOrEqual(400);
    expect(asTeam.json.error.message).toMatch(/TEAMOB/);
  });

  it('answers only the fields asked for (ID and objCode always), and refuses an unknown field', async () => {
    const fields = await core('preview', '/v21.0/GROUP/search', {
      name: 'Agency Services',
      fields: 'ID,name,isPublic',
    });
    expect(fields.json.data).toEqual([
      { ID: P.agencyServicesGroup, objCode: 'GROUP', name: 'Agency Services', isPublic: true },
    ]);
    const idOnly = await core('preview', '/v21.0/GROUP/search', { name: 'Agency Services', fields: 'ID' });
    expect(idOnly.json.data).toEqual([{ ID: P.agencyServicesGroup, objCode: 'GROUP' }]);
    const unknown = await core('preview', '/v21.0/GROUP/search', { name: 'x', fields: 'ID,nmae' });
    expect(unknown).toEqual({
      status: 400,
      json: {
        error: { class: 'java.lang.IllegalArgumentException', message: 'Unknown field "nmae" for GROUP' },
      },
    });
    const filter = await core('preview', '/v21.0/GROUP/search', { owner: 'me' });
    expect(filter.json.error.class).toBe('java.lang.IllegalArgumentException');
  });
});

describe('$$LIMIT, $$FIRST and count', () => {
  beforeAll(() => {
    sim.control.seedRecords(
      'sandbox',
      'UIVW',
      Array.from({ length: 2_050 }, (_, i) => ({ name: `Paged view ${String(i).padStart(4, '0')}` })),
    );
  });
  const query = { name: 'Paged view', name_Mod: 'contains' };

  it('answers 100 by default, at most 2000', async () => {
    expect((await core('sandbox', '/v21.0/UIVW/search', query)).json.data).toHaveLength(100);
    expect((await core('sandbox', '/v21.0/UIVW/search', { ...query, $$LIMIT: '11' })).json.data).toHaveLength(
      11,
    );
    expect(
      (await core('sandbox', '/v21.0/UIVW/search', { ...query, $$LIMIT: '5000' })).json.data,
    ).toHaveLength(2000);
  });

  it('pages with $$FIRST, sorted by ID, without gaps or repeats', async () => {
    const seen: string[] = [];
    for (let first = 0; ; first += 500) {
      const page = await core('sandbox', '/v21.0/UIVW/search', {
        ...query,
        ID_Sort: 'asc',
        $$FIRST: String(first),
        $$LIMIT: '500',
      });
      seen.push(...page.json.data.map((o: { ID: string }) => o.ID));
      if (page.json.data.length < 500) break;
    }
    expect(seen).toHaveLength(2_050);
    expect(new Set(seen).size).toBe(2_050);
    expect(seen).toEqual([...seen].sort());
  });

  it('counts as {"data": {"count": N}}', async () => {
    expect((await core('sandbox', '/v21.0/UIVW/count', query)).json).toEqual({ data: { count: 2_050 } });
    const none = await core('sandbox', '/v21.0/UIVW/count', { name: 'nothing like it', name_Mod: 'cieq' });
    expect(none.json).toEqual({ data: { count: 0 } });
  });

  it('refuses a $$LIMIT that is not a number', async () => {
    const answer = await core('sandbox', '/v21.0/UIVW/search', { ...query, $$LIMIT: 'ten' });
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toMatch(/\$\$LIMIT/);
  });
});

describe('read by id', () => {
  it('answers {"data": {…}} for an object of that objCode, the NotFound error otherwise', async () => {
    const group = await core('sandbox', `/v21.0/GROUP/${SEED.sandbox.campaignOpsGroup}`, {
      fields: 'ID,name',
    });
    expect(group).toEqual({
      status: 200,
      json: { data: { ID: SEED.sandbox.campaignOpsGroup, name: 'Campaign Ops', objCode: 'GROUP' } },
    });
    // The same id in another environment, and as another objCode, is no object.
    for (const [env, objCode] of [
      ['production', 'GROUP'],
      ['sandbox', 'TMPL'],
    ] as const) {
      const missing = await core(env, `/v21.0/${objCode}/${SEED.sandbox.campaignOpsGroup}`, {
        fields: 'ID,name',
      });
      expect(missing.status).toBe(404);
      expect(missing.json.error).toEqual({
        class: 'com.attask.common.NotFoundException',
        message: `${objCode} is not found: ${SEED.sandbox.campaignOpsGroup}`,
      });
    }
  });
});

describe('versions', () => {
  it('serves v18.0 to v22.0 and a call without a version; refuses others', async () => {
    for (const version of ['/v18.0', '/v22.0', ''])
      expect((await core('preview', `${version}/TMPL/search`, { name: 'x' })).status).toBe(200);
    const old = await core('preview', '/v15.0/TMPL/search', { name: 'x' });
    expect(old.status).toBe(404);
    expect(old.json.error.message).toBe('Unsupported API version v15.0');
  });
});

describe('credentials: the same as the promotion API', () => {
  const path = '/v21.0/GROUP/search';
  const q = { name: 'Default Group' };

  it('takes the API key, session id and bearer token as headers', async () => {
    const { apiKey, sessionId, bearerToken } = sim.credentials;
    const forms: Array<Record<string, string>> = [
      { apikey: apiKey },
      { ApiKey: apiKey },
      { sessionID: sessionId },
      { authorization: `Bearer ${bearerToken}` },
    ];
    for (const headers of forms) expect((await core('sandbox', path, q, headers)).status).toBe(200);
  });

  it('takes an access token of the JWT exchange as sessionID', async () => {
    const { clientId, clientSecret, customerId, userId } = sim.credentials.oauth;
    const token = await postForm(`${sim.environments.sandbox.url}/integrations/oauth2/api/v1/jwt/exchange`, {
      client_id: clientId,
      client_secret: clientSecret,
      jwt_token: signJwt(sim, { iss: customerId, sub: userId, exp: Math.floor(Date.now() / 1000) + 300 }),
    });
    expect((await core('sandbox', path, q, { sessionID: String(token.json.access_token) })).status).toBe(200);
  });

  it('answers 401 in the error shape without a valid credential', async () => {
    for (const headers of [null, { apikey: 'wrong-key' }]) {
      const answer = await core('sandbox', path, q, headers);
      expect(answer.status).toBe(401);
      expect(answer.json.error.class).toBe('com.attask.common.AuthenticationException');
    }
  });

  it('accepts the apiKey query parameter the vendor documents, and keeps its value out of the request log', async () => {
    const answer = await core('sandbox', path, { ...q, apiKey: sim.credentials.apiKey }, null);
    expect(answer.status).toBe(200);
    const logged = sim.log.filter((entry) => entry.query.apiKey !== undefined);
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain(sim.credentials.apiKey);
  });

  it('answers only GET', async () => {
    const response = await fetch(`${sim.environments.sandbox.url}/attask/api/v21.0/GROUP/search`, {
      method: 'POST',
      headers: { apikey: sim.credentials.apiKey },
    });
    expect(response.status).toBe(405);
    const body = (await response.json()) as { error: { class: string } };
    expect(body.error.class).toMatch(/MethodNotAllowed/);
  });
});

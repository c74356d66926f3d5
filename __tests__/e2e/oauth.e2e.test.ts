import { afterEach, describe, expect, it } from '@jest/globals';
import type { SimulatorOptions } from '../../simulator/index.js';
import { COLLECTIONS, startFixture, visibleLog, type Fixture } from './fixture.js';
import { visibleText, type ActionRun } from './harness.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.stop();
  f = undefined;
});

async function fixture(options: SimulatorOptions = {}): Promise<Fixture> {
  f = await startFixture(options);
  return f;
}

type Flow = 'jwt' | 'ims';

function credentials(fx: Fixture, flow: Flow): Record<string, string> {
  const { oauth } = fx.sim.credentials;
  const client = { 'api-key': '', 'client-id': oauth.clientId, 'client-secret': oauth.clientSecret };
  return flow === 'jwt'
    ? {
        ...client,
        'private-key': oauth.privateKeyPem,
        'customer-id': oauth.customerId,
        'user-id': oauth.userId,
      }
    : { ...client, scopes: oauth.scopes.join(','), 'token-url': fx.sim.imsTokenUrl };
}

const tokenRequests = (fx: Fixture) => fx.sim.log.filter((e) => /token|jwt\/exchange/.test(e.path)).length;
const installRequests = (fx: Fixture) => fx.changes().filter((c) => /\/install$/.test(c));

/**
 * Nothing the action masked (the client secret, the key's lines, every JWT and token it obtained) shows up
 * anywhere else: log lines, outputs, summary or written files.
 */
function expectNoLeak(fx: Fixture, run: ActionRun) {
  const masks = [...run.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]);
  expect(masks).toContain(fx.sim.credentials.oauth.clientSecret);
  const shown = visibleText(run);
  for (const secret of masks) expect(shown).not.toContain(secret);
  expect(shown).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
}

describe.each<Flow>(['jwt', 'ims'])('the %s flow', (flow) => {
  it('creates, transitions and installs, with tokens masked and never shown (debug on)', async () => {
    const fx = await fixture();
    const env = { ACTIONS_STEP_DEBUG: 'true' };
    const created = await fx.run(
      'preview',
      {
        ...credentials(fx, flow),
        operation: 'create',
        name: `OAuth ${flow}`,
        'object-collections': COLLECTIONS,
      },
      { env },
    );
    expect(created.code).toBe(0);
    const id = created.outputs['package-id'];
    const moved = await fx.run(
      'production',
      { ...credentials(fx, flow), operation: 'transition', 'package-id': id, status: 'ACTIVE' },
      { env },
    );
    expect(moved.code).toBe(0);
    const installed = await fx.run(
      'production',
      { ...credentials(fx, flow), operation: 'install', 'package-id': id },
      { env },
    );
    expect(installed.code).toBe(0);
    expect(installed.outputs['installation-status']).toBe('INSTALLED');
    expect(installed.stdout).toMatch(/^::debug::/m);
    // Beside the client secret and the key, the tokens obtained are masked too.
    expect(installed.stdout.match(/^::add-mask::/gm)?.length).toBeGreaterThanOrEqual(flow === 'jwt' ? 20 : 2);
    for (const run of [created, moved, installed]) expectNoLeak(fx, run);
  });

  it('renews a token that expires during the wait, without a second install', async () => {
    const fx = await fixture({ tokenLifetimeSec: 2, installMs: 6000 });
    const pkg = fx.sim.control.makePackage({
      name: 'Expiring',
      status: 'ACTIVE',
      objectCollections: JSON.parse(COLLECTIONS).TMPL.map((ID: string) => ({
        objCode: 'TMPL',
        entities: [{ ID }],
      })),
    });
    const running = fx.run('production', {
      ...credentials(fx, flow),
      operation: 'install',
      'package-id': pkg.id,
    });
    // Revoke every token once the installation has started: the next poll answers 401 and must be sent again.
    const deadline = Date.now() + 10_000;
    while (installRequests(fx).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    fx.sim.control.revokeTokens();
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'succeeded', 'installation-status': 'INSTALLED' });
    expect(installRequests(fx)).toHaveLength(1);
    expect(tokenRequests(fx)).toBeGreaterThanOrEqual(3);
    expect(fx.sim.log.some((e) => e.status === 401)).toBe(true);
    expectNoLeak(fx, run);
  });
});

describe('refusals', () => {
  it('a wrong client secret is refused with the token endpoint’s message, before any change', async () => {
    const fx = await fixture();
    const run = await fx.run('preview', {
      ...credentials(fx, 'jwt'),
      'client-secret': 'not-the-secret-0000',
      operation: 'create',
      name: 'Refused',
      'object-collections': COLLECTIONS,
    });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toMatch(
      /::error::POST .*jwt\/exchange answered 401.*invalid_client.*Hint: check client-id and client-secret/,
    );
    expect(fx.changes().filter((c) => !/jwt\/exchange/.test(c))).toEqual([]);
    expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('not-the-secret-0000');
  });

  it('IMS without the credential’s scopes is refused with the scope hint', async () => {
    const fx = await fixture();
    const run = await fx.run('preview', { ...credentials(fx, 'ims'), scopes: 'openid', operation: 'list' });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toMatch(/invalid_scope.*Hint: check scopes/);
  });

  it('a token refused twice ends with a clear failure and no second install', async () => {
    const fx = await fixture({ installMs: 4000 });
    const pkg = fx.sim.control.makePackage({
      name: 'Revoked',
      status: 'ACTIVE',
      objectCollections: [{ objCode: 'TMPL', entities: [{ ID: JSON.parse(COLLECTIONS).TMPL[0] }] }],
    });
    const running = fx.run('production', {
      ...credentials(fx, 'jwt'),
      operation: 'install',
      'package-id': pkg.id,
    });
    const deadline = Date.now() + 10_000;
    while (installRequests(fx).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    // The application is disabled: existing tokens stop working, new ones are issued but refused by the API.
    fx.sim.control.addFault({ path: /\/installations\//, method: 'GET', kind: 'error', status: 401 });
    const run = await running;
    expect(run.code).toBe(1);
    expect(run.outputs.outcome).toBe('failed');
    expect(run.outputs['installation-id']).toMatch(/\S/);
    expect(visibleLog(run)).toMatch(/answered 401.*Hint: a freshly obtained token was refused too/);
    expect(installRequests(fx)).toHaveLength(1);
  });
});

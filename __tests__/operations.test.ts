// Operations return their report; a step that fails part-way still reports what it did (`reporting`), and the
// result execute() builds is the same either way. In-process, through the real inputs, client and simulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator, SEED, type Simulator } from '../simulator/index.js';
import { runInProcess } from './reliability/helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 20, installMs: 20 });
});
afterAll(() => sim.stop());

/** A package of the seed template, in `status`. */
const seedPackage = (name: string, status: 'TESTING' | 'ACTIVE') =>
  sim.control.makePackage({
    name,
    objectCollections: [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] }],
    status,
  });

const inputs = (env: 'preview' | 'sandbox', more: Record<string, string>) => ({
  url: sim.environments[env].url,
  'api-key': sim.credentials.apiKey,
  'poll-interval': '1s',
  timeout: '1m',
  ...more,
});

describe('what an operation reports', () => {
  it('create whose assembly fails: failed, and changed, since the package was made', async () => {
    const missing = 'ffffffffffffffffffffffffffffffff';
    const { result } = await runInProcess(
      inputs('preview', {
        operation: 'create',
        name: 'Assembly fails',
        'object-collections': JSON.stringify([{ objCode: 'TMPL', entities: [{ ID: missing }] }]),
      }),
      { speed: 10 },
    );
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/ASSEMBLING_FAILED/);
    expect(result.changed).toBe(true);
    expect(result.package?.id).toBeTruthy();
  });

  it('install refused by deny-actions: failed, unchanged, with the plan it refused', async () => {
    const pkg = seedPackage('Denied plan', 'ACTIVE');
    const { result } = await runInProcess(
      inputs('sandbox', { operation: 'install', 'package-id': pkg.id, 'deny-actions': 'CREATE' }),
    );
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/deny-actions refuses/);
    expect(result.changed).toBe(false);
    expect(result.planHash).toMatch(/^[0-9a-f]{16,}$/);
    expect(result.counts?.byAction.CREATE).toBeGreaterThan(0);
    expect(result.records?.length).toBeGreaterThan(0);
    expect(result.package).toMatchObject({ id: pkg.id });
    expect(result.package?.packageEntities).toBeUndefined();
  });

  it('install that runs to the end: its records, rollback deadline and changed', async () => {
    const pkg = seedPackage('Installed plan', 'ACTIVE');
    const { result } = await runInProcess(inputs('sandbox', { operation: 'install', 'package-id': pkg.id }), {
      speed: 10,
    });
    expect(result.outcome).toBe('succeeded');
    expect(result.changed).toBe(true);
    expect(result.installationId).toBeTruthy();
    expect(result.records?.every((r) => r.installationStatus)).toBe(true);
    expect(result.rollbackUntil).toBeTruthy();
    expect(result.translationMapFile).toContain(pkg.id);

    const reads = () =>
      sim.log.filter((e) => e.method === 'GET' && e.path.endsWith(`/installations/${result.installationId}`));
    const before = reads().length;
    const again = await runInProcess(inputs('sandbox', { operation: 'install', 'package-id': pkg.id }));
    expect(again.result).toMatchObject({ outcome: 'skipped', skipped: true, changed: false });
    expect(again.result.installationId).toBe(result.installationId);
    // The history lists installations without their maps: the one a skip is measured by is read by id.
    expect(reads().length).toBe(before + 1);
  });

  it('a retry the timeout leaves no room for: timed-out, not failed', async () => {
    const pkg = seedPackage('Rate limited', 'TESTING');
    sim.control.addFault({
      kind: 'rate-limit',
      retryAfter: 120,
      method: 'GET',
      path: new RegExp(`${pkg.id}$`),
      times: 1,
    });
    const { result } = await runInProcess(
      inputs('preview', { operation: 'get', 'package-id': pkg.id, timeout: '1m' }),
    );
    expect(result.outcome).toBe('timed-out');
    expect(result.error).toMatch(/a retry in 120 s would end past the deadline/);
  });

  it('transition to the status it has: unchanged, with the status it had', async () => {
    const pkg = seedPackage('Already testing', 'TESTING');
    const { result } = await runInProcess(
      inputs('preview', { operation: 'transition', 'package-id': pkg.id, status: 'TESTING' }),
    );
    expect(result).toMatchObject({ outcome: 'succeeded', changed: false, previousStatus: 'TESTING' });
  });
});

// Visibility lag (lists show new packages and installations only after a while) and server clock skew.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { call } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 10, installMs: 10 });
});
afterEach(() => {
  sim.control.setOption('visibilityLagMs', 0);
  sim.control.setOption('clockSkewMs', 0);
});
afterAll(() => sim.stop());

const GROUP = [{ objCode: 'GROUP', entities: [{ ID: SEED.preview.agencyPartnersGroup }] }];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function create(name: string): Promise<{ id: string; createdAt: string }> {
  const answer = await call(sim, 'preview', 'POST', '/packages', {
    body: { name, source: sim.environments.preview.url, objectCollections: GROUP },
  });
  expect(answer.status).toBe(200);
  return answer.json.data;
}

const listedIds = async () =>
  ((await call(sim, 'preview', 'GET', '/packages')).json.data as { id: string }[]).map((p) => p.id);

/** Polls `listed` until it holds, answering how long that took (5 s at most). */
async function whenListed(listed: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await listed())) {
    if (Date.now() - started > 5000) throw new Error('never listed');
    await pause(20);
  }
  return Date.now() - started;
}

describe('visibilityLagMs', () => {
  it('a created package is read by id at once, listed only after the lag', async () => {
    sim.control.setOption('visibilityLagMs', 300);
    const started = Date.now();
    const { id } = await create('Lagging package');
    expect((await call(sim, 'preview', 'GET', `/packages/${id}`)).status).toBe(200);
    expect(await listedIds()).not.toContain(id);
    await whenListed(async () => (await listedIds()).includes(id));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('a pre-run and an installation with a map show in the installations list only after the lag', async () => {
    const pkg = sim.control.makePackage({ objectCollections: GROUP, status: 'TESTING' });
    // Set-up packages are listed at once.
    expect(await listedIds()).toContain(pkg.id);
    sim.control.setOption('visibilityLagMs', 300);
    const listed = async () =>
      (
        (await call(sim, 'sandbox', 'GET', `/installations?environmentPromotionPackageId=${pkg.id}`))
          .json as {
          id: string;
        }[]
      ).map((i) => i.id);
    const started = Date.now();
    const prerun = (
      await call(sim, 'sandbox', 'POST', `/packages/${pkg.id}/prepare-installation`, { body: {} })
    ).json;
    expect((await call(sim, 'sandbox', 'GET', `/installations/${prerun.id}`)).json.status).toBe('PREPARING');
    expect(await listed()).not.toContain(prerun.id);
    const map = (await call(sim, 'sandbox', 'POST', `/packages/${pkg.id}/translation-map`)).json;
    const installed = await call(sim, 'sandbox', 'POST', `/packages/${pkg.id}/install`, {
      body: { translationMap: map },
    });
    expect(installed.status).toBe(202);
    expect(await listed()).not.toContain(installed.text);
    await whenListed(async () => {
      const ids = await listed();
      return ids.includes(prerun.id) && ids.includes(installed.text);
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});

describe('clockSkewMs', () => {
  it.each([-10_000, 10_000])(
    '%i ms: the times the server writes and its Date header are off by it',
    async (skew) => {
      sim.control.setOption('clockSkewMs', skew);
      const before = Date.now();
      const answer = await call(sim, 'preview', 'POST', '/packages', {
        body: { name: `Skewed ${skew}`, source: sim.environments.preview.url, objectCollections: GROUP },
      });
      const after = Date.now();
      const createdAt = Date.parse(answer.json.data.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before + skew);
      expect(createdAt).toBeLessThanOrEqual(after + skew);
      // The Date header has a resolution of one second.
      const date = Date.parse(answer.headers.get('date') ?? '');
      expect(date).toBeGreaterThanOrEqual(before + skew - 1000);
      expect(date).toBeLessThanOrEqual(after + skew);
    },
  );

  it('can be set at run time through the admin endpoint', async () => {
    const { url } = sim.environments.production;
    const set = await fetch(`${url}/__simulator/options`, {
      method: 'POST',
      body: JSON.stringify({ clockSkewMs: -60_000, visibilityLagMs: 3000 }),
    });
    expect(await set.json()).toMatchObject({ clockSkewMs: -60_000, visibilityLagMs: 3000 });
    const answer = await call(sim, 'production', 'GET', '/packages');
    expect(Date.parse(answer.headers.get('date') ?? '')).toBeLessThan(Date.now() - 50_000);
  });
});

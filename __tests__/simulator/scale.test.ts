// A 50,000-record package through the HTTP stack. The times are printed, not asserted: they are figures for
// the README and the benchmark, and a loaded CI machine must not fail on them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { assembled, call, records, until } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 0, installMs: 0 });
});
afterAll(() => sim.stop());

/** Waits through the store: polling an 8 MB installation over HTTP would dominate the figure. */
async function finished(installationId: string) {
  await until(
    async () => sim.store.installation(installationId)?.status,
    (status) => status !== 'INSTALLING',
  );
  return call(sim, 'production', 'GET', `/installations/${installationId}`);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

describe('a 50,000-record package', () => {
  it('assembles, pre-runs and installs through HTTP', async () => {
    const generated = sim.control.generateTemplates('preview', 1000, 49);
    expect(generated.recordCount).toBe(50_002);
    const created = await call(sim, 'preview', 'POST', '/packages', {
      body: {
        name: 'Bench 50k',
        source: sim.environments.preview.url,
        objectCollections: generated.objectCollections,
      },
    });
    const id: string = created.json.data.id;
    await timed('assembly of 50,002 records (POST, then GET until DRAFT)', () => assembled(sim, id));
    await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'ACTIVE' } });

    const preRun = await timed('pre-run of 50,002 records (POST prepare-installation)', () =>
      call(sim, 'production', 'POST', `/packages/${id}/prepare-installation`, { body: {} }),
    );
    expect(records(preRun.json.translationMap)).toHaveLength(50_002);
    await timed('installation of 50,002 records (POST install, then until done)', async () => {
      await call(sim, 'production', 'POST', `/installations/${preRun.json.id}/install`, { body: {} });
      await until(
        async () => sim.store.installation(preRun.json.id)?.status,
        (status) => status !== 'INSTALLING',
      );
    });
    const done = await timed('GET of the finished installation', () => finished(preRun.json.id));
    expect(done.json.status).toBe('INSTALLED');
    expect(
      records(done.json.translationMap).filter((r) => r.installationStatus === 'INSTALLED'),
    ).toHaveLength(50_000);

    const map = await timed('translation map of 50,002 records (all USEEXISTING now)', () =>
      call(sim, 'production', 'POST', `/packages/${id}/translation-map`),
    );
    expect(records(map.json).every((record) => record.action === 'USEEXISTING')).toBe(true);
    const again = await timed(
      'installation with the whole map (POST /packages/{id}/install, GET when done)',
      async () => {
        const answer = await call(sim, 'production', 'POST', `/packages/${id}/install`, {
          body: { translationMap: map.json },
        });
        return finished(answer.text);
      },
    );
    expect(again.json.status).toBe('INSTALLED');
  });
});

// create run again by a re-run of the same workflow run reuses its package; list hands on the newest package
// whose assembly did not fail.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { COLLECTIONS, SEED, startFixture, visibleLog, type Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sim.stop());

const RUN_URL = 'https://github.com/acme/workfront-config/actions/runs/4242';
const PROVENANCE = `Built by workfront-promotion-action from acme/workfront-config, commit 0123456789ab (refs/heads/main), workflow "Promote", run ${RUN_URL}`;
const created = (name: string) => f.sim.store.packages().filter((p) => p.name === name);

describe('create, run again by a re-run of the same workflow run', () => {
  it('reuses the package whose description holds the run URL: changed=false, a notice, nothing created', async () => {
    const inputs = {
      operation: 'create',
      name: 'Re-run release',
      description: 'Quarterly templates',
      'object-collections': COLLECTIONS,
      status: 'TESTING',
    };
    const first = await f.run('preview', inputs);
    expect(first.outputs).toMatchObject({
      outcome: 'succeeded',
      changed: 'true',
      'package-status': 'TESTING',
    });
    const id = first.outputs['package-id'];
    expect(f.sim.store.package(id)?.description).toBe(`Quarterly templates\n${PROVENANCE}`);

    const before = f.sim.log.length;
    const again = await f.run('preview', inputs, { env: { GITHUB_RUN_ATTEMPT: '2' } });
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({
      outcome: 'succeeded',
      changed: 'false',
      'package-id': id,
      'package-status': 'TESTING',
    });
    expect(visibleLog(again)).toMatch(
      new RegExp(
        `::notice::Reused package "Re-run release" \\(${id}, v1\\): an earlier attempt of this workflow run`,
      ),
    );
    expect(f.changes(before)).toEqual([]);
    expect(created('Re-run release')).toHaveLength(1);
  });

  it('another workflow run builds a package of its own', async () => {
    const inputs = { operation: 'create', name: 'Nightly build', 'object-collections': COLLECTIONS };
    const first = await f.run('preview', inputs);
    const other = await f.run('preview', inputs, { env: { GITHUB_RUN_ID: '4243' } });
    expect(other.outputs).toMatchObject({ outcome: 'succeeded', changed: 'true' });
    expect(other.outputs['package-id']).not.toBe(first.outputs['package-id']);
    expect(f.sim.store.package(other.outputs['package-id'])?.description).toMatch(/actions\/runs\/4243$/);
    expect(created('Nightly build')).toHaveLength(2);
  });

  it('a package of this run whose assembly failed is not reused', async () => {
    const inputs = {
      operation: 'create',
      name: 'Failed then fixed',
      'object-collections': JSON.stringify({ TMPL: ['00000000000000000000000000000bad'] }),
    };
    const failed = await f.run('preview', inputs);
    expect(failed.outputs.outcome).toBe('failed');
    const again = await f.run('preview', {
      ...inputs,
      'object-collections': JSON.stringify({ TMPL: [SEED.preview.newAgencyOnboardingTemplate] }),
    });
    expect(again.outputs).toMatchObject({ outcome: 'succeeded', changed: 'true' });
    expect(again.outputs['package-id']).not.toBe(failed.outputs['package-id']);
  });
});

describe('list', () => {
  it('the newest match skips a failed assembly unless status asks for it', async () => {
    const good = f.sim.control.makePackage({
      name: 'Weekly 12',
      objectCollections: [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] }],
    });
    const broken = await f.run('preview', {
      operation: 'create',
      name: 'Weekly 13',
      'object-collections': JSON.stringify({ TMPL: ['00000000000000000000000000000bad'] }),
    });
    const brokenId = broken.outputs['package-id'];
    expect(f.sim.store.package(brokenId)?.status).toBe('ASSEMBLING_FAILED');

    const listed = await f.run('preview', { operation: 'list', name: 'Weekly *' });
    expect(listed.outputs).toMatchObject({ outcome: 'succeeded', 'package-id': good.id });
    expect(JSON.parse(listed.outputs.result).packages.map((p: { id: string }) => p.id)).toEqual([
      brokenId,
      good.id,
    ]);
    expect(visibleLog(listed)).toMatch(/newest: package "Weekly 12" .*\(1 newer ASSEMBLING_FAILED skipped\)/);

    const failed = await f.run('preview', {
      operation: 'list',
      name: 'Weekly *',
      status: 'ASSEMBLING_FAILED',
    });
    expect(failed.outputs['package-id']).toBe(brokenId);
  });
});

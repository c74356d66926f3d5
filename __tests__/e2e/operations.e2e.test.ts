import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTIONS, SEED, startFixture, visibleLog, type Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sim.stop());

const template = [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] }];
const makePackage = (status: 'DRAFT' | 'TESTING' | 'ACTIVE' | 'DISABLED' = 'DRAFT', name = `Pkg ${status}`) =>
  f.sim.control.makePackage({ name, objectCollections: template, status });

describe('create', () => {
  it('creates, waits out assembly, moves to status, and says where the package came from', async () => {
    const run = await f.run('preview', {
      operation: 'create',
      name: 'Agency onboarding',
      'object-collections': COLLECTIONS,
      status: 'testing',
    });
    expect(run.code).toBe(0);
    const id = run.outputs['package-id'];
    expect(run.outputs).toMatchObject({
      outcome: 'succeeded',
      'package-name': 'Agency onboarding',
      'package-status': 'TESTING',
      'previous-status': 'DRAFT',
      changed: 'true',
      'package-version': '1',
    });
    const stored = f.sim.store.package(id);
    expect(stored?.status).toBe('TESTING');
    expect(stored?.description).toBe(
      'Built by workfront-promotion-action from acme/workfront-config, commit 0123456789ab (refs/heads/main), workflow "Promote", run https://github.com/acme/workfront-config/actions/runs/4242',
    );
    expect(visibleLog(run)).toMatch(/Package status: ASSEMBLING → DRAFT|Package status: DRAFT/);
    expect(run.summary).toMatch(/^### ✅ Create package "Agency onboarding" v1/);
    expect(run.summary).toMatch(/Wait for assembly/);
  });

  it('sets package-id before it fails on ASSEMBLING_FAILED', async () => {
    const run = await f.run('preview', {
      operation: 'create',
      name: 'Broken',
      description: 'with a missing template',
      'object-collections': JSON.stringify({ TMPL: ['00000000000000000000000000000bad'] }),
    });
    expect(run.code).toBe(1);
    expect(run.outputs.outcome).toBe('failed');
    expect(run.outputs['package-id']).toMatch(/\S/);
    expect(f.sim.store.package(run.outputs['package-id'])?.status).toBe('ASSEMBLING_FAILED');
    expect(visibleLog(run)).toMatch(
      /::error::.*ended ASSEMBLING_FAILED.*check the IDs in object-collections/,
    );
    expect(run.summary).toMatch(/^### ❌ Create package "Broken" v1 — failed/);
  });

  it('with wait false returns at once, ASSEMBLING', async () => {
    const run = await f.run('preview', {
      operation: 'create',
      name: 'No wait',
      'object-collections': COLLECTIONS,
      wait: 'false',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['package-status']).toBe('ASSEMBLING');
  });
});

describe('transition', () => {
  it('moves TESTING to ACTIVE guarded by expected-status, setting published-at', async () => {
    const pkg = makePackage('TESTING');
    const run = await f.run('production', {
      operation: 'transition',
      'package-id': pkg.id,
      status: 'ACTIVE',
      'expected-status': 'TESTING',
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      'package-status': 'ACTIVE',
      'previous-status': 'TESTING',
      changed: 'true',
    });
    expect(run.outputs['published-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(f.sim.store.package(pkg.id)?.publishedAt).toBe(run.outputs['published-at']);
  });

  it('makes no request that changes anything when the package is already there', async () => {
    const pkg = makePackage('ACTIVE');
    const from = f.sim.log.length;
    const run = await f.run('production', {
      operation: 'transition',
      'package-id': pkg.id,
      status: 'ACTIVE',
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      changed: 'false',
      'package-status': 'ACTIVE',
      'previous-status': 'ACTIVE',
    });
    expect(f.changes(from)).toEqual([]);
    expect(run.summary).toMatch(/is ACTIVE, nothing to change/);
  });

  it('refuses before any change when expected-status does not hold', async () => {
    const pkg = makePackage('DRAFT');
    const from = f.sim.log.length;
    const run = await f.run('production', {
      operation: 'transition',
      'package-id': pkg.id,
      status: 'ACTIVE',
      'expected-status': 'TESTING',
    });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toMatch(/is DRAFT, not TESTING as expected-status requires; nothing was changed/);
    expect(f.changes(from)).toEqual([]);
    expect(f.sim.store.package(pkg.id)?.status).toBe('DRAFT');
  });

  it('DISABLED sets retiredAt', async () => {
    const pkg = makePackage('ACTIVE');
    const run = await f.run('production', {
      operation: 'transition',
      'package-id': pkg.id,
      status: 'DISABLED',
    });
    expect(run.code).toBe(0);
    expect(f.sim.store.package(pkg.id)?.retiredAt).toMatch(/^\d{4}-/);
    expect(run.summary).toMatch(/Retired/);
  });

  it('reports an unknown package with the API message and a hint', async () => {
    const run = await f.run('production', {
      operation: 'transition',
      'package-id': 'no-such-package',
      status: 'ACTIVE',
    });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toMatch(
      /::error::GET \/packages\/no-such-package answered 404.*Hint: check package-id/,
    );
    expect(run.outputs.outcome).toBe('failed');
  });

  it('reports a refused credential with a hint, without showing it', async () => {
    const run = await f.run('production', {
      operation: 'get',
      'package-id': makePackage().id,
      'api-key': 'wrong-key-123456',
    });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toMatch(/answered 401.*Hint: check the credential/);
    expect(visibleLog(run) + run.summary).not.toContain('wrong-key-123456');
  });
});

describe('update, replace and delete', () => {
  it('update renames, and re-extracts object collections in DRAFT', async () => {
    const pkg = makePackage('DRAFT', 'Before');
    const run = await f.run('preview', {
      operation: 'update',
      'package-id': pkg.id,
      name: 'After',
      'object-collections': COLLECTIONS,
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      'package-name': 'After',
      'package-status': 'DRAFT',
      changed: 'true',
    });
    expect(
      f.sim.store
        .package(pkg.id)
        ?.objectCollections.map((c) => c.objCode)
        .sort(),
    ).toEqual(['PTLTAB', 'TMPL']);
  });

  it('update refuses re-extraction outside DRAFT before any change', async () => {
    const pkg = makePackage('TESTING');
    const from = f.sim.log.length;
    const run = await f.run('preview', {
      operation: 'update',
      'package-id': pkg.id,
      'object-collections': COLLECTIONS,
    });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toMatch(/only in DRAFT; move it to DRAFT first/);
    expect(f.changes(from)).toEqual([]);
  });

  it('definition writes the file, replace puts it back', async () => {
    const pkg = makePackage('DRAFT', 'Round trip');
    const read = await f.run('preview', { operation: 'definition', 'package-id': pkg.id });
    expect(read.code).toBe(0);
    const path = read.outputs['definition-file'];
    const definition = JSON.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(definition.packageEntities)).toContain('TMPL');
    const edited = join(read.temp, 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...definition, name: 'Round trip, replaced' }));
    const put = await f.run('preview', {
      operation: 'replace',
      'package-id': pkg.id,
      'definition-file': edited,
    });
    expect(put.code).toBe(0);
    expect(put.outputs.changed).toBe('true');
    expect(f.sim.log.some((e) => e.method === 'PUT' && e.path.endsWith(`/packages/${pkg.id}`))).toBe(true);
  });

  it('delete needs confirm-delete, recommends DISABLED, and deletes', async () => {
    const pkg = makePackage('DISABLED');
    const refused = await f.run('preview', { operation: 'delete', 'package-id': pkg.id });
    expect(refused.code).toBe(1);
    expect(f.sim.store.package(pkg.id)).toBeDefined();
    const run = await f.run('preview', {
      operation: 'delete',
      'package-id': pkg.id,
      'confirm-delete': pkg.id,
    });
    expect(run.code).toBe(0);
    expect(visibleLog(run)).toMatch(
      /::warning::Deleting .* cannot be undone; the vendor recommends status DISABLED/,
    );
    expect(f.sim.store.package(pkg.id)).toBeUndefined();
  });
});

describe('reads', () => {
  it('get reads a package', async () => {
    const pkg = makePackage('TESTING', 'Readable');
    const run = await f.run('sandbox', { operation: 'get', 'package-id': pkg.id });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      'package-name': 'Readable',
      'package-status': 'TESTING',
      changed: 'false',
    });
  });

  it('list filters by wildcard name and status, newest first', async () => {
    makePackage('TESTING', 'Release 2026-01');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newest = makePackage('TESTING', 'Release 2026-02');
    makePackage('DRAFT', 'Release 2026-03');
    const run = await f.run('production', { operation: 'list', name: 'Release 2026-*', status: 'testing' });
    expect(run.code).toBe(0);
    expect(run.outputs['package-id']).toBe(newest.id);
    const result = JSON.parse(run.outputs.result);
    expect(result.packages.map((p: { name: string }) => p.name)).toEqual([
      'Release 2026-02',
      'Release 2026-01',
    ]);
    expect(run.summary).toMatch(/#### Packages \(2\)/);
  });

  it('installations lists a package’s installations from every environment', async () => {
    const pkg = makePackage('TESTING', 'Installed twice');
    await f.run('preview', { operation: 'install', 'package-id': pkg.id });
    await f.run('sandbox', { operation: 'install', 'package-id': pkg.id });
    const run = await f.run('sandbox', { operation: 'installations', 'package-id': pkg.id });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.outputs.result);
    expect(result.installations).toHaveLength(2);
    expect(run.outputs['installation-id']).toBe(
      f.sim.store.installations().find((i) => i.packageId === pkg.id && i.env === 'sandbox')?.id,
    );
  });
});

// Each documented example of the seeds, request → answer shape and fields.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { assembled, call, createPackage, installed, records, until } from './helpers.js';

const keys = (value: object) => Object.keys(value).sort();

/** Seed 000/002's create example, its `{domain}.{environment}` source pointing at the Preview sandbox. */
const createExample = (source: string) => ({
  name: 'Agency Onboarding - 2023-06-06',
  description: 'This promotion package contains configuration to support the agency onboarding processes...',
  source,
  objectCollections: [
    { objCode: 'PROJ', entities: [{ ID: '6419b8b9001151ee258921a4f7597ba1', name: 'Agency Request' }] },
    {
      objCode: 'TMPL',
      entities: [
        { ID: '6419b8b9001151ee258921a4f7597bb2', name: 'New Agency Onboarding' },
        { ID: '6419b8b9001151ee258921a4f7597bc3', name: 'New Agency Offboarding' },
      ],
    },
    {
      objCode: 'PTLTAB',
      entities: [{ ID: '645e6435000b4aaebe4776f4a42ed5ad', name: 'Agency Performance and Readiness' }],
    },
  ],
});

const INSTALLATION_KEYS = [
  'customerId',
  'environment',
  'environmentPromotionPackageId',
  'environmentPromotionPackageVersion',
  'id',
  'registeredAt',
  'status',
  'translationMap',
  'updatedAt',
  'userId',
];

describe('the seeds’ examples', () => {
  let sim: Simulator;
  let packageId: string;
  beforeAll(async () => {
    sim = await startSimulator({ assemblyMs: 10, installMs: 10 });
  });
  afterAll(() => sim.stop());

  it('POST /packages answers the data-wrapped package in ASSEMBLING, then assembles it into DRAFT', async () => {
    const created = await call(sim, 'preview', 'POST', '/packages', {
      body: createExample(sim.environments.preview.url),
    });
    expect(created.status).toBe(200);
    expect(keys(created.json.data)).toEqual(
      keys({
        id: 0,
        name: 0,
        description: 0,
        source: 0,
        status: 0,
        version: 0,
        createdAt: 0,
        createdById: 0,
        publishedAt: 0,
        customerId: 0,
      }),
    );
    expect(created.json.data).toMatchObject({
      name: 'Agency Onboarding - 2023-06-06',
      status: 'ASSEMBLING',
      version: 1,
      publishedAt: null,
      customerId: SEED.customerId,
      createdById: SEED.userId,
    });
    packageId = created.json.data.id;
    const read = await assembled(sim, packageId);
    expect(read.json.data.status).toBe('DRAFT');
  });

  it('GET /packages lists the short items of seed 002', async () => {
    const list = await call(sim, 'production', 'GET', '/packages');
    expect(list.status).toBe(200);
    const item = list.json.data.find((pkg: { id: string }) => pkg.id === packageId);
    expect(keys(item)).toEqual(['createdAt', 'deletedAt', 'description', 'id', 'name', 'status']);
    expect(item.deletedAt).toBeNull();
  });

  it('GET /packages/{id} carries source and packageEntities {id, name, description}, through any environment', async () => {
    const read = await call(sim, 'sandbox', 'GET', `/packages/${packageId}`);
    expect(keys(read.json.data)).toEqual(
      keys({
        id: 0,
        name: 0,
        description: 0,
        source: 0,
        status: 0,
        version: 0,
        createdAt: 0,
        publishedAt: 0,
        customerId: 0,
        packageEntities: 0,
      }),
    );
    const { packageEntities } = read.json.data;
    expect(Object.keys(packageEntities)).toEqual(
      expect.arrayContaining(['GROUP', 'ROLE', 'TMPL', 'TTSK', 'PTLTAB']),
    );
    expect(keys(packageEntities.TMPL[0])).toEqual(['description', 'id', 'name']);
  });

  it('GET /packages/{id}/definition is bare, with every field, references and the install order', async () => {
    const definition = await call(sim, 'preview', 'GET', `/packages/${packageId}/definition`);
    expect(definition.status).toBe(200);
    expect(definition.json.data).toBeUndefined();
    const { packageEntities, metadata } = definition.json;
    const task = packageEntities.TTSK[0];
    expect(task).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      templateID: expect.any(String),
    });
    expect(task.references).toContainEqual({
      objCode: 'TMPL',
      id: task.templateID,
      field: 'templateID',
      relation: 'parent',
    });
    expect(metadata.installOrder.indexOf('GROUP')).toBeLessThan(metadata.installOrder.indexOf('TMPL'));
    expect(metadata.installOrder.indexOf('TMPL')).toBeLessThan(metadata.installOrder.indexOf('TTSK'));
    expect(metadata.displayOrder).toEqual(['PROJ', 'TMPL', 'PTLTAB']);
    // Seed 000's tables: a template brings assignments, predecessors, queue objects, groups, roles, forms.
    for (const objCode of ['TASSGN', 'TPRED', 'QUED', 'QUET', 'RRUL', 'GROUP', 'ROLE', 'CTGY', 'PARAM'])
      expect(packageEntities[objCode]?.length).toBeGreaterThan(0);
    // …and a dashboard its reports with their views, filters and groupings.
    for (const objCode of ['PTLSEC', 'UIVW', 'UIFT', 'UIGB', 'EXTSEC'])
      expect(packageEntities[objCode]?.length).toBeGreaterThan(0);
  });

  it('PUT /packages/{id} (seed 000) replaces everything and answers the pre-release shape', async () => {
    const { json: definition } = await call(sim, 'preview', 'GET', `/packages/${packageId}/definition`);
    const replaced = await call(sim, 'preview', 'PUT', `/packages/${packageId}`, {
      body: {
        name: 'Agency Onboarding - 2023-06-06',
        description: '... with a description change',
        source: sim.environments.preview.url,
        status: 'TESTING',
        version: 1,
        metadata: definition.metadata,
        packageEntities: definition.packageEntities,
      },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json.data).toMatchObject({
      status: 'TESTING',
      description: '... with a description change',
    });
    expect(replaced.json.data.installationCounts).toEqual({});
    expect(replaced.json.data.displayEntities.GROUP[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      description: null,
    });
  });

  it('PATCH {status: ACTIVE} sets publishedAt (seed 000/002)', async () => {
    const patched = await call(sim, 'preview', 'PATCH', `/packages/${packageId}`, {
      body: { status: 'ACTIVE' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.data.status).toBe('ACTIVE');
    expect(Date.parse(patched.json.data.publishedAt)).toBeGreaterThan(Date.now() - 5000);
  });

  let preRunId: string;
  it('the pre-run answers a bare PREPARING installation whose map compares with the target', async () => {
    const preRun = await call(sim, 'production', 'POST', `/packages/${packageId}/prepare-installation`, {
      body: {},
    });
    expect(preRun.status).toBe(200);
    expect(keys(preRun.json)).toEqual(INSTALLATION_KEYS);
    expect(preRun.json).toMatchObject({
      environmentPromotionPackageId: packageId,
      environmentPromotionPackageVersion: 1,
      status: 'PREPARING',
      environment: sim.environments.production.host,
      userId: SEED.userId,
      customerId: SEED.customerId,
    });
    preRunId = preRun.json.id;
    const map = preRun.json.translationMap;
    expect(keys(map.GROUP[SEED.base.marketingGroup])).toEqual(['action', 'isValid', 'name', 'targetId']);
    expect(map.GROUP[SEED.base.marketingGroup]).toEqual({
      name: 'Marketing',
      action: 'USEEXISTING',
      isValid: true,
      targetId: SEED.base.marketingGroup,
    });
    // Same name, other id in production.
    expect(map.ROLE[SEED.preview.damCuratorRole]).toMatchObject({
      action: 'USEEXISTING',
      targetId: SEED.production.damCuratorRole,
    });
    expect(map.TMPL[SEED.preview.newAgencyOnboardingTemplate]).toMatchObject({
      action: 'CREATE',
      targetId: '',
    });
  });

  it('POST /installations/{id}/install answers 202 {}, then the installation ends INSTALLED', async () => {
    const install = await call(sim, 'production', 'POST', `/installations/${preRunId}/install`, { body: {} });
    expect(install.status).toBe(202);
    expect(install.json).toEqual({});
    const done = await installed(sim, 'production', preRunId);
    expect(keys(done.json)).toEqual(INSTALLATION_KEYS);
    expect(done.json.status).toBe('INSTALLED');
    const all = records(done.json.translationMap);
    expect(
      all.filter((record) => record.action === 'CREATE').every((r) => r.installationStatus === 'INSTALLED'),
    ).toBe(true);
    expect(
      all
        .filter((record) => record.action === 'USEEXISTING')
        .every((r) => r.installationStatus === 'REGISTERED'),
    ).toBe(true);
    const template = done.json.translationMap.TMPL[SEED.preview.newAgencyOnboardingTemplate];
    expect(template.targetId).toMatch(/^[0-9a-f]{32}$/);
    expect(sim.store.record('production', 'TMPL', template.targetId)?.name).toBe('New Agency Onboarding');
  });

  it('GET /installations?environmentPromotionPackageId= answers a bare array from every environment', async () => {
    await call(sim, 'sandbox', 'POST', `/packages/${packageId}/prepare-installation`, { body: {} });
    const list = await call(
      sim,
      'preview',
      'GET',
      `/installations?environmentPromotionPackageId=${packageId}`,
    );
    expect(list.status).toBe(200);
    expect(Array.isArray(list.json)).toBe(true);
    expect(list.json.map((installation: { environment: string }) => installation.environment).sort()).toEqual(
      [sim.environments.production.host, sim.environments.sandbox.host].sort(),
    );
    expect(keys(list.json[0])).toEqual(INSTALLATION_KEYS);
  });

  it('the overwriting flow: translation-map (202, bare map), then POST /packages/{id}/install (202, the id as text)', async () => {
    const map = await call(sim, 'sandbox', 'POST', `/packages/${packageId}/translation-map`);
    expect(map.status).toBe(202);
    expect(map.json.TMPL).toBeDefined();
    const install = await call(sim, 'sandbox', 'POST', `/packages/${packageId}/install`, {
      body: { translationMap: map.json },
    });
    expect(install.status).toBe(202);
    expect(install.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(install.text).toMatch(/^[0-9a-f-]{36}$/);
    const done = await installed(sim, 'sandbox', install.text);
    expect(done.json.status).toBe('INSTALLED');
  });

  it('DELETE answers the text Deleted; the package is gone', async () => {
    const id = await createPackage(sim, [
      { objCode: 'ROLE', entities: [{ ID: SEED.preview.copywriterRole }] },
    ]);
    const deleted = await call(sim, 'preview', 'DELETE', `/packages/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('Deleted');
    expect((await call(sim, 'preview', 'GET', `/packages/${id}`)).status).toBe(404);
  });

  it('seed 000 variants: install answers 200, a finished installation says COMPLETED, packages carry displayEntities', async () => {
    sim.control.setOption('installAnswerStatus', 200);
    sim.control.setOption('completedWord', 'COMPLETED');
    sim.control.setOption('packageShape', 'prerelease');
    sim.control.setOption('environmentFormat', 'url');
    try {
      const id = await createPackage(sim, [
        { objCode: 'GROUP', entities: [{ ID: SEED.preview.agencyPartnersGroup }] },
      ]);
      const read = await call(sim, 'preview', 'GET', `/packages/${id}`);
      expect(read.json.data).toHaveProperty('displayEntities.GROUP');
      expect(read.json.data).toHaveProperty('installationCounts');
      expect(read.json.data).not.toHaveProperty('source');
      await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'TESTING' } });
      const preRun = await call(sim, 'sandbox', 'POST', `/packages/${id}/prepare-installation`, { body: {} });
      expect(preRun.json.environment).toBe(sim.environments.sandbox.url);
      const install = await call(sim, 'sandbox', 'POST', `/installations/${preRun.json.id}/install`, {
        body: {},
      });
      expect(install.status).toBe(200);
      expect((await installed(sim, 'sandbox', preRun.json.id)).json.status).toBe('COMPLETED');
      const list = await call(sim, 'preview', 'GET', '/packages');
      expect(list.json.data.find((pkg: { id: string }) => pkg.id === id).installationCounts).toEqual({
        [sim.environments.sandbox.url]: 1,
      });
    } finally {
      sim.control.setOption('installAnswerStatus', 202);
      sim.control.setOption('completedWord', 'INSTALLED');
      sim.control.setOption('packageShape', 'current');
      sim.control.setOption('environmentFormat', 'host');
    }
  });

  it('the older base (seed 001): packageName, Bearer, EXTRACTING then BUILDING, isPrivate', async () => {
    const headers = { authorization: `Bearer ${sim.credentials.bearerToken}` };
    const body = {
      ...createExample(sim.environments.preview.url),
      name: undefined,
      packageName: 'Legacy package',
    };
    const created = await call(sim, 'preview', 'POST', '/packages', {
      legacy: true,
      anonymous: true,
      headers,
      body,
    });
    expect(created.status).toBe(200);
    expect(created.json.data).toMatchObject({
      name: 'Legacy package',
      status: 'EXTRACTING',
      isPrivate: true,
    });
    const read = await until(
      () =>
        call(sim, 'preview', 'GET', `/packages/${created.json.data.id}`, {
          legacy: true,
          anonymous: true,
          headers,
        }),
      (answer) => answer.json.data.status !== 'EXTRACTING',
    );
    expect(read.json.data.status).toBe('BUILDING');
    const patched = await call(sim, 'preview', 'PATCH', `/packages/${created.json.data.id}`, {
      legacy: true,
      anonymous: true,
      headers,
      body: { status: 'PREVIEW' },
    });
    expect(patched.json.data.status).toBe('PREVIEW');
    const modern = await call(sim, 'preview', 'GET', `/packages/${created.json.data.id}`);
    expect(modern.json.data.status).toBe('TESTING');
  });
});

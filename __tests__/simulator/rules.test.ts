// The service's rules: statuses, assembly, the pre-run compare, installations.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { assembled, call, createPackage, installed, records, until } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 10, installMs: 10 });
});
afterAll(() => sim.stop());

const ONBOARDING = [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] }];
const AGENCY_SERVICES = [{ objCode: 'GROUP', entities: [{ ID: SEED.preview.agencyServicesGroup }] }];

async function translationMap(packageId: string, env: 'production' | 'sandbox' = 'production') {
  return (await call(sim, env, 'POST', `/packages/${packageId}/translation-map`)).json;
}

async function installMap(packageId: string, map: unknown, env: 'production' | 'sandbox' = 'production') {
  const answer = await call(sim, env, 'POST', `/packages/${packageId}/install`, {
    body: { translationMap: map },
  });
  return answer.status === 202 ? (await installed(sim, env, answer.text)).json : answer;
}

describe('package statuses', () => {
  it('refuses a status change while ASSEMBLING', async () => {
    // An assembly that outlasts the test: the change is made while it runs, however slow the machine.
    sim.control.setOption('assemblyMs', 600_000);
    const created = await call(sim, 'preview', 'POST', '/packages', {
      body: { name: 'Slow', source: sim.environments.preview.url, objectCollections: ONBOARDING },
    });
    sim.control.setOption('assemblyMs', 10);
    const id = created.json.data.id;
    const during = await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'TESTING' } });
    expect(during.status).toBe(400);
    expect(during.json.error.message).toMatch(/ASSEMBLING/);
  });

  it('refuses system statuses', async () => {
    const created = await call(sim, 'preview', 'POST', '/packages', {
      body: { name: 'Quick', source: sim.environments.preview.url, objectCollections: ONBOARDING },
    });
    const id = created.json.data.id;
    await assembled(sim, id);
    for (const status of ['ASSEMBLING', 'ASSEMBLING_FAILED', 'UNASSEMBLED']) {
      const refused = await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status } });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toMatch(/set by the system/);
    }
    expect(
      (await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'SHIPPED' } })).status,
    ).toBe(400);
  });

  it('installs DRAFT and DISABLED nowhere, TESTING only into sandboxes, ACTIVE anywhere', async () => {
    const id = await createPackage(sim, AGENCY_SERVICES);
    const draft = await call(sim, 'sandbox', 'POST', `/packages/${id}/prepare-installation`, { body: {} });
    expect(draft.status).toBe(400);
    expect(draft.json.error.message).toMatch(/DRAFT and cannot be installed/);

    await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'TESTING' } });
    const production = await call(sim, 'production', 'POST', `/packages/${id}/prepare-installation`, {
      body: {},
    });
    expect(production.status).toBe(400);
    expect(production.json.error.message).toMatch(
      /TESTING and cannot be installed into Production; set it to ACTIVE/,
    );
    expect((await call(sim, 'production', 'POST', `/packages/${id}/translation-map`)).status).toBe(400);
    expect(
      (await call(sim, 'sandbox', 'POST', `/packages/${id}/prepare-installation`, { body: {} })).status,
    ).toBe(200);

    const active = await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'ACTIVE' } });
    expect(active.json.data.publishedAt).not.toBeNull();
    expect(
      (await call(sim, 'production', 'POST', `/packages/${id}/prepare-installation`, { body: {} })).status,
    ).toBe(200);

    const disabled = await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'DISABLED' } });
    expect(disabled.json.data.retiredAt).toEqual(expect.any(String));
    const refused = await call(sim, 'sandbox', 'POST', `/packages/${id}/prepare-installation`, { body: {} });
    expect(refused.json.error.message).toMatch(/DISABLED and cannot be installed/);
  });

  it('edits contents only in DRAFT; re-extraction needs source and re-assembles', async () => {
    const id = await createPackage(sim, AGENCY_SERVICES, 'TESTING');
    const collections = [
      ...AGENCY_SERVICES,
      { objCode: 'ROLE', entities: [{ ID: SEED.preview.agencyLiaisonRole }] },
    ];
    const source = sim.environments.preview.url;
    const inTesting = await call(sim, 'preview', 'PATCH', `/packages/${id}`, {
      body: { source, objectCollections: collections },
    });
    expect(inTesting.status).toBe(400);
    expect(inTesting.json.error.message).toMatch(/only be edited in DRAFT/);
    await call(sim, 'preview', 'PATCH', `/packages/${id}`, { body: { status: 'DRAFT' } });
    const noSource = await call(sim, 'preview', 'PATCH', `/packages/${id}`, {
      body: { objectCollections: collections },
    });
    expect(noSource.json.error.message).toMatch(/source is required/);
    const started = await call(sim, 'preview', 'PATCH', `/packages/${id}`, {
      body: { source, objectCollections: collections },
    });
    expect(started.json.data.status).toBe('ASSEMBLING');
    const done = await assembled(sim, id);
    expect(done.json.data.status).toBe('DRAFT');
    expect(Object.keys(done.json.data.packageEntities).sort()).toEqual(['GROUP', 'ROLE']);
  });

  it('fails assembly when a requested ID is not in the source; re-extraction recovers', async () => {
    const created = await call(sim, 'preview', 'POST', '/packages', {
      body: {
        name: 'Missing',
        source: sim.environments.preview.url,
        objectCollections: [{ objCode: 'TMPL', entities: [{ ID: 'ffffffffffffffffffffffffffffffff' }] }],
      },
    });
    const failed = await assembled(sim, created.json.data.id);
    expect(failed.json.data.status).toBe('ASSEMBLING_FAILED');
    const transition = await call(sim, 'preview', 'PATCH', `/packages/${created.json.data.id}`, {
      body: { status: 'TESTING' },
    });
    expect(transition.json.error.message).toMatch(/assemble it first/);
    await call(sim, 'preview', 'PATCH', `/packages/${created.json.data.id}`, {
      body: { source: sim.environments.preview.url, objectCollections: ONBOARDING },
    });
    expect((await assembled(sim, created.json.data.id)).json.data.status).toBe('DRAFT');
  });

  it('assembles from the environment the source points to, else the one the request came through', async () => {
    const campaign = [{ objCode: 'TMPL', entities: [{ ID: SEED.sandbox.clientCampaignLaunchTemplate }] }];
    for (const source of [sim.environments.sandbox.url, 'https://acme.sb01.workfront.com', undefined]) {
      const created = await call(sim, source ? 'preview' : 'sandbox', 'POST', '/packages', {
        body: { name: 'From sb01', source, objectCollections: campaign },
      });
      expect((await assembled(sim, created.json.data.id)).json.data.status).toBe('DRAFT');
    }
    const fromPreview = await call(sim, 'preview', 'POST', '/packages', {
      body: { name: 'Not in preview', objectCollections: campaign },
    });
    expect((await assembled(sim, fromPreview.json.data.id)).json.data.status).toBe('ASSEMBLING_FAILED');
  });

  it('refuses invalid bodies with a message', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ objectCollections: ONBOARDING }, /name is required/],
      [{ name: 'x', source: 'not a url', objectCollections: ONBOARDING }, /not a URL/],
      [
        { name: 'x', objectCollections: [{ objCode: 'TTSK', entities: [{ ID: 'a' }] }] },
        /not a promotable objCode/,
      ],
      [{ name: 'x', objectCollections: [{ objCode: 'TMPL', entities: [{ name: 'no id' }] }] }, /needs an ID/],
      ['{"name": ', /Malformed JSON/],
    ];
    for (const [body, message] of cases) {
      const answer = await call(sim, 'preview', 'POST', '/packages', { body });
      expect(answer.status).toBe(400);
      expect(answer.json.error.message).toMatch(message);
    }
    const put = await call(sim, 'preview', 'PUT', `/packages/${await createPackage(sim, AGENCY_SERVICES)}`, {
      body: { name: 'only a name' },
    });
    expect(put.json.error.message).toMatch(/missing: description, source, status, version, packageEntities/);
  });

  it('answers 404 for unknown ids and routes, 405 for unsupported methods, 400 without a package id', async () => {
    expect((await call(sim, 'preview', 'GET', '/packages/nope')).status).toBe(404);
    expect((await call(sim, 'preview', 'GET', '/installations/nope')).json.error.message).toMatch(
      /not found/,
    );
    expect((await call(sim, 'preview', 'GET', '/nothing-here')).status).toBe(404);
    const notAllowed = await call(sim, 'preview', 'DELETE', '/installations');
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get('allow')).toBe('GET');
    expect((await call(sim, 'preview', 'GET', '/installations')).status).toBe(400);
  });
});

describe('the pre-run', () => {
  it('matches by id and by name (children by name under their matched parent)', async () => {
    const id = await createPackage(
      sim,
      [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOffboardingTemplate }] }],
      'ACTIVE',
    );
    const map = await translationMap(id);
    expect(map.GROUP[SEED.base.marketingGroup]).toMatchObject({
      action: 'USEEXISTING',
      targetId: SEED.base.marketingGroup,
    });
    expect(map.TMPL[SEED.preview.newAgencyOffboardingTemplate]).toMatchObject({
      action: 'USEEXISTING',
      targetId: SEED.production.newAgencyOffboardingTemplate,
    });
    const tasks = records(map).filter((record) => record.objCode === 'TTSK');
    const byName = Object.fromEntries(tasks.map((task) => [task.name, task]));
    expect(byName['Revoke access'].action).toBe('USEEXISTING');
    expect(sim.store.record('production', 'TTSK', byName['Revoke access'].targetId as string)?.name).toBe(
      'Revoke access',
    );
    expect(byName['Archive documents']).toMatchObject({ action: 'CREATE', targetId: '' });
    expect(records(map).every((record) => record.isValid === true)).toBe(true);
  });

  it('is stored as a PREPARING installation; a second pre-run after installing answers USEEXISTING', async () => {
    const id = await createPackage(sim, ONBOARDING, 'ACTIVE');
    const first = (
      await call(sim, 'production', 'POST', `/packages/${id}/prepare-installation`, { body: {} })
    ).json;
    expect(sim.store.installation(first.id)?.status).toBe('PREPARING');
    expect(records(first.translationMap).some((record) => record.action === 'CREATE')).toBe(true);
    await call(sim, 'production', 'POST', `/installations/${first.id}/install`, { body: {} });
    expect((await installed(sim, 'production', first.id)).json.status).toBe('INSTALLED');
    const second = (
      await call(sim, 'production', 'POST', `/packages/${id}/prepare-installation`, { body: {} })
    ).json;
    const created = first.translationMap.TMPL[SEED.preview.newAgencyOnboardingTemplate];
    expect(created.targetId).toBe('');
    const installedMap = sim.store.installation(first.id)?.translationMap;
    expect(second.translationMap.TMPL[SEED.preview.newAgencyOnboardingTemplate]).toEqual({
      name: 'New Agency Onboarding',
      action: 'USEEXISTING',
      isValid: true,
      targetId: installedMap?.TMPL[SEED.preview.newAgencyOnboardingTemplate].targetId,
    });
    expect(records(second.translationMap).every((record) => record.action === 'USEEXISTING')).toBe(true);
  });
});

describe('installations', () => {
  it('run asynchronously: INSTALLING while running', async () => {
    sim.control.setOption('installMs', 150);
    try {
      const id = await createPackage(sim, AGENCY_SERVICES, 'TESTING');
      const preRun = (
        await call(sim, 'sandbox', 'POST', `/packages/${id}/prepare-installation`, { body: {} })
      ).json;
      await call(sim, 'sandbox', 'POST', `/installations/${preRun.id}/install`, { body: {} });
      expect((await call(sim, 'sandbox', 'GET', `/installations/${preRun.id}`)).json.status).toBe(
        'INSTALLING',
      );
      const again = await call(sim, 'sandbox', 'POST', `/installations/${preRun.id}/install`, { body: {} });
      expect(again.status).toBe(409);
      expect(again.json.error.message).toMatch(/INSTALLING; only a PREPARING pre-run can be installed, once/);
      expect((await installed(sim, 'sandbox', preRun.id)).json.status).toBe('INSTALLED');
      expect(
        (await call(sim, 'sandbox', 'POST', `/installations/${preRun.id}/install`, { body: {} })).status,
      ).toBe(409);
    } finally {
      sim.control.setOption('installMs', 10);
    }
  });

  it('installs a pre-run only through the environment it was prepared for', async () => {
    const id = await createPackage(sim, AGENCY_SERVICES, 'TESTING');
    const preRun = (await call(sim, 'sandbox', 'POST', `/packages/${id}/prepare-installation`, { body: {} }))
      .json;
    const elsewhere = await call(sim, 'preview', 'POST', `/installations/${preRun.id}/install`, { body: {} });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.error.message).toMatch(/was prepared for/);
  });

  it('fails a CREATE whose unique name exists; CREATEWITHALTNAME renames', async () => {
    const id = await createPackage(sim, AGENCY_SERVICES, 'ACTIVE');
    const map = await translationMap(id);
    const group = map.GROUP[SEED.preview.agencyServicesGroup];
    expect(group).toMatchObject({ action: 'USEEXISTING', targetId: SEED.production.agencyServicesGroup });
    const failed = await installMap(id, {
      GROUP: { [SEED.preview.agencyServicesGroup]: { ...group, action: 'CREATE', targetId: '' } },
    });
    expect(failed.status).toBe('FAILED');
    expect(failed.translationMap.GROUP[SEED.preview.agencyServicesGroup]).toMatchObject({
      installationStatus: 'FAILED',
      reason: 'A group named "Agency Services" already exists',
    });
    const renamed = await installMap(id, {
      GROUP: { [SEED.preview.agencyServicesGroup]: { ...group, action: 'CREATEWITHALTNAME', targetId: '' } },
    });
    const result = renamed.translationMap.GROUP[SEED.preview.agencyServicesGroup];
    expect(result.installationStatus).toBe('INSTALLED');
    expect(sim.store.record('production', 'GROUP', result.targetId)?.name).toBe('Agency Services (2)');
  });

  it('fails the installation when a created parent is ignored but not its children', async () => {
    const id = await createPackage(sim, ONBOARDING, 'TESTING');
    const map = await translationMap(id, 'sandbox');
    const template = SEED.preview.newAgencyOnboardingTemplate;
    expect(map.TMPL[template].action).toBe('CREATE');
    map.TMPL[template].action = 'IGNORE';
    const failed = await installMap(id, map, 'sandbox');
    expect(failed.status).toBe('FAILED');
    const orphans = records(failed.translationMap).filter((record) => record.installationStatus === 'FAILED');
    expect(orphans.length).toBeGreaterThan(0);
    expect(
      orphans.filter((o) => o.objCode === 'TTSK').every((o) => String(o.reason).includes(template)),
    ).toBe(true);
    expect(failed.translationMap.TMPL[template].installationStatus).toBeUndefined();

    // Ignoring the dependants too, as read from the definition's references, installs the rest.
    const definition = (await call(sim, 'preview', 'GET', `/packages/${id}/definition`)).json;
    const { packageEntities, metadata } = definition;
    const ignored = new Set<string>([template]);
    const installOrder: string[] = metadata.installOrder;
    for (const objCode of installOrder)
      for (const entity of packageEntities[objCode])
        if (
          entity.references.some(
            (ref: { id: string; relation: string }) => ref.relation === 'parent' && ignored.has(ref.id),
          )
        ) {
          ignored.add(entity.id);
          map[objCode][entity.id].action = 'IGNORE';
        }
    const done = await installMap(id, map, 'sandbox');
    expect(done.status).toBe('INSTALLED');
    expect(sim.store.findByName('sandbox', 'TMPL', 'New Agency Onboarding')).toBeUndefined();
  });

  it('OVERWRITING needs an existing targetId and replaces that record', async () => {
    const offboarding = SEED.preview.newAgencyOffboardingTemplate;
    const id = await createPackage(sim, [{ objCode: 'TMPL', entities: [{ ID: offboarding }] }], 'ACTIVE');
    const map = await translationMap(id);
    const missing = await installMap(id, {
      ...map,
      TMPL: { [offboarding]: { ...map.TMPL[offboarding], action: 'OVERWRITING', targetId: '' } },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/OVERWRITING needs a targetId/);
    const unknown = await installMap(id, {
      ...map,
      TMPL: { [offboarding]: { ...map.TMPL[offboarding], action: 'OVERWRITING', targetId: 'ffff' } },
    });
    expect(unknown.json.error.message).toMatch(/targetId ffff is no TMPL of this environment/);

    const target = SEED.production.newAgencyOffboardingTemplate;
    map.TMPL[offboarding] = { ...map.TMPL[offboarding], action: 'OVERWRITING', targetId: target };
    const done = await installMap(id, map);
    expect(done.status).toBe('INSTALLED');
    expect(done.translationMap.TMPL[offboarding]).toMatchObject({
      installationStatus: 'INSTALLED',
      targetId: target,
    });
    expect(sim.store.record('production', 'TMPL', target)?.fields).toMatchObject({
      planningDurationMinutes: 3 * 480,
    });
  });

  it('refuses unknown actions and maps that do not cover the package', async () => {
    const id = await createPackage(sim, AGENCY_SERVICES, 'ACTIVE');
    const map = await translationMap(id);
    map.GROUP[SEED.preview.agencyServicesGroup].action = 'UPDATE';
    const unknown = await installMap(id, map);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toMatch(/unknown action "UPDATE"/);
    const partial = await installMap(id, {});
    expect(partial.json.error.message).toMatch(/1 records of the package are missing/);
    const before = sim.counts().installationsStarted;
    expect((await call(sim, 'production', 'POST', `/packages/${id}/install`, { body: {} })).status).toBe(400);
    expect(sim.counts().installationsStarted).toBe(before);
  });

  it('points dependants of an ignored group at the default group', async () => {
    const created = await call(sim, 'sandbox', 'POST', '/packages', {
      body: {
        name: 'Campaign',
        objectCollections: [
          { objCode: 'TMPL', entities: [{ ID: SEED.sandbox.clientCampaignLaunchTemplate }] },
        ],
      },
    });
    await until(
      () => call(sim, 'sandbox', 'GET', `/packages/${created.json.data.id}`),
      (answer) => answer.json.data.status !== 'ASSEMBLING',
    );
    await call(sim, 'sandbox', 'PATCH', `/packages/${created.json.data.id}`, { body: { status: 'ACTIVE' } });
    const map = await translationMap(created.json.data.id);
    map.GROUP[SEED.sandbox.campaignOpsGroup].action = 'IGNORE';
    const done = await installMap(created.json.data.id, map);
    expect(done.status).toBe('INSTALLED');
    const template = done.translationMap.TMPL[SEED.sandbox.clientCampaignLaunchTemplate];
    expect(sim.store.record('production', 'TMPL', template.targetId)?.references).toContainEqual(
      expect.objectContaining({ objCode: 'GROUP', id: SEED.base.defaultGroup }),
    );
  });
});

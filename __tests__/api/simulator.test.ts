// Round trips against the simulator: the client and the simulator read the same seeds independently.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { JWT_EXCHANGE_PATH, type Credential, type WorkfrontClient } from '../../src/api/index.js';
import { startSimulator, SEED, type Simulator } from '../../simulator/index.js';
import { expectNoLeaks, failure, testClient, NOTHING_TO_FIND } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assemblyMs: 20, installMs: 20 });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.control.clearFaults();
  expectNoLeaks();
});

/** A client on a simulated environment, sleeping for real but briefly. */
function clientOf(env: 'preview' | 'sandbox' | 'production', auth?: Credential) {
  const server = { origin: sim.environments[env].url } as Parameters<typeof testClient>[0];
  return testClient(server, {
    auth: auth ?? { kind: 'api-key', apiKey: sim.credentials.apiKey },
    clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) },
  }).client;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const COLLECTIONS = [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] }];

async function assembled(client: WorkfrontClient, name: string) {
  const created = await client.createPackage(
    {
      name,
      source: sim.environments.preview.url,
      objectCollections: COLLECTIONS,
    },
    NOTHING_TO_FIND,
  );
  expect(created.status).toBe('ASSEMBLING');
  return until(
    () => client.getPackage(created.id),
    (p) => p.status !== 'ASSEMBLING',
  );
}

describe('against the simulator', () => {
  it('builds, tests and installs a package through every endpoint', async () => {
    const preview = clientOf('preview');
    const sandbox = clientOf('sandbox');
    const pkg = await assembled(preview, 'Round trip');
    expect(pkg.status).toBe('DRAFT');
    expect((await preview.listPackages()).map((p) => p.id)).toContain(pkg.id);
    expect(Object.keys((await preview.getDefinition(pkg.id)).packageEntities)).toContain('TMPL');
    expect(await preview.updatePackage(pkg.id, { status: 'TESTING' })).toMatchObject({ status: 'TESTING' });

    const prerun = await sandbox.prepareInstallation(pkg.id);
    expect(prerun.status).toBe('PREPARING');
    expect(prerun.translationMap?.TMPL).toBeDefined();
    await sandbox.installInstallation(prerun.id);
    const done = await until(
      () => sandbox.getInstallation(prerun.id),
      (i) => i.status !== 'PREPARING' && i.status !== 'INSTALLING',
    );
    expect(done.status).toBe('INSTALLED');
    expect((await sandbox.listInstallations(pkg.id)).map((i) => i.id)).toContain(prerun.id);

    const map = await sandbox.createTranslationMap(pkg.id);
    const installationId = await sandbox.installPackage(pkg.id, map, NOTHING_TO_FIND);
    expect((await sandbox.getInstallation(installationId)).id).toBe(installationId);

    await preview.deletePackage(pkg.id);
    expect((await failure(preview.getPackage(pkg.id))).kind).toBe('not-found');
  });

  it('reads the November 2023 shapes (displayEntities, COMPLETED, 200 installs, URL environments)', async () => {
    for (const [key, value] of [
      ['packageShape', 'prerelease'],
      ['completedWord', 'COMPLETED'],
      ['installAnswerStatus', 200],
      ['environmentFormat', 'url'],
    ] as const) {
      sim.control.setOption(key, value as never);
    }
    try {
      const preview = clientOf('preview');
      const pkg = await assembled(preview, 'Prerelease shapes');
      expect(pkg.displayEntities ?? pkg.packageEntities).toBeDefined();
      await preview.updatePackage(pkg.id, { status: 'TESTING' });
      const prerun = await preview.prepareInstallation(pkg.id);
      await preview.installInstallation(prerun.id);
      const done = await until(
        () => preview.getInstallation(prerun.id),
        (i) => i.status === 'COMPLETED' || i.status === 'FAILED',
      );
      expect(done.status).toBe('COMPLETED');
    } finally {
      sim.control.setOption('packageShape', 'current');
      sim.control.setOption('completedWord', 'INSTALLED');
      sim.control.setOption('installAnswerStatus', 202);
      sim.control.setOption('environmentFormat', 'host');
    }
  });

  it('does not create a package twice when the answer to a landed create is dropped', async () => {
    sim.control.addFault({
      method: 'POST',
      path: '/packages',
      kind: 'drop',
      after: 'respond',
      times: 1,
      env: 'preview',
    });
    const preview = clientOf('preview');
    const before = new Set((await preview.listPackages()).map((p) => p.id));
    // As the create operation looks: a package of that name that was not there before.
    const lookup = {
      withinMs: 5_000,
      find: async () =>
        (await preview.listPackages()).find((p) => p.name === 'Dropped create' && !before.has(p.id)),
    };
    const created = await preview.createPackage(
      { name: 'Dropped create', source: sim.environments.preview.url, objectCollections: COLLECTIONS },
      lookup,
    );
    expect(sim.store.package(created.id)?.name).toBe('Dropped create');
    expect(sim.counts().duplicatePackageNames).not.toContain('Dropped create');
  });

  it('does not start an installation twice when the answer to a landed install is dropped', async () => {
    const pkg = sim.control.makePackage({
      name: 'Dropped install',
      objectCollections: COLLECTIONS,
      status: 'ACTIVE',
    });
    const sandbox = clientOf('sandbox');
    const map = await sandbox.createTranslationMap(pkg.id);
    sim.control.addFault({ method: 'POST', path: /\/install$/, kind: 'drop', after: 'respond', times: 1 });
    // As the install operation looks: an installation of the package, past its pre-run, not there before.
    const before = new Set((await sandbox.listInstallations(pkg.id)).map((i) => i.id));
    const lookup = {
      withinMs: 5_000,
      find: async () =>
        (await sandbox.listInstallations(pkg.id)).find((i) => !before.has(i.id) && i.status !== 'PREPARING')
          ?.id,
    };
    const id = await sandbox.installPackage(pkg.id, map, lookup);
    expect(sim.store.installation(id)?.status).not.toBe('PREPARING');
    expect(sim.counts().repeatedInstallTargets.filter((target) => target.startsWith(pkg.id))).toEqual([]);
  });

  it('retries faults the simulator injects: 503 with Retry-After, 429, truncated and malformed answers', async () => {
    sim.control.addFault({
      method: 'GET',
      path: '/packages',
      kind: 'error',
      status: 503,
      retryAfter: 0,
      times: 1,
    });
    sim.control.addFault({ method: 'GET', path: '/packages', kind: 'rate-limit', retryAfter: 0, times: 1 });
    sim.control.addFault({ method: 'GET', path: '/packages', kind: 'truncated', times: 1 });
    await expect(clientOf('preview').listPackages()).resolves.toEqual(expect.any(Array));
    sim.control.addFault({ method: 'GET', path: '/packages', kind: 'malformed', times: 1 });
    expect((await failure(clientOf('preview').listPackages())).kind).toBe('malformed');
  });

  it('gets tokens by the Workfront JWT flow and by Adobe IMS, and renews them after a revocation', async () => {
    const { oauth } = sim.credentials;
    const jwt: Credential = {
      kind: 'workfront-jwt',
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      privateKey: oauth.privateKeyPem,
      customerId: oauth.customerId,
      userId: oauth.userId,
      tokenUrl: `${sim.environments.preview.url}${JWT_EXCHANGE_PATH}`,
    };
    const ims: Credential = {
      kind: 'adobe-ims',
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      scopes: oauth.scopes,
      tokenUrl: sim.imsTokenUrl,
    };
    for (const auth of [jwt, ims]) {
      const client = clientOf('preview', auth);
      await client.listPackages();
      sim.control.revokeTokens();
      await expect(client.listPackages()).resolves.toEqual(expect.any(Array));
    }
    expectNoLeaks();
  });
});

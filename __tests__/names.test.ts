// Naming objects: the inputs that carry names, and the resolution (src/names.ts) through the real client against
// the simulator's core API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '../src/api/client.js';
import type { CoreApi } from '../src/api/core.js';
import { readInputs } from '../src/inputs.js';
import {
  checkTargets,
  listCandidates,
  lookUpName,
  nameTargets,
  resolveCollections,
  withTargetNames,
} from '../src/names.js';
import { parseStructured } from '../src/files.js';
import { parseOverrides, recordsOf } from '../src/translation-map.js';
import { SEED, startSimulator, type EnvKey, type Simulator } from '../simulator/index.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.stop());

const coreOf = (env: EnvKey): CoreApi =>
  createClient({
    baseUrl: sim.environments[env].url,
    auth: { kind: 'api-key', apiKey: sim.credentials.apiKey },
    version: 'test',
  }).core();

const P = SEED.preview;
const S = SEED.sandbox;

describe('inputs', () => {
  const base = { url: 'https://acme.preview.workfront.com', 'api-key': 'k3y' };
  const read = (inputs: Record<string, string>) => readInputs((name) => inputs[name] ?? '');

  it('reads {name} entries without an ID, and keeps the ones with an ID as they were', () => {
    const { config, errors } = read({
      ...base,
      operation: 'create',
      name: 'Release',
      'object-collections': 'TMPL: [{name: " New Agency Onboarding "}, {ID: t1, name: Other}, t2]',
    });
    expect(errors).toEqual([]);
    expect(config?.operation === 'create' && config.objectCollections).toEqual([
      {
        objCode: 'TMPL',
        entities: [{ name: 'New Agency Onboarding' }, { ID: 't1', name: 'Other' }, { ID: 't2' }],
      },
    ]);
  });

  it('reads core-api-version with v21.0 as default, and refuses what is no version', () => {
    const get = { ...base, operation: 'get', 'package-id': 'p1' };
    expect(read(get).config?.coreApiVersion).toBe('v21.0');
    expect(read({ ...get, 'core-api-version': '22' }).config?.coreApiVersion).toBe('v22.0');
    expect(read({ ...get, 'core-api-version': 'latest' }).errors).toEqual([
      `Input "core-api-version": "latest" is not a version of Workfront's core API; use e.g. v21.0`,
    ]);
  });

  it('reads targetName in a map file, for USEEXISTING and OVERWRITING only', () => {
    expect(readMap(`GROUP: {g1: {action: useexisting, targetName: " Campaign Ops "}}`)).toEqual({
      value: { GROUP: { g1: { action: 'USEEXISTING', targetName: 'Campaign Ops' } } },
      errors: [],
    });
    expect(readMap(`GROUP: {g1: {action: CREATE, targetName: Campaign Ops}}`).errors).toEqual([
      'm GROUP.g1: targetName is for USEEXISTING and OVERWRITING only, not CREATE',
    ]);
    expect(readMap(`GROUP: {g1: {action: USEEXISTING, targetName: 7}}`).errors[0]).toMatch(
      /targetName must be the name of the target record, found number 7/,
    );
  });
});

function readMap(text: string) {
  const { value, errors } = parseOverrides(parseStructured(text, 'm'), 'm');
  return { value, errors };
}

describe('lookUpName', () => {
  it('finds exactly one object, whatever the case of the name', async () => {
    expect(await lookUpName(coreOf('sandbox'), 'GROUP', 'CAMPAIGN ops')).toEqual({
      found: { ID: S.campaignOpsGroup, name: 'Campaign Ops', objCode: 'GROUP' },
    });
  });

  it('counts the candidates past ten and lists ten', async () => {
    const made = sim.control.seedRecords(
      'production',
      'UIFT',
      Array.from({ length: 13 }, () => ({ name: 'My filter' })),
    );
    const answer = await lookUpName(coreOf('production'), 'UIFT', 'my filter');
    expect('problem' in answer && answer.problem).toBe(
      `13 objects of UIFT are named "my filter" in ${sim.environments.production.host}: ${made
        .slice(0, 10)
        .map((r) => `"My filter" (${r.id})`)
        .join('; ')}; … and 3 more; give the ID of the one you mean`,
    );
  });

  it('refuses names Workfront would expand, without asking', async () => {
    const before = sim.log.length;
    const answer = await lookUpName(coreOf('sandbox'), 'GROUP', '$$USER');
    expect('problem' in answer && answer.problem).toMatch(/expanded by Workfront/);
    expect(sim.log.length).toBe(before);
  });

  it('reports an objCode the core API refuses as the problem of that entry', async () => {
    const answer = await lookUpName(coreOf('sandbox'), 'NOSUCH', 'x');
    expect('problem' in answer && answer.problem).toMatch(
      /the core API refused the lookup: .*Unknown objCode NOSUCH/,
    );
  });
});

describe('resolveCollections', () => {
  it('resolves each distinct name once and drops a named object listed by its ID already', async () => {
    const before = sim.log.length;
    const out = await resolveCollections(
      coreOf('preview'),
      [
        {
          objCode: 'TMPL',
          entities: [
            { ID: P.newAgencyOnboardingTemplate },
            { name: 'new agency onboarding' },
            { name: 'New Agency Onboarding' },
          ],
        },
      ],
      'object-collections',
    );
    expect(out.problems).toEqual([]);
    expect(out.collections).toEqual([{ objCode: 'TMPL', entities: [{ ID: P.newAgencyOnboardingTemplate }] }]);
    expect(out.warnings).toEqual([
      `object-collections: TMPL "new agency onboarding" is ${P.newAgencyOnboardingTemplate}, listed already`,
      `object-collections: TMPL "New Agency Onboarding" is ${P.newAgencyOnboardingTemplate}, listed already`,
    ]);
    expect(sim.log.length - before).toBe(1);
  });
});

describe('checkTargets', () => {
  it('fills targetId from targetName, checks given ids, warns when a given name disagrees with the id', async () => {
    const out = await checkTargets(
      coreOf('sandbox'),
      {
        GROUP: { g1: { action: 'USEEXISTING', targetName: 'campaign ops' } },
        TMPL: {
          t1: { action: 'OVERWRITING', targetId: S.clientCampaignLaunchTemplate, targetName: 'Old name' },
        },
        PTLTAB: { d1: { action: 'IGNORE' } },
      },
      'map-file',
    );
    expect(out.problems).toEqual([]);
    expect(out.overrides).toEqual({
      GROUP: { g1: { action: 'USEEXISTING', targetId: S.campaignOpsGroup, targetName: 'Campaign Ops' } },
      TMPL: {
        t1: {
          action: 'OVERWRITING',
          targetId: S.clientCampaignLaunchTemplate,
          targetName: 'Client Campaign Launch',
        },
      },
      PTLTAB: { d1: { action: 'IGNORE' } },
    });
    expect(out.warnings).toEqual([
      `map-file TMPL.t1: targetName "Old name", but ${S.clientCampaignLaunchTemplate} is named "Client Campaign Launch" in ${sim.environments.sandbox.host}; the targetId is used`,
    ]);
    expect(out.names).toEqual({
      GROUP: { [S.campaignOpsGroup]: 'Campaign Ops' },
      TMPL: { [S.clientCampaignLaunchTemplate]: 'Client Campaign Launch' },
    });
    expect(out.checked).toBe(1);
  });
});

describe('names on records and in the written map', () => {
  const names = { GROUP: { g9: 'Campaign Ops' } };
  const map = {
    GROUP: {
      g1: { action: 'USEEXISTING', targetId: 'g9', name: 'Agency Services' },
      g2: { action: 'CREATE', targetId: '' },
    },
    TMPL: { t1: { action: 'CREATE', targetId: '' } },
  };

  it('sets targetName beside the target ids looked up, in a copy', () => {
    const written = withTargetNames(map, names);
    expect(written.GROUP.g1).toEqual({ ...map.GROUP.g1, targetName: 'Campaign Ops' });
    expect(written.GROUP.g2).toBe(map.GROUP.g2);
    expect(written.TMPL).toBe(map.TMPL);
    expect(map.GROUP.g1).not.toHaveProperty('targetName');
    expect(withTargetNames(map, undefined)).toBe(map);
  });

  it('names the records of the result', () => {
    const records = recordsOf(map);
    nameTargets(records, names);
    expect(records.find((r) => r.sourceId === 'g1')?.targetName).toBe('Campaign Ops');
    expect(records.filter((r) => r.targetName !== undefined)).toHaveLength(1);
  });

  it('lists at most ten candidates, then how many more', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ID: `id${i}`, name: `n${i}` }));
    expect(listCandidates(many)).toMatch(/"n9" \(id9\); … and 2 more$/);
    expect(listCandidates(many.slice(0, 2), 40)).toBe('"n0" (id0); "n1" (id1); … and 38 more');
  });
});

describe('npm run names', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const names = (
    args: string[],
    env: Record<string, string> = { WORKFRONT_API_KEY: sim.credentials.apiKey },
  ) =>
    promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/names.ts', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    ).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('lists the objects whose name matches, with their ids, and the exact matches the action would use', async () => {
    const url = sim.environments.preview.url;
    const [wild, exact] = await Promise.all([
      names(['--url', url, '--objcode', 'tmpl', '--name', '*agency*']),
      names(['--url', url, '--objcode', 'GROUP', '--name', 'agency services', '--exact', '--json']),
    ]);
    expect(wild.stdout).toBe(
      `2 TMPL objects in ${sim.environments.preview.host} whose name matches "*agency*":\n` +
        `${P.newAgencyOnboardingTemplate}  New Agency Onboarding\n${P.newAgencyOffboardingTemplate}  New Agency Offboarding\n`,
    );
    expect(JSON.parse(exact.stdout)).toEqual([{ ID: P.agencyServicesGroup, name: 'Agency Services' }]);
  }, 30_000);

  it('takes the credential from the environment only, and says what is wrong', async () => {
    const url = sim.environments.sandbox.url;
    const none = await names(['--url', url, '--objcode', 'GROUP'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No credential: set WORKFRONT_API_KEY/);
    const refused = await names(['--url', url, '--objcode', 'GROUP'], { WORKFRONT_API_KEY: 'wrong-key' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/GET \/attask\/api\/v21\.0\/GROUP\/search answered 401/);
    expect(refused.stderr).not.toContain('wrong-key');
  }, 30_000);
});

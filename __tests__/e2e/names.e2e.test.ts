// Naming objects, end to end through dist/index.js against the simulator: object-collections entries by name
// resolved in the source, map-file targetName resolved and every targetId checked in the target, and every
// name or id that does not resolve refused before any changing request.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../scratch.js';
import { SEED, visibleLog, withSim, type Fixture } from './fixture.js';

const P = SEED.preview;
const S = SEED.sandbox;

function file(name: string, content: string): string {
  const path = join(scratchDir('names'), name);
  writeFileSync(path, content);
  return path;
}

/** A TESTING package of the onboarding template (which brings the "Agency Services" group) from Preview. */
function agencyPackage(f: Fixture) {
  return f.sim.control.makePackage({
    name: 'Agency by names',
    status: 'TESTING',
    objectCollections: [{ objCode: 'TMPL', entities: [{ ID: P.newAgencyOnboardingTemplate }] }],
  });
}

const coreRequests = (f: Fixture) => f.sim.log.filter((e) => e.path.startsWith('/attask/api/'));

function errorText(run: { stdout: string }): string {
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
    .join('\n')
    .replace(/%0A/g, '\n');
}

describe('object collections by name', () => {
  it('create resolves names in the source environment, exactly and ignoring case, and says what it found', () =>
    withSim(async (f) => {
      const run = await f.run('preview', {
        operation: 'create',
        name: 'Built by names',
        'object-collections':
          'TMPL: [{name: new agency ONBOARDING}, {name: New Agency Offboarding}]\nPTLTAB: [{name: Agency Performance and Readiness}]',
      });
      expect(run.code).toBe(0);
      expect(run.outputs.outcome).toBe('succeeded');
      const pkg = f.sim.store.package(run.outputs['package-id'])!;
      expect(pkg.objectCollections).toEqual([
        {
          objCode: 'TMPL',
          entities: [
            { ID: P.newAgencyOnboardingTemplate, name: 'New Agency Onboarding' },
            { ID: P.newAgencyOffboardingTemplate, name: 'New Agency Offboarding' },
          ],
        },
        {
          objCode: 'PTLTAB',
          entities: [{ ID: P.agencyPerformanceDashboard, name: 'Agency Performance and Readiness' }],
        },
      ]);
      const log = visibleLog(run);
      expect(log).toContain(
        `TMPL "New Agency Onboarding" is ${P.newAgencyOnboardingTemplate} in ${f.sim.environments.preview.host}`,
      );
      expect(log).toContain(`PTLTAB "Agency Performance and Readiness" is ${P.agencyPerformanceDashboard}`);
      // Through the core API of the source, with the credential as a header, never in the query.
      const searches = coreRequests(f);
      expect(searches.map((e) => `${e.env} ${e.path}`).sort()).toEqual([
        'preview /attask/api/v21.0/PTLTAB/search',
        'preview /attask/api/v21.0/TMPL/search',
        'preview /attask/api/v21.0/TMPL/search',
      ]);
      for (const entry of searches) {
        expect(entry.query).toMatchObject({ name_Mod: 'cieq', fields: 'ID,name', $$LIMIT: '11' });
        expect(entry.headers.apikey).toBe('[REDACTED]');
        expect(Object.keys(entry.query).map((k) => k.toLowerCase())).not.toContain('apikey');
      }
    }));

  it('create looks names up in the source input, not in url', () =>
    withSim(async (f) => {
      const run = await f.run('sandbox', {
        operation: 'create',
        name: 'From Preview by name',
        source: f.sim.environments.preview.url,
        'object-collections': '[{objCode: TMPL, entities: [{name: New Agency Onboarding}]}]',
      });
      expect(run.code).toBe(0);
      expect(coreRequests(f).map((e) => e.env)).toEqual(['preview']);
      expect(f.sim.store.package(run.outputs['package-id'])!.objectCollections[0].entities[0].ID).toBe(
        P.newAgencyOnboardingTemplate,
      );
    }));

  it('update resolves names before it re-extracts the package', () =>
    withSim(async (f) => {
      const pkg = f.sim.control.makePackage({
        name: 'To re-extract',
        objectCollections: [{ objCode: 'TMPL', entities: [{ ID: P.newAgencyOnboardingTemplate }] }],
      });
      const run = await f.run('preview', {
        operation: 'update',
        'package-id': pkg.id,
        'object-collections': 'PTLTAB: [{name: agency performance and readiness}]',
      });
      expect(run.code).toBe(0);
      const patch = f.sim.log.find((e) => e.method === 'PATCH')!;
      expect(patch.body).toMatchObject({
        objectCollections: [
          {
            objCode: 'PTLTAB',
            entities: [{ ID: P.agencyPerformanceDashboard, name: 'Agency Performance and Readiness' }],
          },
        ],
      });
      // Looked up before anything was changed.
      const lookup = f.sim.log.findIndex((e) => e.path.startsWith('/attask/api/'));
      expect(lookup).toBeGreaterThanOrEqual(0);
      expect(lookup).toBeLessThan(f.sim.log.indexOf(patch));
    }));

  it('refuses an ambiguous name, listing both objects with their ids, and changes nothing', () =>
    withSim(async (f) => {
      const [one, two] = f.sim.control.seedRecords('preview', 'TMPL', [
        { name: 'Quarterly Review' },
        { name: 'quarterly review' },
      ]);
      const run = await f.run('preview', {
        operation: 'create',
        name: 'Ambiguous',
        'object-collections': 'TMPL: [{name: Quarterly Review}]',
      });
      expect(run.code).toBe(1);
      expect(run.outputs.outcome).toBe('failed');
      const error = errorText(run);
      expect(error).toContain('1 name in object-collections could not be resolved');
      expect(error).toContain(
        `2 objects of TMPL are named "Quarterly Review" in ${f.sim.environments.preview.host}`,
      );
      expect(error).toContain(`"Quarterly Review" (${one.id})`);
      expect(error).toContain(`"quarterly review" (${two.id})`);
      expect(error).toContain('nothing was changed');
      expect(run.summary).toContain(one.id);
      expect(f.changes()).toEqual([]);
      expect(f.sim.counts().packagesCreated).toBe(0);
    }));

  it('reports every name that does not resolve in one failure, with similar names, and changes nothing', () =>
    withSim(async (f) => {
      f.sim.control.seedRecords(
        'preview',
        'UIVW',
        Array.from({ length: 12 }, (_, i) => ({ name: `Agency view ${i + 1}` })),
      );
      const run = await f.run('preview', {
        operation: 'create',
        name: 'Missing names',
        'object-collections': JSON.stringify({
          TMPL: [{ name: 'New Agency Onbording' }, P.newAgencyOffboardingTemplate],
          PTLTAB: [{ name: 'Agency Performance' }],
          UIVW: [{ name: 'agency view' }],
        }),
      });
      expect(run.code).toBe(1);
      const error = errorText(run);
      expect(error).toContain('3 names in object-collections could not be resolved');
      expect(error).toMatch(
        /TMPL "New Agency Onbording": no TMPL is named "New Agency Onbording" in 127\.0\.0\.1:\d+ \(names match exactly, ignoring case\)\n/,
      );
      expect(error).toContain(
        `PTLTAB "Agency Performance": no PTLTAB is named "Agency Performance" in ${f.sim.environments.preview.host} (names match exactly, ignoring case); names containing it: "Agency Performance and Readiness" (${P.agencyPerformanceDashboard})`,
      );
      // Ten candidates at most, then how many more.
      expect(error).toMatch(
        /UIVW "agency view": .*names containing it: ("Agency view \d+" \([0-9a-f]{32}\); ){10}… and 2 more/,
      );
      expect(f.changes()).toEqual([]);
    }));
});

describe('names from the server are data', () => {
  it('a hostile name among the candidates forms no workflow command and no line break', () =>
    withSim(async (f) => {
      const [evil] = f.sim.control.seedRecords('preview', 'TMPL', [
        { name: 'Evil\n::error::pwned %0A::set-output name=outcome::succeeded' },
      ]);
      const run = await f.run('preview', {
        operation: 'create',
        name: 'Hostile',
        'object-collections': 'TMPL: [{name: Evil}]',
      });
      expect(run.code).toBe(1);
      const lines = run.stdout.split('\n');
      // The name stays inside the lines that quote it: none starts with it, none is a command of it.
      expect(lines.filter((l) => /^(::(error|set-output)::pwned|pwned|::set-output)/.test(l))).toEqual([]);
      const failure = lines.filter((l) => l.startsWith('::error::'));
      expect(failure).toHaveLength(1);
      expect(failure[0]).not.toContain('::error::pwned');
      expect(failure[0]).not.toContain('::set-output');
      expect(run.outputs.outcome).toBe('failed');
      expect(errorText(run)).toContain(`(${evil.id})`);
      expect(f.changes()).toEqual([]);
    }));
});

describe('map-file targets by name, and target ids checked', () => {
  it('install resolves targetName in the target and shows the name in the log, summary and translation map', () =>
    withSim(async (f) => {
      const pkg = agencyPackage(f);
      const mapFile = file(
        'by-name.yml',
        `GROUP:\n  ${P.agencyServicesGroup}:\n    action: USEEXISTING\n    targetName: campaign ops\n`,
      );
      const run = await f.run('sandbox', { operation: 'install', 'package-id': pkg.id, 'map-file': mapFile });
      expect(run.code).toBe(0);
      expect(run.outputs.outcome).toBe('succeeded');
      expect(visibleLog(run)).toContain(
        `map-file GROUP.${P.agencyServicesGroup}: target "Campaign Ops" is ${S.campaignOpsGroup} in ${f.sim.environments.sandbox.host}`,
      );
      // The installation maps the group onto Campaign Ops; the API is sent ids only.
      const install = f.sim.log.find(
        (e) => e.method === 'POST' && e.path.endsWith(`/packages/${pkg.id}/install`),
      )!;
      const sent = (
        install.body as { translationMap: Record<string, Record<string, Record<string, unknown>>> }
      ).translationMap.GROUP[P.agencyServicesGroup];
      expect(sent).toMatchObject({ action: 'USEEXISTING', targetId: S.campaignOpsGroup });
      expect(sent.targetName).toBeUndefined();
      const final = f.sim.store.installation(run.outputs['installation-id'])!.translationMap.GROUP[
        P.agencyServicesGroup
      ];
      expect(final).toMatchObject({ targetId: S.campaignOpsGroup, installationStatus: 'REGISTERED' });
      expect(run.summary).toContain(
        `USEEXISTING → Campaign Ops (\`${S.campaignOpsGroup.slice(0, 4)}…${S.campaignOpsGroup.slice(-4)}\`)`,
      );
      const written = JSON.parse(
        run.files[Object.keys(run.files).find((n) => n.endsWith('translation-map.json'))!],
      );
      expect(written.GROUP[P.agencyServicesGroup]).toMatchObject({
        targetId: S.campaignOpsGroup,
        targetName: 'Campaign Ops',
      });
    }));

  it('prepare checks a given targetId and writes the target name into the plan', () =>
    withSim(async (f) => {
      const pkg = agencyPackage(f);
      const mapFile = file(
        'by-id.yml',
        `GROUP:\n  ${P.agencyServicesGroup}: {action: USEEXISTING, targetId: ${S.campaignOpsGroup}}\n`,
      );
      const run = await f.run('sandbox', { operation: 'prepare', 'package-id': pkg.id, 'map-file': mapFile });
      expect(run.code).toBe(0);
      expect(run.outputs['plan-hash']).toMatch(/^[0-9a-f]{64}$/);
      const checks = coreRequests(f);
      expect(checks.map((e) => `${e.env} ${e.path} ${e.query.fields}`)).toEqual([
        `sandbox /attask/api/v21.0/GROUP/${S.campaignOpsGroup} ID,name`,
      ]);
      const plan = JSON.parse(
        run.files[Object.keys(run.files).find((n) => n.endsWith('translation-map.json'))!],
      );
      expect(plan.GROUP[P.agencyServicesGroup]).toMatchObject({
        targetId: S.campaignOpsGroup,
        targetName: 'Campaign Ops',
      });
    }));

  it('prepare refuses a targetId that is not in the target before any plan-hash, and sends nothing that changes', () =>
    withSim(async (f) => {
      const pkg = agencyPackage(f);
      // Production's "Agency Services": an id from another environment.
      const mapFile = file(
        'wrong-env.yml',
        `GROUP:\n  ${P.agencyServicesGroup}: {action: USEEXISTING, targetId: ${SEED.production.agencyServicesGroup}}\n`,
      );
      const run = await f.run('sandbox', { operation: 'prepare', 'package-id': pkg.id, 'map-file': mapFile });
      expect(run.code).toBe(1);
      expect(run.outputs.outcome).toBe('failed');
      expect(run.outputs['plan-hash'] ?? '').toBe('');
      expect(visibleLog(run)).not.toMatch(/Plan [0-9a-f]{64}/);
      expect(errorText(run)).toContain(
        `map-file GROUP.${P.agencyServicesGroup}: targetId ${SEED.production.agencyServicesGroup}: no GROUP has the id ${SEED.production.agencyServicesGroup} in ${f.sim.environments.sandbox.host}`,
      );
      expect(f.changes()).toEqual([]);
      expect(f.sim.counts()).toMatchObject({ preRuns: 0, installationsStarted: 0 });
    }));

  it('install refuses a targetName missing or ambiguous in the target, every one in one failure, and installs nothing', () =>
    withSim(async (f) => {
      const pkg = agencyPackage(f);
      const [a, b] = f.sim.control.seedRecords('sandbox', 'ROLE', [{ name: 'Liaison' }, { name: 'LIAISON' }]);
      const mapFile = file(
        'bad-names.yml',
        [
          'GROUP:',
          `  ${P.agencyServicesGroup}: {action: USEEXISTING, targetName: Campaign Operations}`,
          'ROLE:',
          `  ${P.agencyLiaisonRole}: {action: USEEXISTING, targetName: liaison}`,
          '',
        ].join('\n'),
      );
      const run = await f.run('sandbox', { operation: 'install', 'package-id': pkg.id, 'map-file': mapFile });
      expect(run.code).toBe(1);
      const error = errorText(run);
      expect(error).toContain(
        `map-file ${mapFile}: 2 targets not found in ${f.sim.environments.sandbox.host}`,
      );
      expect(error).toContain(
        `GROUP.${P.agencyServicesGroup}: targetName "Campaign Operations": no GROUP is named "Campaign Operations"`,
      );
      expect(error).toContain(
        `ROLE.${P.agencyLiaisonRole}: targetName "liaison": 2 objects of ROLE are named "liaison"`,
      );
      expect(error).toContain(`(${a.id})`);
      expect(error).toContain(`(${b.id})`);
      expect(f.changes()).toEqual([]);
      expect(f.sim.counts()).toMatchObject({ preRuns: 0, installationsStarted: 0 });
    }));

  it('refuses a targetName with an action that takes no target as an input error, before any request', () =>
    withSim(async (f) => {
      const pkg = agencyPackage(f);
      const mapFile = file(
        'ignore-named.yml',
        `GROUP:\n  ${P.agencyServicesGroup}: {action: IGNORE, targetName: Campaign Ops}\n`,
      );
      const run = await f.run('sandbox', { operation: 'prepare', 'package-id': pkg.id, 'map-file': mapFile });
      expect(run.code).toBe(1);
      expect(errorText(run)).toMatch(
        /1 input error, nothing was sent to Workfront:.*targetName is for USEEXISTING and OVERWRITING only, not IGNORE/s,
      );
      expect(f.sim.log).toEqual([]);
    }));
});

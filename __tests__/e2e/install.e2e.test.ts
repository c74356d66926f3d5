import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, visibleLog, withSim, type Fixture } from './fixture.js';
import { scratchDir } from '../scratch.js';

const P = SEED.preview;
function release(f: Fixture, status: 'TESTING' | 'ACTIVE' | 'DRAFT' = 'ACTIVE') {
  return f.sim.control.makePackage({
    name: 'Agency release',
    status,
    objectCollections: [
      { objCode: 'TMPL', entities: [{ ID: P.newAgencyOnboardingTemplate }] },
      { objCode: 'PTLTAB', entities: [{ ID: P.agencyPerformanceDashboard }] },
    ],
  });
}

function mapFile(content: unknown): string {
  const path = join(scratchDir('map'), 'map.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const installs = (f: Fixture) => f.changes().filter((c) => /\/install$/.test(c));

describe('install without a map file: pre-run, install, poll, report', () => {
  it('installs into production and reports every record', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        outcome: 'succeeded',
        'installation-status': 'INSTALLED',
        changed: 'true',
        'failed-count': '0',
        skipped: 'false',
      });
      expect(Number(run.outputs['created-count'])).toBeGreaterThan(20);
      expect(Number(run.outputs['registered-count'])).toBeGreaterThan(3);
      expect(f.changes()).toEqual([
        expect.stringMatching(/^POST .*\/packages\/.*\/prepare-installation$/),
        expect.stringMatching(/^POST .*\/installations\/.*\/install$/),
      ]);
      const map = JSON.parse(
        run.files[Object.keys(run.files).find((n) => n.endsWith('translation-map.json'))!],
      );
      expect(map.TMPL[P.newAgencyOnboardingTemplate].installationStatus).toBe('INSTALLED');
      expect(run.summary.split('\n')[0]).toMatch(
        /^### ✅ Install "Agency release" v1 into 127\.0\.0\.1:\d+ \(production\)$/,
      );
      expect(run.summary).toMatch(/#### Records per objCode/);
      // The deadline once, in the verdict; the log explains it.
      expect(run.summary.match(/roll(back)? .*until/g)).toHaveLength(1);
      expect(run.summary).toMatch(/rollback in the Workfront UI until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(run.stdout).toMatch(/can roll this deployment back until/);
      // The created records exist now: a second pre-run finds them.
      const again = await f.run('production', { operation: 'prepare', 'package-id': pkg.id });
      expect(again.outputs['created-count']).toBe('0');
    }));

  it('accepts the COMPLETED wording and a 200 from install', () =>
    withSim(
      async (f) => {
        const run = await f.run('production', { operation: 'install', 'package-id': release(f).id });
        expect(run.code).toBe(0);
        expect(run.outputs['installation-status']).toBe('COMPLETED');
      },
      { completedWord: 'COMPLETED', installAnswerStatus: 200, environmentFormat: 'url' },
    ));

  it('skips a package version already installed here, and installs it elsewhere', () =>
    withSim(async (f) => {
      const pkg = release(f, 'TESTING');
      const first = await f.run('preview', { operation: 'install', 'package-id': pkg.id });
      expect(first.code).toBe(0);
      const before = f.changes().length;
      const second = await f.run('preview', { operation: 'install', 'package-id': pkg.id });
      expect(second.code).toBe(0);
      expect(second.outputs).toMatchObject({
        outcome: 'skipped',
        skipped: 'true',
        changed: 'false',
        'installation-id': first.outputs['installation-id'],
      });
      expect(f.changes().length).toBe(before);
      expect(second.summary).toMatch(/is already installed in .* — skipped/);
      expect(visibleLog(second)).toMatch(/::warning::Installation history survives a sandbox refresh/);
      const elsewhere = await f.run('sandbox', { operation: 'install', 'package-id': pkg.id });
      expect(elsewhere.outputs.skipped).toBe('false');
      const forced = await f.run('preview', {
        operation: 'install',
        'package-id': pkg.id,
        'skip-if-installed': 'false',
      });
      expect(forced.outputs.skipped).toBe('false');
      expect(forced.outputs['installation-id']).not.toBe(first.outputs['installation-id']);
    }));

  it('installs a given pre-run', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const plan = await f.run('production', { operation: 'prepare', 'package-id': pkg.id });
      const run = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'installation-id': plan.outputs['installation-id'],
      });
      expect(run.code).toBe(0);
      expect(run.outputs['installation-id']).toBe(plan.outputs['installation-id']);
      expect(f.changes().filter((c) => c.endsWith('/prepare-installation'))).toHaveLength(1);
    }));
});

describe('guards: nothing changes when they refuse', () => {
  it('refuses a TESTING package in production, naming ACTIVE', () =>
    withSim(async (f) => {
      const run = await f.run('production', { operation: 'install', 'package-id': release(f, 'TESTING').id });
      expect(run.code).toBe(1);
      expect(visibleLog(run)).toMatch(/it is TESTING and .* is production: a package must be ACTIVE/);
      expect(f.changes()).toEqual([]);
    }));

  it('refuses DRAFT', () =>
    withSim(async (f) => {
      const run = await f.run('preview', { operation: 'install', 'package-id': release(f, 'DRAFT').id });
      expect(run.code).toBe(1);
      expect(visibleLog(run)).toMatch(/it is DRAFT; move it to TESTING \(sandboxes\) or ACTIVE first/);
      expect(f.changes()).toEqual([]);
    }));

  it('deny-actions lists every offending record', () =>
    withSim(async (f) => {
      const run = await f.run('production', {
        operation: 'install',
        'package-id': release(f).id,
        'deny-actions': 'CREATE',
      });
      expect(run.code).toBe(1);
      expect(visibleLog(run)).toMatch(/deny-actions refuses \d+ records of the plan; nothing was installed/);
      expect(visibleLog(run)).toContain(
        `CREATE TMPL ${P.newAgencyOnboardingTemplate} "New Agency Onboarding"`,
      );
      expect(installs(f)).toEqual([]);
    }));

  it('expected-plan installs the approved plan and refuses another', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const plan = await f.run('production', { operation: 'prepare', 'package-id': pkg.id });
      const again = await f.run('production', { operation: 'prepare', 'package-id': pkg.id });
      expect(plan.outputs['plan-hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(again.outputs['plan-hash']).toBe(plan.outputs['plan-hash']);
      const refused = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'expected-plan': 'f'.repeat(64),
      });
      expect(refused.code).toBe(1);
      expect(visibleLog(refused)).toMatch(/expected-plan f+ does not match this plan [0-9a-f]{64}/);
      expect(installs(f)).toEqual([]);
      const run = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'expected-plan': plan.outputs['plan-hash'],
      });
      expect(run.code).toBe(0);
      expect(run.outputs['plan-hash']).toBe(plan.outputs['plan-hash']);
    }));

  it('reports an installation still running instead of starting a second, and re-attaches to it', () =>
    withSim(
      async (f) => {
        const pkg = release(f);
        const started = await f.run('production', {
          operation: 'install',
          'package-id': pkg.id,
          wait: 'false',
        });
        expect(started.code).toBe(0);
        const id = started.outputs['installation-id'];
        const second = await f.run('production', { operation: 'install', 'package-id': pkg.id });
        expect(second.code).toBe(1);
        expect(second.outputs).toMatchObject({ outcome: 'failed', 'installation-id': id });
        expect(visibleLog(second)).toMatch(
          new RegExp(
            `installation ${id} of this package is still INSTALLING .*operation: installation, installation-id: ${id}, wait: true`,
          ),
        );
        expect(installs(f)).toHaveLength(1);
        const attached = await f.run('production', { operation: 'installation', 'installation-id': id });
        expect(attached.code).toBe(0);
        expect(attached.outputs).toMatchObject({ 'installation-status': 'INSTALLED', 'failed-count': '0' });
      },
      // Still installing when the second run looks: 2.5 s was less than that run's start on two cores shared
      // with two other runs of the suite; the re-attaching run waits the rest out.
      { installMs: 20_000 },
    ));
});

describe('install with a map file: translation map, overrides, install', () => {
  it('applies overrides and installs the whole map', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const map = mapFile(
        `# yaml-language-server: $schema=../schemas/map-file.schema.json\nPTLTAB:\n  ${P.agencyPerformanceDashboard}: IGNORE\nUIVW:\n  109f611680bb3a2b0c0a8c1f5ec63f6d: {action: OVERWRITING}\n`,
      );
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id, 'map-file': map });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ 'overwritten-count': '1', 'ignored-count': '1' });
      expect(f.changes()).toEqual([
        expect.stringMatching(/^POST .*\/packages\/.*\/translation-map$/),
        expect.stringMatching(/^POST .*\/packages\/.*\/install$/),
      ]);
      expect(run.summary).toMatch(/#### What the map file changes \(2\)/);
    }));

  it('lists every bad override at once and installs nothing', () =>
    withSim(async (f) => {
      const map = mapFile({
        NOPE: { x: { action: 'IGNORE' } },
        TMPL: { unknown0000: { action: 'IGNORE' } },
        PTLTAB: { [P.agencyPerformanceDashboard]: { action: 'OVERWRITING' } },
      });
      const run = await f.run('production', {
        operation: 'install',
        'package-id': release(f).id,
        'map-file': map,
      });
      expect(run.code).toBe(1);
      const log = visibleLog(run);
      expect(log).toMatch(/does not fit the package's translation map; nothing was installed/);
      expect(log).toMatch(/objCode NOPE is not in the package's translation map/);
      expect(log).toMatch(/TMPL unknown0000 is not a record/);
      expect(log).toMatch(/needs a targetId for OVERWRITING/);
      expect(installs(f)).toEqual([]);
    }));

  it('ignores the sub-objects of an ignored template, and says so', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const map = mapFile({ TMPL: { [P.newAgencyOnboardingTemplate]: 'IGNORE' } });
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id, 'map-file': map });
      expect(run.code).toBe(0);
      expect(Number(run.outputs['ignored-count'])).toBeGreaterThan(10);
      expect(run.summary).toMatch(/#### Ignored as dependants of ignored records \(\d+\)/);
      expect(visibleLog(run)).toMatch(/IGNORE TTSK \w+ "Kickoff meeting": it depends on TMPL/);
      expect(f.sim.store.findByName('production', 'TMPL', 'New Agency Onboarding')).toBeUndefined();
    }));

  it('without ignore-dependents the installation fails, as the service says', () =>
    withSim(async (f) => {
      const map = mapFile({ TMPL: { [P.newAgencyOnboardingTemplate]: 'IGNORE' } });
      const run = await f.run('production', {
        operation: 'install',
        'package-id': release(f).id,
        'map-file': map,
        'ignore-dependents': 'false',
      });
      expect(run.code).toBe(1);
      expect(run.outputs['installation-status']).toBe('FAILED');
      expect(visibleLog(run)).toMatch(/::warning::map-file ignores 1 record the pre-run would CREATE/);
      expect(visibleLog(run)).toMatch(
        /::error title=TTSK record failed::.*is set to IGNORE; ignore this record too/,
      );
    }));

  it('partial failure: failed records become annotations and fail the step unless allowed', () =>
    withSim(async (f) => {
      const pkg = release(f);
      // Group names are unique: creating "Agency Services" again in production fails that record.
      const map = mapFile({ GROUP: { [P.agencyServicesGroup]: { action: 'CREATE' } } });
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id, 'map-file': map });
      expect(run.code).toBe(1);
      expect(run.outputs['failed-count']).toBe('1');
      expect(run.outputs['installation-status']).toBe('INSTALLED');
      expect(visibleLog(run)).toMatch(
        /::warning::GROUP \w+ "Agency Services": USEEXISTING → CREATE fails for GROUP/,
      );
      expect(visibleLog(run)).toMatch(
        /::error title=GROUP record failed::GROUP \w+ "Agency Services": A group named/,
      );
      expect(run.summary).toMatch(/#### Failed records \(1\)/);
      const allowed = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': map,
        'skip-if-installed': 'false',
        'fail-on-record-failure': 'false',
      });
      expect(allowed.code).toBe(0);
      expect(allowed.outputs).toMatchObject({ outcome: 'succeeded', 'failed-count': '1' });
      expect(visibleLog(allowed)).toMatch(/::warning::1 record FAILED; fail-on-record-failure is false/);
    }));

  it('total failure: every record failing fails the installation', () =>
    withSim(async (f) => {
      const pkg = f.sim.control.makePackage({
        name: 'Groups only',
        status: 'ACTIVE',
        objectCollections: [{ objCode: 'GROUP', entities: [{ ID: P.agencyServicesGroup }] }],
      });
      const map = mapFile({ GROUP: { [P.agencyServicesGroup]: 'CREATE' } });
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id, 'map-file': map });
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({
        outcome: 'failed',
        'installation-status': 'FAILED',
        'failed-count': '1',
      });
      expect(visibleLog(run)).toMatch(/::error::installation \S+ ended FAILED with 1 failed record/);
    }));
});

describe('prepare: the plan, nothing installed', () => {
  it('writes the translation map and counts, and changes only a pre-run', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const map = mapFile({ ROLE: { [P.damCuratorRole]: 'CREATE' } });
      const run = await f.run('production', { operation: 'prepare', 'package-id': pkg.id, 'map-file': map });
      expect(run.code).toBe(0);
      const file = run.outputs['translation-map-file'];
      expect(JSON.parse(readFileSync(file, 'utf8')).ROLE[P.damCuratorRole].action).toBe('CREATE');
      expect(visibleLog(run)).toMatch(/ROLE \w+ "DAM Curator": USEEXISTING → CREATE fails for ROLE/);
      expect(installs(f)).toEqual([]);
      expect(run.summary).toMatch(/^### ✅ Plan for "Agency release" v1 in/);
    }));
});

describe('waiting ends', () => {
  it('times out with the installation id and how to re-attach', () =>
    withSim(
      async (f) => {
        const run = await f.run('production', {
          operation: 'install',
          'package-id': release(f).id,
          // Long enough to reach the wait on a busy machine (2 s ran out before the installation started), and
          // the installation never ends first.
          timeout: '30s',
        });
        expect(run.code).toBe(1);
        expect(run.outputs.outcome).toBe('timed-out');
        expect(run.outputs['installation-id']).toMatch(/\S/);
        expect(visibleLog(run)).toMatch(/was still INSTALLING when timeout \(30s\) ran out/);
        expect(run.summary).toMatch(/^### ⏱️ Install .* — timed-out/);
      },
      { installMs: 10 * 60_000 },
    ));

  it('cancels on SIGTERM within two seconds, with outputs and summary', () =>
    withSim(
      async (f) => {
        const run = await f.run(
          'production',
          { operation: 'install', 'package-id': release(f).id },
          { terminateWhen: /Installation \S+ of .* started/ },
        );
        expect(run.terminatedAtMs).toBeDefined();
        expect(run.elapsedMs - (run.terminatedAtMs ?? 0)).toBeLessThan(2000);
        expect(run.code).toBe(1);
        expect(run.outputs.outcome).toBe('cancelled');
        expect(run.outputs['installation-id']).toMatch(/\S/);
        expect(run.summary).toMatch(/^### 🛑 Install/);
        expect(visibleLog(run)).toMatch(/Cancelled while installation \S+ was/);
      },
      { installMs: 20_000 },
    ));
});

describe('older revision', () => {
  it('creates and installs through …/environment-promotion/v1 with a Bearer token', () =>
    withSim(async (f) => {
      const legacy = (env: 'preview' | 'production') => f.sim.environments[env].legacyApiBase;
      const common = { 'api-key': '', 'bearer-token': f.sim.credentials.bearerToken ?? '' };
      const created = await f.run('preview', {
        ...common,
        url: legacy('preview'),
        operation: 'create',
        name: 'Legacy',
        'object-collections': JSON.stringify({ TMPL: [P.newAgencyOnboardingTemplate] }),
        status: 'ACTIVE',
      });
      expect(created.code).toBe(0);
      expect(created.outputs['package-status']).toBe('ACTIVE');
      const installed = await f.run('production', {
        ...common,
        url: legacy('production'),
        operation: 'install',
        'package-id': created.outputs['package-id'],
      });
      expect(installed.code).toBe(0);
      expect(f.sim.log.some((e) => e.path.includes('/environment-promotion/v1/'))).toBe(true);
    }));
});

/** The log's groups one at a time: GitHub does not nest them. */
function expectFlatGroups(stdout: string): void {
  let open: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::group::')) {
      expect({ opening: line, whileOpen: open }).toEqual({ opening: line, whileOpen: undefined });
      open = line;
    } else if (line.startsWith('::endgroup::')) {
      expect(open).toBeDefined();
      open = undefined;
    }
  }
}

describe('skip-if-installed skips only what was installed the way this run would', () => {
  it('installs again, with a notice, when the map file dropped an IGNORE; skips once it is installed so', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const role = { ROLE: { [P.damCuratorRole]: 'USEEXISTING' } };
      const ignoring = mapFile({ ...role, PTLTAB: { [P.agencyPerformanceDashboard]: 'IGNORE' } });
      const first = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': ignoring,
      });
      expect(first.outputs).toMatchObject({ outcome: 'succeeded', 'ignored-count': '1' });
      const same = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': ignoring,
      });
      expect(same.outputs).toMatchObject({
        skipped: 'true',
        'installation-id': first.outputs['installation-id'],
      });
      expect(installs(f)).toHaveLength(1);

      const dropped = mapFile(role);
      const second = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': dropped,
      });
      expect(second.code).toBe(0);
      expect(second.outputs).toMatchObject({ outcome: 'succeeded', skipped: 'false', 'ignored-count': '0' });
      expect(installs(f)).toHaveLength(2);
      expect(visibleLog(second)).toContain(
        `::notice::Not skipped: the map file treats 1 record differently from installation ${first.outputs['installation-id']}`,
      );
      expect(visibleLog(second)).toContain(
        `PTLTAB ${P.agencyPerformanceDashboard} "Agency Performance and Readiness" installed IGNORE, now CREATE`,
      );
      expect(second.summary).toMatch(/Not skipped: the map file treats 1 record differently/);
      expect(
        f.sim.store.findByName('production', 'PTLTAB', 'Agency Performance and Readiness'),
      ).toBeDefined();
      expectFlatGroups(second.stdout);

      const again = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': dropped,
      });
      expect(again.outputs).toMatchObject({
        skipped: 'true',
        'installation-id': second.outputs['installation-id'],
      });
      // Without a map file nothing is ignored either: what the second installation did.
      const plain = await f.run('production', { operation: 'install', 'package-id': pkg.id });
      expect(plain.outputs.skipped).toBe('true');
      expect(installs(f)).toHaveLength(2);
    }));

  it('installs again without a map file what a map file had ignored', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const map = mapFile({ PTLTAB: { [P.agencyPerformanceDashboard]: 'IGNORE' } });
      const first = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': map,
      });
      expect(first.outputs.outcome).toBe('succeeded');
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id });
      expect(run.outputs).toMatchObject({ outcome: 'succeeded', skipped: 'false' });
      expect(visibleLog(run)).toContain(
        `::notice::Not skipped: without a map file this run treats 1 record differently from installation ${first.outputs['installation-id']}`,
      );
      expect(visibleLog(run)).toMatch(/installed IGNORE, now not overridden; installing again/);
      expect(installs(f)).toHaveLength(2);
    }));

  it('installs again an installation that left FAILED records, and fails again as the records do', () =>
    withSim(async (f) => {
      const pkg = release(f);
      // Group names are unique: creating "Agency Services" again in production fails that record.
      const map = mapFile({ GROUP: { [P.agencyServicesGroup]: 'CREATE' } });
      const first = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': map,
      });
      expect(first.outputs).toMatchObject({ 'installation-status': 'INSTALLED', 'failed-count': '1' });
      const rerun = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': map,
      });
      expect(rerun.code).toBe(1);
      expect(rerun.outputs).toMatchObject({ outcome: 'failed', skipped: 'false', 'failed-count': '1' });
      expect(rerun.outputs['installation-id']).not.toBe(first.outputs['installation-id']);
      expect(installs(f)).toHaveLength(2);
      expect(visibleLog(rerun)).toContain(
        `::notice::Not skipped: installation ${first.outputs['installation-id']} (`,
      );
      expect(visibleLog(rerun)).toMatch(
        /of version 1 left 1 record FAILED in 127\.0\.0\.1:\d+; installing again/,
      );
    }));
});

describe('a plan prepare accepts is one install accepts', () => {
  it('refuses a targetId that is a name in prepare as install does, before anything is installed', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const map = mapFile({
        GROUP: { [P.agencyServicesGroup]: { action: 'USEEXISTING', targetId: 'Agency Services' } },
      });
      const plan = await f.run('production', { operation: 'prepare', 'package-id': pkg.id, 'map-file': map });
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id, 'map-file': map });
      for (const refused of [plan, run]) {
        expect(refused.code).toBe(1);
        expect(refused.outputs['plan-hash']).toBe('');
        expect(visibleLog(refused)).toContain(
          `GROUP.${P.agencyServicesGroup}: targetId Agency Services: this is not a Workfront ID; to name the target, give targetName`,
        );
      }
      expect(installs(f)).toEqual([]);
    }));

  it('installs the plan prepare approved with the same map file', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const map = mapFile({ PTLTAB: { [P.agencyPerformanceDashboard]: 'IGNORE' } });
      const plan = await f.run('production', { operation: 'prepare', 'package-id': pkg.id, 'map-file': map });
      expect(plan.outputs['plan-hash']).toMatch(/^[0-9a-f]{64}$/);
      const run = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'map-file': map,
        'expected-plan': plan.outputs['plan-hash'],
      });
      expect(run.code).toBe(0);
      expect(run.outputs['plan-hash']).toBe(plan.outputs['plan-hash']);
    }));
});

describe('rollback window', () => {
  it('counts 24 h from the install request, not the pre-run, and warns before the request', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const deployed = await f.run('production', { operation: 'install', 'package-id': pkg.id });
      const plan = await f.run('production', { operation: 'prepare', 'package-id': pkg.id });
      const prerun = plan.outputs['installation-id'];
      const startedAt = Date.now();
      const run = await f.run('production', {
        operation: 'install',
        'package-id': pkg.id,
        'installation-id': prerun,
        'skip-if-installed': 'false',
      });
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n');
      const warning = lines.findIndex((l) =>
        l.startsWith(
          `::warning::This install ends the rollback window of installation ${deployed.outputs['installation-id']}`,
        ),
      );
      const request = lines.findIndex(
        (l) => l.includes(`POST `) && l.includes(`/installations/${prerun}/install`),
      );
      expect(warning).toBeGreaterThanOrEqual(0);
      expect(request).toBeGreaterThan(warning);
      const until = /can roll this deployment back until (\S+) /.exec(run.stdout)?.[1];
      const from = Date.parse(until ?? '') - 24 * 60 * 60_000;
      expect(Date.parse(f.sim.store.installation(prerun)?.registeredAt ?? '')).toBeLessThan(startedAt);
      expect(from).toBeGreaterThanOrEqual(startedAt);
      // The release manager reads it in the summary too, not only in the log.
      expect(run.summary).toContain(
        `This install ended the rollback window of installation \`${deployed.outputs['installation-id']}\``,
      );
    }));
});

describe('log groups', () => {
  it('waits out an assembly without nesting groups', () =>
    withSim(
      async (f) => {
        const pkg = release(f, 'DRAFT');
        // Re-extracted from Preview, where the template is.
        const updated = await f.run('preview', {
          operation: 'update',
          'package-id': pkg.id,
          'object-collections': JSON.stringify({ TMPL: [P.newAgencyOnboardingTemplate] }),
          wait: 'false',
        });
        expect(updated.code).toBe(0);
        const run = await f.run('production', { operation: 'install', 'package-id': pkg.id });
        expect(visibleLog(run)).toMatch(/Package status: ASSEMBLING → DRAFT/);
        expect(visibleLog(run)).toMatch(/it is DRAFT; move it to TESTING/);
        expectFlatGroups(run.stdout);
      },
      { assemblyMs: 3000 },
    ));
});

// The job summary and the cut lists as the runner gets them: dist/index.js against the simulator.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../scratch.js';
import { SEED, visibleLog, withSim, type Fixture } from './fixture.js';
import { SUMMARY_LIMIT_BYTES } from '../../src/report/summary.js';

const P = SEED.preview;
const release = (f: Fixture) =>
  f.sim.control.makePackage({
    name: 'Agency release',
    status: 'ACTIVE',
    objectCollections: [
      { objCode: 'TMPL', entities: [{ ID: P.newAgencyOnboardingTemplate }] },
      { objCode: 'PTLTAB', entities: [{ ID: P.agencyPerformanceDashboard }] },
    ],
  });

function mapFile(content: unknown): string {
  const path = join(scratchDir('map'), 'map.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** The `… and N more` lines of a text, with N. */
const cuts = (text: string) =>
  [...text.matchAll(/… and ([\d,]+) more/g)].map((m) => Number(m[1].replace(/,/g, '')));

describe('job summary', () => {
  it('opens with the verdict: counts per action and the rollback deadline; the same install again says why it skipped', () =>
    withSim(async (f) => {
      const pkg = release(f);
      const run = await f.run('production', { operation: 'install', 'package-id': pkg.id });
      expect(run.code).toBe(0);
      const [heading, , line] = run.summary.split('\n');
      expect(heading).toMatch(/^### ✅ Install "Agency release" v1 into 127\.0\.0\.1:\d+ \(production\)$/);
      expect(line).toMatch(
        /^\*\*\d+ created, \d+ reused, 0 overwritten, 0 ignored, 0 failed\*\*; rollback in the Workfront UI until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
      );
      const created = Number(/\*\*(\d+) created/.exec(line)?.[1]);
      expect(created).toBe(Number(run.outputs['created-count']));
      // The per-objCode table has no column that repeats another.
      expect(run.summary).toMatch(/^\| objCode \| records \| created \| reused \|$/m);
      expect(run.summary).not.toMatch(/INSTALLED \|.*REGISTERED \|/);

      const again = await f.run('production', { operation: 'install', 'package-id': pkg.id });
      expect(again.outputs.skipped).toBe('true');
      const [skipHeading, , why] = again.summary.split('\n');
      expect(skipHeading).toMatch(/^### ⏭️ "Agency release" v1 is already installed in .* — skipped$/);
      expect(why).toBe(
        `Installed earlier by [installation ${run.outputs['installation-id'].slice(0, 4)}…${run.outputs['installation-id'].slice(-4)}](${f.sim.environments.production.url}/environment-promotion/api/v1/installations/${run.outputs['installation-id']}) ` +
          `on ${why.match(/on (\S+ \S+ UTC)/)?.[1]} (INSTALLED); to install it again anyway, set \`skip-if-installed: false\`.`,
      );
      // The earlier installation is linked, not repeated.
      expect(again.summary).not.toMatch(/#### (All records|Records per objCode)/);
    }));

  it('cuts the map file errors with … and N more, in the log, the error and the summary', () =>
    withSim(async (f) => {
      const bad = Object.fromEntries(
        Array.from({ length: 400 }, (_, i) => [`${i}`.padStart(32, 'a'), { action: 'IGNORE' }]),
      );
      const run = await f.run('production', {
        operation: 'install',
        'package-id': release(f).id,
        'map-file': mapFile({ TMPL: bad }),
      });
      expect(run.code).toBe(1);
      const error = visibleLog(run)
        .split('\n')
        .find((l) => l.startsWith('::error::'));
      expect(error).toMatch(/does not fit the package's translation map; nothing was installed/);
      const listed = (error?.match(/%0A- /g) ?? []).length;
      const [left] = cuts(error ?? '');
      expect(listed - 1 + left).toBe(400);
      expect(error).toMatch(/%0A- … and \d+ more$/);
      expect(cuts(run.summary)).toEqual([left]);
    }));

  it('cuts the deny-actions list with … and N more', () =>
    withSim(async (f) => {
      const run = await f.run('production', {
        operation: 'install',
        'package-id': release(f).id,
        'deny-actions': 'CREATE,USEEXISTING',
      });
      expect(run.code).toBe(1);
      const error = visibleLog(run)
        .split('\n')
        .find((l) => l.startsWith('::error::'));
      const total = Number(/deny-actions refuses (\d+) records/.exec(error ?? '')?.[1]);
      expect(total).toBeGreaterThan(40);
      const listed = (error?.match(/%0A- /g) ?? []).length - 1;
      expect(listed + cuts(error ?? '')[0]).toBe(total);
      expect(cuts(run.summary)).toEqual(cuts(error ?? ''));
    }));

  it('cuts thousands of input errors with … and N more, the summary far under 1 MiB', () =>
    withSim(async (f) => {
      const bad = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`obj${i}`, { x: 'IGNORE' }]));
      const run = await f.run('production', {
        operation: 'install',
        'package-id': release(f).id,
        'map-file': mapFile(bad),
      });
      expect(run.code).toBe(1);
      expect(f.changes()).toEqual([]);
      expect(run.summary).toMatch(/^### ❌ [\d,]+ input errors?, nothing was sent to Workfront/);
      expect(cuts(run.summary).length).toBe(1);
      expect(Buffer.byteLength(run.summary)).toBeLessThan(SUMMARY_LIMIT_BYTES / 8);
    }));
});

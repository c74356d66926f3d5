import { describe, expect, it } from '@jest/globals';
import { cutList, plural } from '../src/report/format.js';
import { verdict } from '../src/report/verdict.js';
import type { MapRecord } from '../src/translation-map.js';
import { installResult } from './results.js';

const result = installResult;

function records(spec: Array<[action: string, count: number, status?: string]>): MapRecord[] {
  let n = 0;
  return spec.flatMap(([action, count, status]) =>
    Array.from({ length: count }, () => {
      n++;
      return {
        objCode: 'TMPL',
        sourceId: `${n}`.padStart(32, '0'),
        name: `${action.toLowerCase()} ${n}`,
        action,
        installationStatus: status,
      };
    }),
  );
}

describe('verdict', () => {
  it('says what was installed where, per action, with the names to look at and the rollback deadline', () => {
    const list = records([
      ['CREATE', 37, 'INSTALLED'],
      ['USEEXISTING', 15, 'REGISTERED'],
      ['OVERWRITING', 1, 'INSTALLED'],
      ['IGNORE', 1, 'INSTALLED'],
    ]);
    list[37 + 15].name = 'New Agency Offboarding';
    expect(verdict(result({ records: list, rollbackUntil: '2026-12-01T10:04:31.000Z' }))).toBe(
      '✅ Install "Agency onboarding" v2 into acme.my.workfront.com (production): 37 created, 15 reused, ' +
        '1 overwritten (New Agency Offboarding), 1 ignored (ignore 54), 0 failed; ' +
        'rollback in the Workfront UI until 2026-12-01 10:04 UTC',
    );
  });

  it('counts a failed record as failed only, names the first three and how many more', () => {
    const list = records([
      ['CREATE', 10, 'FAILED'],
      ['CREATE', 5, 'INSTALLED'],
    ]);
    const line = verdict(
      result({ records: list, outcome: 'failed', error: 'installation i1 ended FAILED\n- detail' }),
    );
    expect(line).toBe(
      '❌ Install "Agency onboarding" v2 into acme.my.workfront.com (production) — failed: 5 created, 0 reused, ' +
        '0 overwritten, 0 ignored, 10 failed (create 1, create 2, create 3, … and 7 more); ' +
        'installation i1 ended FAILED',
    );
  });

  it('names the records the map file changed before the others', () => {
    const list = records([['IGNORE', 20_000]]);
    const root = list[19_999];
    const line = verdict(
      result({
        operation: 'prepare',
        records: list,
        overrideChanges: [{ record: root, from: 'CREATE', to: 'IGNORE' }],
        planHash: 'f'.repeat(64),
      }),
    );
    expect(line).toBe(
      '✅ Plan for "Agency onboarding" v2 in acme.my.workfront.com (production): 0 to create, 0 to reuse, ' +
        '0 to overwrite, 20,000 to ignore (ignore 20000, ignore 1, ignore 2, … and 19,997 more); ' +
        'nothing installed; plan `ffffffffffff`',
    );
  });

  it('links a skipped run to the earlier installation, and links only plain ids', () => {
    const earlier = {
      id: '0123456789abcdef0123456789abcdef',
      status: 'INSTALLED',
      registeredAt: '2026-11-30T09:00:00Z',
    };
    expect(verdict(result({ outcome: 'skipped', skipped: true, installation: earlier }))).toBe(
      '⏭️ "Agency onboarding" v2 is already installed in acme.my.workfront.com (production) — skipped; installed earlier by ' +
        '[installation 0123…cdef](https://acme.my.workfront.com/environment-promotion/api/v1/installations/0123456789abcdef0123456789abcdef) ' +
        'on 2026-11-30 09:00 UTC (INSTALLED)',
    );
    const hostile = { ...earlier, id: 'x](https://evil.example)' };
    const line = verdict(result({ outcome: 'skipped', skipped: true, installation: hostile }));
    expect(line).not.toContain('](https://evil');
    expect(line).not.toContain('](https://acme');
  });

  it('keeps server text inert: escaped in Markdown, one clean line in text', () => {
    const name = '<img src=x onerror=alert(1)> [click](https://evil.example) ::warning::x\n##[stop]';
    const list = records([['OVERWRITING', 1, 'INSTALLED']]);
    list[0].name = name;
    list[0].objCode = '<b>';
    const hostile = result({ package: { id: 'p1', name, version: 2 }, records: list });
    const markdown = verdict(hostile);
    expect(markdown).not.toMatch(/<img|<b>|\]\(https:\/\/evil/);
    expect(markdown).toContain('&lt;img');
    const text = verdict(hostile, 'text');
    expect(text).not.toContain('\n');
    expect(text).not.toContain('::warning::');
    expect(text).toContain('<img src=x');
  });

  it('reads a run without records by its title alone', () => {
    expect(verdict(result({ operation: 'transition', previousStatus: 'TESTING', changed: true }))).toBe(
      '✅ "Agency onboarding" v2: TESTING → ACTIVE',
    );
  });
});

describe('format', () => {
  it('says 1 record, 2 records, 20,000 records', () => {
    expect([1, 2, 20_000].map((n) => plural(n, 'record'))).toEqual([
      '1 record',
      '2 records',
      '20,000 records',
    ]);
    expect(plural(1, 'dependant')).toBe('1 dependant');
  });
  it('cuts a list by count or by size, always ending with … and N more', () => {
    const items = Array.from({ length: 120 }, (_, i) => `item ${i}`);
    expect(cutList(items, { max: 3 })).toEqual(['item 0', 'item 1', 'item 2', '… and 117 more']);
    expect(cutList(items, { chars: 20 })).toEqual(['item 0', 'item 1', '… and 118 more']);
    expect(cutList(['x'.repeat(100)], { chars: 10 })).toEqual(['x'.repeat(100)]);
    expect(cutList(items.slice(0, 2))).toEqual(['item 0', 'item 1']);
  });
});

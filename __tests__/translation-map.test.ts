import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { indexOfDefinition } from '../src/api/definition.js';
import type { PackageDefinition, TranslationMap } from '../src/api/types.js';
import {
  applyOverrides,
  countRecords,
  deniedRecords,
  failedRecordCount,
  findDependents,
  ignoreRecords,
  parseOverrides,
  installedDifferently,
  planHash,
  recordsOf,
  recordsSetByMapFile,
  translationMapJson,
} from '../src/translation-map.js';

const rec = (action: string, name: string, targetId = '') => ({ action, name, isValid: true, targetId });

const map: TranslationMap = {
  TMPL: { t1: rec('CREATE', 'Onboarding') },
  TTSK: { k1: rec('CREATE', 'Kick-off'), k2: rec('CREATE', 'Wrap-up') },
  TPRED: { p1: rec('CREATE', 'Kick-off → Wrap-up') },
  GROUP: { g1: rec('USEEXISTING', 'Agency', 'tg1'), g2: rec('CREATE', 'Creative') },
  PTLTAB: { d1: rec('USEEXISTING', 'Agency Dashboard', 'td1') },
};

const definition: PackageDefinition = {
  packageEntities: {
    TMPL: [{ id: 't1', name: 'Onboarding', groupID: 'g2' }],
    TTSK: [
      { id: 'k1', name: 'Kick-off', templateID: 't1' },
      { id: 'k2', name: 'Wrap-up', templateID: 't1' },
    ],
    TPRED: [{ id: 'p1', name: 'Kick-off → Wrap-up', predecessorID: 'k1', successorID: 'k2' }],
    GROUP: [
      { id: 'g1', name: 'Agency' },
      { id: 'g2', name: 'Creative' },
    ],
    PTLTAB: [{ id: 'd1', name: 'Agency Dashboard' }],
  },
  metadata: { installOrder: ['GROUP', 'TMPL', 'TTSK', 'TPRED', 'PTLTAB'] },
};

describe('applyOverrides', () => {
  it('applies overrides and reports what changed', () => {
    const result = applyOverrides(map, {
      PTLTAB: { d1: { action: 'OVERWRITING' } },
      GROUP: { g1: { action: 'CREATE' }, g2: { action: 'USEEXISTING', targetId: 'other' } },
    });
    if ('errors' in result) throw new Error(result.errors.join());
    expect(result.map.PTLTAB.d1).toMatchObject({ action: 'OVERWRITING', targetId: 'td1' });
    expect(result.map.GROUP.g1).toMatchObject({ action: 'CREATE', targetId: '' });
    expect(result.map.GROUP.g2).toMatchObject({ action: 'USEEXISTING', targetId: 'other' });
    expect(result.changes.map((c) => `${c.record.sourceId}:${c.from}→${c.to}`)).toEqual([
      'd1:USEEXISTING→OVERWRITING',
      'g1:USEEXISTING→CREATE',
      'g2:CREATE→USEEXISTING',
    ]);
    expect(result.warnings.join()).toMatch(/GROUP g1 "Agency": USEEXISTING → CREATE fails for GROUP/);
    expect(map.GROUP.g1.action).toBe('USEEXISTING');
  });
  it('lists every bad entry at once', () => {
    const result = applyOverrides(map, {
      NOPE: { x: { action: 'IGNORE' } },
      TMPL: { missing: { action: 'IGNORE' }, t1: { action: 'OVERWRITING' } },
      GROUP: { g2: { action: 'USEEXISTING' }, g1: { action: 'IGNORE', targetId: 'tg1' } },
    });
    expect('errors' in result && result.errors).toEqual([
      expect.stringMatching(
        /objCode NOPE is not in the package's translation map \(it has GROUP, PTLTAB, TMPL, TPRED, TTSK\)/,
      ),
      expect.stringMatching(/TMPL missing is not a record/),
      expect.stringMatching(/TMPL t1 "Onboarding" needs a targetId for OVERWRITING/),
      expect.stringMatching(/GROUP g2 "Creative" needs a targetId for USEEXISTING/),
      expect.stringMatching(/GROUP g1 "Agency" sets targetId with IGNORE/),
    ]);
  });
  it('refuses a targetId that is not a Workfront ID (a name, say), and leaves the original map as it was', () => {
    const result = applyOverrides(map, {
      GROUP: { g2: { action: 'USEEXISTING', targetId: 'Agency Services' } },
    });
    expect('errors' in result && result.errors).toEqual([
      expect.stringMatching(/GROUP g2 "Creative": targetId "Agency Services" is not a Workfront ID/),
    ]);
    const applied = applyOverrides(map, { GROUP: { g2: { action: 'IGNORE' } } });
    if ('errors' in applied) throw new Error(applied.errors.join());
    expect(map.GROUP.g2.action).toBe('CREATE');
    // Only the objCode it changed is copied.
    expect(applied.map.TTSK).toBe(map.TTSK);
    expect(applied.map.GROUP).not.toBe(map.GROUP);
  });
  it('warns when an existing record is ignored', () => {
    const result = applyOverrides(map, { GROUP: { g1: { action: 'IGNORE' } } });
    expect('warnings' in result && result.warnings.join()).toMatch(/USEEXISTING → IGNORE makes records/);
  });
});

describe('findDependents', () => {
  it('finds sub-objects of an ignored CREATE record, transitively', () => {
    const applied = applyOverrides(map, { TMPL: { t1: { action: 'IGNORE' } } });
    if ('errors' in applied) throw new Error();
    const found = findDependents(map, applied.map, indexOfDefinition(definition));
    expect(found.map((d) => `${d.record.objCode}/${d.record.sourceId}<-${d.because.sourceId}`)).toEqual([
      'TTSK/k1<-t1',
      'TTSK/k2<-t1',
      'TPRED/p1<-t1',
    ]);
    const ignored = ignoreRecords(
      applied.map,
      found.map((d) => d.record),
    );
    expect(countRecords(recordsOf(ignored)).byAction.IGNORE).toBe(4);
  });
  it('leaves top-level objects and records ignored from USEEXISTING alone', () => {
    const applied = applyOverrides(map, { GROUP: { g2: { action: 'IGNORE' }, g1: { action: 'IGNORE' } } });
    if ('errors' in applied) throw new Error();
    expect(findDependents(map, applied.map, indexOfDefinition(definition))).toEqual([]);
  });
});

describe('counts, deny and plan hash', () => {
  const records = recordsOf({
    GROUP: { g1: { ...rec('USEEXISTING', 'A', 'x'), installationStatus: 'REGISTERED' } },
    TMPL: {
      t1: { ...rec('CREATE', 'T'), installationStatus: 'FAILED', reason: 'Invalid Custom Expression' },
    },
  });
  it('counts per action, status and objCode', () => {
    expect(countRecords(records)).toEqual({
      total: 2,
      byAction: { USEEXISTING: 1, CREATE: 1 },
      byStatus: { REGISTERED: 1, FAILED: 1 },
      byObjCode: {
        GROUP: { actions: { USEEXISTING: 1 }, statuses: { REGISTERED: 1 } },
        TMPL: { actions: { CREATE: 1 }, statuses: { FAILED: 1 } },
      },
    });
    expect(records[1].reason).toBe('Invalid Custom Expression');
  });
  it('lists denied records', () => {
    expect(deniedRecords(records, ['CREATE']).map((r) => r.sourceId)).toEqual(['t1']);
  });
  it('hashes a plan independently of key order, and changes with any record', () => {
    const a = recordsOf(map);
    const b = recordsOf(Object.fromEntries(Object.entries(map).reverse()));
    expect(planHash('p', 1, 'Acme.my.workfront.com', a)).toBe(planHash('p', 1, 'acme.my.workfront.com', b));
    expect(planHash('p', 1, 'acme.my.workfront.com', a)).toMatch(/^[0-9a-f]{64}$/);
    const changed = recordsOf(ignoreRecords(map, [a[0]]));
    expect(planHash('p', 1, 'h', changed)).not.toBe(planHash('p', 1, 'h', a));
    expect(planHash('p', 2, 'h', a)).not.toBe(planHash('p', 1, 'h', a));
    expect(planHash('p', 1, 'other', a)).not.toBe(planHash('p', 1, 'h', a));
  });
});

describe('skip-if-installed: what an earlier installation did differently', () => {
  const installed: TranslationMap = {
    TMPL: { t1: { ...rec('IGNORE', 'Onboarding'), installationStatus: 'INSTALLED' } },
    TTSK: { k1: { ...rec('IGNORE', 'Kick-off') }, k2: { ...rec('CREATE', 'Wrap-up', 'new2') } },
    GROUP: { g1: { ...rec('OVERWRITING', 'Agency', 'tg1'), installationStatus: 'INSTALLED' } },
  };
  const plan = (overrides: Parameters<typeof applyOverrides>[1]) => {
    const applied = applyOverrides(map, overrides);
    if ('errors' in applied) throw new Error(applied.errors.join());
    return applied.map;
  };
  it('finds nothing when the map file sets every record as it was installed', () => {
    const overrides = {
      TMPL: { t1: { action: 'IGNORE' as const } },
      GROUP: { g1: { action: 'OVERWRITING' as const } },
    };
    const planned = plan(overrides);
    const dependents = [
      {
        record: { objCode: 'TTSK', sourceId: 'k1', action: 'IGNORE' },
        because: { objCode: 'TMPL', sourceId: 't1', action: 'IGNORE' },
      },
    ];
    const withDependant = ignoreRecords(planned, [dependents[0].record]);
    expect(
      installedDifferently(
        installed,
        withDependant,
        recordsSetByMapFile(withDependant, overrides, dependents),
      ),
    ).toEqual([]);
  });
  it('lists each record set differently, and each IGNORE, OVERWRITING or CREATEWITHALTNAME no longer set', () => {
    const overrides = { GROUP: { g1: { action: 'OVERWRITING' as const, targetId: 'other' } } };
    const planned = plan(overrides);
    const found = installedDifferently(installed, planned, recordsSetByMapFile(planned, overrides));
    expect(found.map((d) => `${d.record.sourceId}: ${d.installed} → ${d.now}`)).toEqual([
      'g1: OVERWRITING tg1 → OVERWRITING other',
      't1: IGNORE → CREATE',
      'k1: IGNORE → CREATE',
    ]);
    // Without a map file: what was ignored or overwritten is not any more.
    expect(installedDifferently(installed, {}, []).map((d) => [d.record.sourceId, d.now])).toEqual([
      ['t1', undefined],
      ['k1', undefined],
      ['g1', undefined],
    ]);
  });
  it('counts FAILED records', () => {
    expect(failedRecordCount(installed)).toBe(0);
    expect(failedRecordCount({ A: { a: { ...rec('CREATE', 'a'), installationStatus: 'FAILED' } } })).toBe(1);
  });
});

describe('translationMapJson', () => {
  it('writes what JSON.stringify(map, null, 2) writes, in pieces', () => {
    const awkward: TranslationMap = JSON.parse(
      '{"A{": {}, "B": {"__proto__": {"action": "IGNORE"}, "y": {"action": "CREATE", "a": [1, {"b": "x\\ny"}]}}, "C": {"z": {"action": "USEEXISTING", "targetId": "t"}}}',
    );
    for (const value of [{}, map, awkward]) {
      for (const batch of [1, 2, 1000]) {
        expect([...translationMapJson(value, batch)].join('')).toBe(JSON.stringify(value, null, 2));
      }
    }
    expect([...translationMapJson(map, 1)].length).toBeGreaterThan(Object.keys(map).length);
  });
  it('hashes a plan as the joined lines did', () => {
    const records = recordsOf(map);
    const text = [
      'package\tp',
      'version\t1',
      'host\th',
      ...records.map((r) => [r.objCode, r.sourceId, r.action, r.targetId ?? ''].join('\t')).sort(),
    ].join('\n');
    expect(planHash('p', 1, 'H', records)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

describe('parseOverrides on a hostile map file', () => {
  it('describes the first thousand bad entries and counts the rest', () => {
    const bad = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`s${i}`, 1]));
    const parsed = parseOverrides({ GROUP: bad, ROLE: { a: 1, b: 2 } }, 'map-file');
    expect(parsed.value).toBeUndefined();
    expect(parsed.errors).toHaveLength(1002);
    expect(parsed.errors[999]).toBe('map-file GROUP.s999: expected {action, targetId?}, found number 1');
    expect(parsed.errors[1000]).toBe('map-file: … and 4,000 more entries of GROUP not checked');
    expect(parsed.errors[1001]).toBe('map-file: … and 2 more entries not checked');
  });
});

describe('parseOverrides on a translation map the action wrote after an installation', () => {
  it('keeps the action and drops the id a CREATE made, so the map reads back as it is', () => {
    const id = '6419b8b9001151ee258921a4f7597bc3';
    const made = '600f0a1b00028a718599f29575840777';
    const parsed = parseOverrides(
      {
        TMPL: {
          [id]: {
            name: 'Offboarding',
            action: 'CREATE',
            isValid: true,
            targetId: made,
            installationStatus: 'INSTALLED',
          },
        },
        GROUP: { g1: { action: 'USEEXISTING', targetId: made, installationStatus: 'REGISTERED' } },
      },
      'map-file',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.value).toEqual({
      TMPL: { [id]: { action: 'CREATE' } },
      GROUP: { g1: { action: 'USEEXISTING', targetId: made } },
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import type { PackageDefinition, TranslationMap } from '../src/api/types.js';
import {
  applyOverrides,
  countRecords,
  deniedRecords,
  findDependents,
  ignoreRecords,
  planHash,
  recordsOf,
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
  it('warns when an existing record is ignored', () => {
    const result = applyOverrides(map, { GROUP: { g1: { action: 'IGNORE' } } });
    expect('warnings' in result && result.warnings.join()).toMatch(/USEEXISTING → IGNORE makes records/);
  });
});

describe('findDependents', () => {
  it('finds sub-objects of an ignored CREATE record, transitively', () => {
    const applied = applyOverrides(map, { TMPL: { t1: { action: 'IGNORE' } } });
    if ('errors' in applied) throw new Error();
    const found = findDependents(map, applied.map, definition);
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
    expect(findDependents(map, applied.map, definition)).toEqual([]);
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

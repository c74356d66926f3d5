import { describe, expect, it } from '@jest/globals';
import { historyReader } from '../../src/api/history.js';
import { parseInstallations, readBody, ShapeError } from '../../src/api/parse.js';
import { withoutField } from '../../src/api/split.js';
import { readAll, readInstallationList } from './readers.js';
import { seededRandom } from '../../simulator/faults.js';

const DEPTH = 64;

/**
 * The list as the whole parse reads it once each installation's own map is taken out: what reading one by one
 * must agree with (a map is never read there, so one that would not parse does not matter).
 */
function whole(text: string) {
  const drop = (i: unknown) =>
    i && typeof i === 'object' && !Array.isArray(i) && 'translationMap' in i
      ? { ...i, translationMap: null }
      : i;
  const value: unknown = JSON.parse(text);
  const list = Array.isArray(value)
    ? value.map(drop)
    : { ...(value as object), data: (value as { data: unknown[] }).data.map(drop) };
  return parseInstallations(readBody(JSON.stringify(list), DEPTH)).map((i) => ({
    ...i,
    translationMap: undefined,
  }));
}

const MAP = {
  TMPL: { t1: { name: 'On "boarding" {[', action: 'CREATE', isValid: true, targetId: 'x1' } },
  GROUP: { g1: { name: 'Agency', action: 'USEEXISTING', targetId: 'g9' } },
};
const installation = (id: string, more: Record<string, unknown> = {}) => ({
  id,
  environmentPromotionPackageId: 'p1',
  environmentPromotionPackageVersion: 2,
  status: 'INSTALLED',
  environment: 'https://acme.sb01.workfront.com',
  registeredAt: '2026-11-30T10:00:00Z',
  translationMap: MAP,
  ...more,
});

describe('the installation history', () => {
  it.each([
    ['a bare array', (list: unknown[]) => list],
    ['under data', (list: unknown[]) => ({ data: list })],
  ])('is read one installation at a time, without translation maps (%s)', (_name, wrap) => {
    const text = JSON.stringify(
      wrap([installation('i1'), installation('i2', { status: 'PREPARING' })]),
      null,
      2,
    );
    const list = readInstallationList(text, DEPTH);
    expect(list.map((i) => [i.id, i.status, i.environmentPromotionPackageVersion])).toEqual([
      ['i1', 'INSTALLED', 2],
      ['i2', 'PREPARING', 2],
    ]);
    expect(list.every((i) => i.translationMap === undefined)).toBe(true);
    expect(list).toEqual(whole(text));
  });

  it('agrees with the whole parse on random lists, maps and names full of brackets, quotes and escapes', () => {
    const random = seededRandom(8);
    const word = () =>
      Array.from(
        { length: Math.floor(random() * 8) },
        () =>
          ['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'translationMap', 'é'][Math.floor(random() * 11)],
      ).join('');
    for (let round = 0; round < 200; round++) {
      const list = Array.from({ length: Math.floor(random() * 4) }, (_, i) =>
        installation(`i${i}`, {
          status: random() < 0.5 ? 'INSTALLED' : word(),
          environment: word(),
          [word()]: { [word()]: [word(), { translationMap: word() }] },
          ...(random() < 0.3 ? { translationMap: null } : {}),
          ...(random() < 0.3
            ? { translationMap: { TMPL: { [word()]: { name: word(), action: 'CREATE' } } } }
            : {}),
        }),
      );
      const text = JSON.stringify(random() < 0.5 ? { data: list } : list);
      // However the answer arrives: in one piece, or cut anywhere (inside a string, an escape or a character).
      for (const chunkBytes of [undefined, 1, 2, 5, 13])
        expect(readInstallationList(text, DEPTH, chunkBytes)).toEqual(whole(text));
    }
  });

  it('passes over each map as it arrives: a map larger than what a reader may hold is never held', () => {
    const big = {
      TMPL: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`t${i}`, { action: 'CREATE' }])),
    };
    const text = JSON.stringify({ data: [installation('i1', { translationMap: big }), installation('i2')] });
    for (const chunkBytes of [3, 64, 100_000]) {
      const read = readAll(historyReader({ maxJsonDepth: DEPTH, maxHeldChars: 1000 }), text, chunkBytes);
      expect(read?.map((i) => [i.id, i.translationMap])).toEqual([
        ['i1', undefined],
        ['i2', undefined],
      ]);
    }
    // Any other field counts: an installation that large without its map is refused.
    const long = JSON.stringify([installation('i1', { description: 'x'.repeat(2000) })]);
    expect(() => readAll(historyReader({ maxJsonDepth: DEPTH, maxHeldChars: 1000 }), long)).toThrow(
      'an object of more than 1000 characters',
    );
  });

  it('reads a list whose maps would not parse: the maps are skipped unread, and read by id when needed', () => {
    const text = JSON.stringify([installation('i1', { translationMap: { TMPL: ['not', 'records'] } })]);
    expect(() => parseInstallations(readBody(text, DEPTH))).toThrow(ShapeError);
    expect(readInstallationList(text, DEPTH).map((i) => i.id)).toEqual(['i1']);
  });

  it('leaves what it does not read to the whole parse: a list cut short is completed, garbage refused', () => {
    const text = JSON.stringify([installation('i1')]).slice(0, -2);
    expect(readInstallationList(text, DEPTH).map((i) => i.id)).toEqual(['i1']);
    expect(() => readInstallationList('<html>login</html>', DEPTH)).toThrow(ShapeError);
    expect(() => readInstallationList('{"installations": 3}', DEPTH)).toThrow(ShapeError);
    expect(readInstallationList('[]', DEPTH)).toEqual([]);
  });

  it('refuses an installation nested deeper than the limit, its map included', () => {
    const deep = {
      ...installation('i1'),
      translationMap: { a: JSON.parse(`${'['.repeat(20)}${']'.repeat(20)}`) },
    };
    expect(() => readInstallationList(JSON.stringify([deep]), 10)).toThrow(/nested at most 10 levels/);
  });
});

describe('withoutField', () => {
  it("replaces the object's own field, not one of the same name deeper down or a value that names it", () => {
    const json = JSON.stringify({
      name: 'translationMap',
      nested: { translationMap: { keep: 1 } },
      translationMap: { TMPL: { t1: { name: '}"{' } } },
      after: [1, 2],
    });
    expect(JSON.parse(withoutField(json, 'translationMap'))).toEqual({
      name: 'translationMap',
      nested: { translationMap: { keep: 1 } },
      translationMap: null,
      after: [1, 2],
    });
  });
  it('leaves a text without that field, or with a short value, as it is', () => {
    expect(withoutField('{"a": 1}', 'translationMap')).toBe('{"a": 1}');
    expect(withoutField('{"translationMap": null}', 'translationMap')).toBe('{"translationMap": null}');
    expect(JSON.parse(withoutField('{"translationMap" : "text"}', 'translationMap'))).toEqual({
      translationMap: null,
    });
  });
});

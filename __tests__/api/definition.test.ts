import { describe, expect, it } from '@jest/globals';
import { indexOfDefinition } from '../../src/api/definition.js';
import { readDefinitionIndex, scanDefinition } from './readers.js';
import { parseDefinition, readBody, ShapeError } from '../../src/api/parse.js';
import { seededRandom } from '../../simulator/faults.js';

const DEPTH = 64;

/** The index as a definition parsed whole gives it: what the scan must agree with. */
const whole = (text: string) => indexOfDefinition(parseDefinition(readBody(text, DEPTH)));

const ENTITIES = {
  GROUP: [{ id: 'g1', name: 'Agency {"x": [1, 2]}', references: [] }],
  TMPL: [
    {
      ID: ' t1 ',
      name: 'On "boarding" \\ {[',
      groupID: 'g1',
      references: [{ objCode: 'GROUP', id: 'g1', field: 'groupID', relation: 'uses' }],
      deep: { a: { b: { c: { d: 'too-deep-to-count' } } } },
    },
    { id: 7, name: 'a numeric id' },
    { name: 'no id at all' },
    { id: 'bad id with spaces', name: 'not of the id pattern' },
  ],
  TTSK: [{ id: 'k1', templateID: 't1', assignments: [['nested-array'], 'r1'] }, 'not an entity', 3, null],
};

describe('the definition index', () => {
  it.each([
    ['bare', { packageEntities: ENTITIES, metadata: { installOrder: ['GROUP', 'TMPL', 'TTSK'] } }],
    ['under data', { data: { packageEntities: ENTITIES, metadata: { installOrder: ['GROUP', 7, 'TMPL'] } } }],
    ['displayEntities', { displayEntities: ENTITIES, extra: [{ id: 'x' }] }],
  ])('scanned entity by entity, it equals the index of the whole (%s)', (_name, body) => {
    const text = JSON.stringify(body, null, 1);
    const scanned = scanDefinition(text, DEPTH);
    expect(scanned).toBeDefined();
    expect(scanned).toEqual(whole(text));
    expect(scanDefinition(text, DEPTH, 1)).toEqual(scanned);
  });

  it('keeps each entity as its id and the ids it mentions, three levels down, never its own', () => {
    const index = readDefinitionIndex(JSON.stringify({ packageEntities: ENTITIES }), DEPTH);
    expect(index.entities).toEqual([
      { objCode: 'GROUP', id: 'g1', mentions: [] },
      { objCode: 'TMPL', id: 't1', mentions: expect.arrayContaining(['g1', 'GROUP', 'uses']) },
      { objCode: 'TMPL', id: '7', mentions: [] },
      { objCode: 'TTSK', id: 'k1', mentions: ['t1', 'r1'] },
    ]);
    expect(index.entities[1].mentions).not.toContain('too-deep-to-count');
  });

  it('agrees with the whole on random definitions, strings full of brackets, quotes and escapes', () => {
    const random = seededRandom(5);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const word = () =>
      Array.from({ length: Math.floor(random() * 6) }, () =>
        pick(['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '\n', 'x1', ' ']),
      ).join('');
    const value = (depth: number): unknown =>
      depth > 3 || random() < 0.5
        ? pick([word(), `id${Math.floor(random() * 20)}`, 42, null, true])
        : random() < 0.5
          ? Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1))
          : Object.fromEntries(
              Array.from({ length: Math.floor(random() * 3) }, () => [word(), value(depth + 1)]),
            );
    for (let round = 0; round < 200; round++) {
      const entities = Object.fromEntries(
        ['TMPL', 'TTSK', 'GROUP'].map((objCode) => [
          objCode,
          Array.from({ length: Math.floor(random() * 5) }, (_, i) => ({
            id: `id${Math.floor(random() * 20)}`,
            [word()]: value(0),
            n: i,
          })),
        ]),
      );
      const text = JSON.stringify(
        random() < 0.3 ? { data: { packageEntities: entities } } : { packageEntities: entities },
      );
      // However the answer arrives: in one piece, or cut anywhere (inside a string, an escape or a character).
      for (const chunkBytes of [undefined, 1, 2, 5, 13])
        expect(scanDefinition(text, DEPTH, chunkBytes)).toEqual(whole(text));
    }
  });

  it('reads an objCode named __proto__ as any other, both ways', () => {
    const text =
      '{"packageEntities": {"__proto__": [{"id": "t1", "groupID": "g1"}], "GROUP": [{"id": "g1"}]}}';
    const expected = [
      { objCode: '__proto__', id: 't1', mentions: ['g1'] },
      { objCode: 'GROUP', id: 'g1', mentions: [] },
    ];
    expect(scanDefinition(text, DEPTH)?.entities).toEqual(expected);
    expect(whole(text).entities).toEqual(expected);
  });

  it('holds nothing for entities without an id: a list of empty objects leaves an empty index', () => {
    const text = JSON.stringify({ packageEntities: { TMPL: Array.from({ length: 10_000 }, () => ({})) } });
    expect(scanDefinition(text, DEPTH)).toEqual({ entities: [], installOrder: undefined });
  });

  it('leaves what it does not read to the whole: an answer cut short is completed, as every answer is', () => {
    const text = JSON.stringify({ packageEntities: ENTITIES }).slice(0, -3);
    expect(scanDefinition(text, DEPTH)).toBeUndefined();
    expect(scanDefinition(text.slice(0, 40), DEPTH, 7)).toBeUndefined();
    expect(scanDefinition('  \n ', DEPTH)).toBeUndefined();
    expect(scanDefinition('{"packageEntities": {}}]', DEPTH)).toBeUndefined();
    expect(readDefinitionIndex(text, DEPTH)).toEqual(whole(text));
  });

  it.each([
    ['not JSON', '<html>login</html>'],
    ['an entity that is not JSON', '{"packageEntities": {"TMPL": [{"id": "t1", oops}]}}'],
    ['no packageEntities', '{"packages": []}'],
    ['packageEntities not an object', '{"packageEntities": [{"id": "t1"}]}'],
  ])('refuses %s', (_name, text) => {
    expect(() => readDefinitionIndex(text, DEPTH)).toThrow(ShapeError);
  });

  it('refuses an answer nested deeper than the limit, inside an entity or around it', () => {
    const deepEntity = `{"packageEntities": {"TMPL": [{"id": "t1", "x": ${'['.repeat(10)}${']'.repeat(10)}}]}}`;
    expect(() => readDefinitionIndex(deepEntity, 8)).toThrow(/nested at most 8 levels/);
    const deepAround = `{"metadata": ${'['.repeat(10)}${']'.repeat(10)}, "packageEntities": {}}`;
    expect(() => readDefinitionIndex(deepAround, 8)).toThrow(/nested at most 8 levels/);
    expect(readDefinitionIndex(deepEntity, DEPTH).entities).toEqual([
      { objCode: 'TMPL', id: 't1', mentions: [] },
    ]);
  });
});

// The JSON schemas editors use and the action's own parsers must agree: the same documents valid, the same
// refused. Each document goes through parseStructured first, as the action reads a file.
import { describe, expect, it } from '@jest/globals';
import { Validator, type Schema } from '@cfworker/json-schema';
import { readFileSync } from 'node:fs';
import { parseStructured } from '../../src/files.js';
import { PROMOTABLE_OBJCODES, SUB_OBJCODES } from '../../src/objcodes.js';
import { parseObjectCollections } from '../../src/object-collections.js';
import { parseOverrides } from '../../src/translation-map.js';

const ROOT = new URL('../../', import.meta.url);
const readJson = (path: string) =>
  JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as Record<string, unknown>;
const mapSchema = readJson('schemas/map-file.schema.json');
const collectionsSchema = readJson('schemas/object-collections.schema.json');

const validator = (schema: Record<string, unknown>) => new Validator(schema as Schema, '2020-12', false);
const mapValidator = validator(mapSchema);
const collectionsValidator = validator(collectionsSchema);

type Parser = (raw: unknown, where: string) => { errors: string[] };

/** Both verdicts on one document: the schema's and the parser's. */
function verdicts(text: string, schema: Validator, parse: Parser) {
  const value = parseStructured(text, 'the document');
  const result = schema.validate(value);
  const parsed = parse(value, 'doc');
  return { schema: result.valid, parser: parsed.errors.length === 0, errors: parsed.errors };
}

const ID = '6419b8b9001151ee258921a4f7597bb2';
const ID2 = '645e6435000b4aaebe4776f4a42ed5ad';

const mapValid: Record<string, string> = {
  'object override': `GROUP:\n  ${ID}: {action: USEEXISTING, targetId: ${ID2}}`,
  'shorthand action': `TMPL:\n  ${ID}: IGNORE`,
  'lower-case action': `TMPL:\n  ${ID}: {action: ignore}`,
  'mixed-case action': `TMPL:\n  ${ID}: Overwriting`,
  'action with spaces around it': `TMPL:\n  ${ID}: {action: " create "}`,
  'every action': `TMPL:\n  a: CREATE\n  b: USEEXISTING\n  c: IGNORE\n  d: OVERWRITING\n  e: CREATEWITHALTNAME`,
  'name kept for the reader': `GROUP:\n  ${ID}: {action: USEEXISTING, targetId: ${ID2}, name: Agency Services}`,
  'a numeric name': `GROUP:\n  ${ID}: {action: IGNORE, name: 2024}`,
  'empty targetId': `TMPL:\n  ${ID}: {action: CREATE, targetId: ""}`,
  'OVERWRITING without targetId (kept from the pre-run)': `TMPL:\n  ${ID}: {action: OVERWRITING}`,
  JSON: JSON.stringify({ PTLTAB: { [ID]: { action: 'IGNORE' } } }),
  'JSON with $schema': JSON.stringify({ $schema: 'https://example.com/s.json', GROUP: { [ID]: 'IGNORE' } }),
  'YAML with $schema': `$schema: ../schemas/map-file.schema.json\nGROUP:\n  ${ID}: IGNORE`,
  'several objCodes': `GROUP:\n  ${ID}: IGNORE\nROLE:\n  ${ID2}: {action: USEEXISTING, targetId: r1}\nTTSK:\n  k1: IGNORE`,
  'a sub-objCode': `TASSGN:\n  ${ID}: IGNORE`,
  'an undocumented objCode': `NEWCODE1:\n  ${ID}: IGNORE`,
  'two-letter objCode': `AB:\n  ${ID}: IGNORE`,
  'sixteen-character objCode': `ABCDEFGHIJKLMNOP:\n  ${ID}: IGNORE`,
  'any source id text (checked against the map later)': `TMPL:\n  "not/an id": IGNORE`,
  'a numeric source id': `TMPL:\n  12345: IGNORE`,
  'targetId any text': `TMPL:\n  ${ID}: {action: USEEXISTING, targetId: "x y"}`,
  'flow-style YAML': `{GROUP: {${ID}: {action: IGNORE}}}`,
  'targetName instead of targetId': `GROUP:\n  ${ID}: {action: USEEXISTING, targetName: Agency Services}`,
  'targetName beside targetId': `GROUP:\n  ${ID}: {action: OVERWRITING, targetId: ${ID2}, targetName: Agency}`,
  'a record as the action writes it': JSON.stringify({
    TMPL: { [ID]: { name: 'Onboarding', action: 'USEEXISTING', isValid: true, targetId: ID2 } },
  }),
  'a record of a finished installation': JSON.stringify({
    GROUP: {
      [ID]: {
        name: 'G',
        action: 'CREATE',
        isValid: false,
        targetId: '',
        installationStatus: 'FAILED',
        reason: 'x',
      },
    },
  }),
};

const mapInvalid: Record<string, string> = {
  'a list': `- GROUP: {a: IGNORE}`,
  'a scalar': `IGNORE`,
  null: `null`,
  'an empty map': `{}`,
  'only $schema': `$schema: ./map-file.schema.json`,
  'lower-case objCode': `group:\n  ${ID}: IGNORE`,
  'one-letter objCode': `G:\n  ${ID}: IGNORE`,
  'seventeen-character objCode': `ABCDEFGHIJKLMNOPQ:\n  ${ID}: IGNORE`,
  'objCode starting with a digit': `1GROUP:\n  ${ID}: IGNORE`,
  'objCode with a dash': `PTL-TAB:\n  ${ID}: IGNORE`,
  'objCode with no records': `GROUP: {}`,
  'objCode with a list': `GROUP:\n  - ${ID}`,
  'objCode with null': `GROUP:`,
  'unknown action': `TMPL:\n  ${ID}: UPDATE`,
  'unknown action in an object': `TMPL:\n  ${ID}: {action: MERGE}`,
  'missing action': `TMPL:\n  ${ID}: {targetId: ${ID2}}`,
  'numeric action': `TMPL:\n  ${ID}: {action: 1}`,
  'null override': `TMPL:\n  ${ID}:`,
  'list override': `TMPL:\n  ${ID}: [IGNORE]`,
  'numeric targetId': `TMPL:\n  ${ID}: {action: USEEXISTING, targetId: 42}`,
  'null targetId': `TMPL:\n  ${ID}: {action: USEEXISTING, targetId: null}`,
  'unknown field': `TMPL:\n  ${ID}: {action: IGNORE, comment: not needed}`,
  'misspelt targetID': `TMPL:\n  ${ID}: {action: USEEXISTING, targetID: ${ID2}}`,
  'action with a typo': `TMPL:\n  ${ID}: USEEXISTNG`,
  'one good and one bad objCode': `GROUP:\n  ${ID}: IGNORE\nbad:\n  ${ID}: IGNORE`,
  'targetName with CREATE': `GROUP:\n  ${ID}: {action: CREATE, targetName: Agency}`,
  'an empty targetName': `GROUP:\n  ${ID}: {action: USEEXISTING, targetName: "  "}`,
  'a numeric targetName': `GROUP:\n  ${ID}: {action: USEEXISTING, targetName: 42}`,
  'isValid not a boolean': `GROUP:\n  ${ID}: {action: IGNORE, isValid: "yes"}`,
  'installationStatus not text': `GROUP:\n  ${ID}: {action: IGNORE, installationStatus: 3}`,
};

const collectionsValid: Record<string, string> = {
  'the API array': JSON.stringify([{ objCode: 'TMPL', entities: [{ ID, name: 'New Agency Onboarding' }] }]),
  'the API array without names': JSON.stringify([{ objCode: 'PTLTAB', entities: [{ ID: ID2 }] }]),
  'the API array, several objCodes': JSON.stringify([
    { objCode: 'TMPL', entities: [{ ID }] },
    { objCode: 'PTLTAB', entities: [{ ID: ID2, name: 'Agency Performance and Readiness' }] },
  ]),
  'the API array in YAML': `- objCode: TMPL\n  entities:\n    - ID: ${ID}\n      name: New Agency Onboarding`,
  'lower-case id key': JSON.stringify([{ objCode: 'TMPL', entities: [{ id: ID }] }]),
  'shorthand with ids': `TMPL: [${ID}, ${ID2}]`,
  'shorthand with objects': `TMPL:\n  - ID: ${ID}\n    name: New Agency Onboarding`,
  'shorthand mixed': `TMPL:\n  - ${ID}\n  - {ID: ${ID2}, name: Offboarding}`,
  'shorthand, several objCodes': `TMPL: [${ID}]\nPTLTAB: [${ID2}]\nGROUP: [g1]`,
  'shorthand in JSON': JSON.stringify({ CTGY: [ID], PARAM: [{ ID: ID2 }] }),
  'an undocumented objCode (a warning only)': `NEWCODE: [${ID}]`,
  'an undocumented objCode in the array': JSON.stringify([{ objCode: 'ZZ9', entities: [ID] }]),
  'id strings in the array': JSON.stringify([{ objCode: 'TMPL', entities: [ID, ID2] }]),
  'short id': `TMPL: [a]`,
  '64-character id': `TMPL: [${'a'.repeat(64)}]`,
  'id with dash and underscore': `TMPL: [abc-DEF_123]`,
  'quoted all-digit id': `TMPL: ["12345"]`,
  'the same id twice (a warning only)': `TMPL: [${ID}, ${ID}]`,
  'both ID and id': JSON.stringify([{ objCode: 'TMPL', entities: [{ ID, id: ID }] }]),
  'empty name': `TMPL: [{ID: ${ID}, name: ""}]`,
  'flow-style YAML': `{TMPL: [${ID}], PTLTAB: [{ID: ${ID2}}]}`,
  'a $schema key beside the objCodes': `$schema: ./object-collections.schema.json\nTMPL: [${ID}]`,
  'a name instead of an ID': `TMPL: [New Agency Onboarding]`,
  'a name in the array form': JSON.stringify([{ objCode: 'TMPL', entities: ['New Agency Onboarding'] }]),
  '{name} without ID': `TMPL: [{name: Onboarding}]`,
  '{name} in the array form': JSON.stringify([{ objCode: 'GROUP', entities: [{ name: 'Agency Services' }] }]),
  'a text with a slash is a name': `TMPL: ["abc/def"]`,
  'a 65-character text is a name': `TMPL: [${'a'.repeat(65)}]`,
  'every documented objCode': Object.keys(PROMOTABLE_OBJCODES)
    .map((code) => `${code}: [${ID}]`)
    .join('\n'),
};

const collectionsInvalid: Record<string, string> = {
  'a scalar': `TMPL`,
  null: `null`,
  'an empty list': `[]`,
  'an empty map': `{}`,
  'the API object without the list around it': JSON.stringify({ objCode: 'TMPL', entities: [{ ID }] }),
  'empty entities': JSON.stringify([{ objCode: 'TMPL', entities: [] }]),
  'missing entities': JSON.stringify([{ objCode: 'TMPL' }]),
  'missing objCode': JSON.stringify([{ entities: [{ ID }] }]),
  'numeric objCode': JSON.stringify([{ objCode: 7, entities: [{ ID }] }]),
  'lower-case objCode in the array': JSON.stringify([{ objCode: 'tmpl', entities: [{ ID }] }]),
  'lower-case objCode in the shorthand': `tmpl: [${ID}]`,
  'a list item that is a string': JSON.stringify(['TMPL']),
  'shorthand with an empty list': `TMPL: []`,
  'shorthand with one id, not a list': `TMPL: ${ID}`,
  'an unquoted all-digit id (a number)': `TMPL: [12345]`,
  'an empty id': `TMPL: [""]`,
  'a blank text': `TMPL: ["   "]`,
  'an entity without ID or name': `TMPL: [{}]`,
  'an entity with a blank name only': `TMPL: [{name: "  "}]`,
  'a name with an unknown field': `TMPL: [{name: Onboarding, owner: me}]`,
  'a numeric name alone': `TMPL: [{name: 2024}]`,
  'a numeric ID field': `TMPL: [{ID: 42}]`,
  'a numeric name': `TMPL: [{ID: ${ID}, name: 2024}]`,
  'a null name': `TMPL: [{ID: ${ID}, name: null}]`,
  'an unknown entity field': `TMPL: [{ID: ${ID}, objCode: TMPL}]`,
  'a nested list': `TMPL: [[${ID}]]`,
  'one good and one bad objCode': `TMPL: [${ID}]\nPTL-TAB: [${ID2}]`,
};

function corpus(
  name: string,
  schema: Validator,
  parse: Parser,
  valid: Record<string, string>,
  invalid: Record<string, string>,
) {
  describe(name, () => {
    it('has a corpus of at least 20 valid and 20 invalid documents', () => {
      expect(Object.keys(valid).length).toBeGreaterThanOrEqual(20);
      expect(Object.keys(invalid).length).toBeGreaterThanOrEqual(20);
    });
    it.each(Object.entries(valid))('valid for both: %s', (_, text) => {
      expect(verdicts(text, schema, parse)).toMatchObject({ schema: true, parser: true, errors: [] });
    });
    it.each(Object.entries(invalid))('invalid for both: %s', (_, text) => {
      expect(verdicts(text, schema, parse)).toMatchObject({ schema: false, parser: false });
    });
  });
}

corpus('map-file schema and parseOverrides', mapValidator, parseOverrides, mapValid, mapInvalid);
corpus(
  'object-collections schema and parseObjectCollections',
  collectionsValidator,
  parseObjectCollections,
  collectionsValid,
  collectionsInvalid,
);

describe('items of the array form', () => {
  it('an unknown field beside objCode and entities is refused by both', () => {
    const text = JSON.stringify([{ objCode: 'TMPL', entities: [ID], source: 'https://x' }]);
    expect(verdicts(text, collectionsValidator, parseObjectCollections)).toMatchObject({
      schema: false,
      parser: false,
    });
  });
});

describe('the schemas themselves', () => {
  it('are draft 2020-12 with an $id, a title and a description', () => {
    for (const [file, schema] of [
      ['map-file', mapSchema],
      ['object-collections', collectionsSchema],
    ] as const) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toMatch(new RegExp(`/schemas/${file}\\.schema\\.json$`));
      expect(schema.title).toEqual(expect.any(String));
      expect(schema.description).toEqual(expect.any(String));
    }
  });

  it('name the objCodes src/objcodes.ts documents, for completion in editors', () => {
    const mapCodes = Object.keys(mapSchema.properties as object).filter((key) => key !== '$schema');
    expect(mapCodes.sort()).toEqual(Object.keys({ ...PROMOTABLE_OBJCODES, ...SUB_OBJCODES }).sort());
    const defs = collectionsSchema.$defs as Record<string, Record<string, unknown>>;
    const shorthandCodes = Object.keys(defs.shorthand.properties as object).filter(
      (key) => key !== '$schema',
    );
    expect(shorthandCodes.sort()).toEqual(Object.keys(PROMOTABLE_OBJCODES).sort());
    const [listed] = defs.objCode.anyOf as Array<{ enum: string[] }>;
    expect([...listed.enum].sort()).toEqual(Object.keys(PROMOTABLE_OBJCODES).sort());
  });

  it('accept the examples, and the examples point editors at them', () => {
    for (const [file, schema, parse] of [
      ['examples/overrides.yml', mapValidator, parseOverrides],
      ['examples/object-collections.yml', collectionsValidator, parseObjectCollections],
    ] as const) {
      const text = readFileSync(new URL(file, ROOT), 'utf8');
      expect(verdicts(text, schema, parse)).toMatchObject({ schema: true, parser: true, errors: [] });
      const comment = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
      const id = (file.includes('overrides') ? mapSchema : collectionsSchema).$id;
      expect(comment?.[1]).toBe(id);
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  apiMessageOf,
  hostOfEnvironment,
  parseDefinition,
  parseInstallation,
  parseInstallationId,
  parseInstallations,
  parsePackage,
  parsePackages,
  parseTranslationMap,
  readBody,
  ShapeError,
} from '../../src/api/parse.js';

const json = (value: unknown) => readBody(JSON.stringify(value));

// The November 2023 create example, verbatim: the closing brace of the outer object is missing.
const CREATE_000 = `{
    "data": {
        "id": "1d5693b9-b7b5-492d-8219-c21f34bcaca6",
        "name": "Agency Onboarding - 2023-06-06",
        "status": "ASSEMBLING",
        "version": 1,
        "installationCounts": {},
        "createdAt": "2023-06-06T17:29:21.600Z",
        "publishedAt": null,
        "customerId": "61aa9d090005fa42152c1cb66659f38d"
}`;

describe('readBody', () => {
  it('reads empty, null, text and JSON bodies', () => {
    expect(readBody('')).toEqual({ type: 'empty' });
    expect(readBody('  null ')).toEqual({ type: 'empty' });
    expect(readBody('Deleted\n')).toEqual({ type: 'text', text: 'Deleted' });
    expect(readBody('{"a":1}')).toEqual({ type: 'json', value: { a: 1 }, repaired: false });
    expect(readBody('"b6aa"')).toEqual({ type: 'json', value: 'b6aa', repaired: false });
  });

  it('completes the 000 create example that lacks its closing brace', () => {
    const body = readBody(CREATE_000);
    expect(body).toMatchObject({ type: 'json', repaired: true });
    expect(parsePackage(body)).toMatchObject({
      id: '1d5693b9-b7b5-492d-8219-c21f34bcaca6',
      status: 'ASSEMBLING',
    });
  });

  it('refuses JSON it cannot complete, and brackets inside strings do not count', () => {
    expect(() => readBody('{"a": "unterminated')).toThrow(ShapeError);
    expect(() => readBody('{"a": 1,, }')).toThrow(ShapeError);
    expect(readBody('{"a": "{[" ')).toEqual({ type: 'json', value: { a: '{[' }, repaired: true });
  });

  it('refuses deeper-than-sane JSON before parsing it', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => readBody(deep)).toThrow('nested at most 64 levels');
    expect(() => readBody('[[[1]]]', 2)).toThrow(ShapeError);
    expect(readBody('[[[1]]]', 3)).toMatchObject({ type: 'json' });
  });
});

describe('packages', () => {
  it('accepts data-wrapped and bare packages', () => {
    const pkg = { id: 'p1', name: 'n', status: 'DRAFT', version: 1 };
    expect(parsePackage(json({ data: pkg }))).toEqual(pkg);
    expect(parsePackage(json(pkg))).toEqual(pkg);
  });

  it('maps the July 2023 field names and statuses', () => {
    const statuses = {
      EXTRACTING: 'ASSEMBLING',
      BUILDING: 'DRAFT',
      PREVIEW: 'TESTING',
      PUBLIC: 'ACTIVE',
      RETIRED: 'DISABLED',
    };
    for (const [old, now] of Object.entries(statuses)) {
      expect(parsePackage(json({ data: { id: 'p', packageName: 'old', status: old } }))).toEqual({
        id: 'p',
        name: 'old',
        status: now,
      });
    }
    expect(parsePackage(json({ id: 'p', status: 'unassembled' })).status).toBe('UNASSEMBLED');
  });

  it('offers displayEntities and packageEntities whichever the answer used', () => {
    const entities = { GROUP: [{ id: 'g1', name: 'Default Group', description: 'null' }] };
    for (const field of ['displayEntities', 'packageEntities']) {
      const pkg = parsePackage(json({ data: { id: 'p', [field]: entities } }));
      expect(pkg.packageEntities).toEqual(entities);
      expect(pkg.displayEntities).toEqual(entities);
    }
  });

  it('keeps documented fields, nulls included, and coerces numeric ids', () => {
    const pkg = parsePackage(
      json({
        data: {
          id: 12,
          publishedAt: null,
          description: null,
          installationCounts: {},
          metadata: { installOrder: ['GROUP'] },
        },
      }),
    );
    expect(pkg).toEqual({
      id: '12',
      publishedAt: null,
      description: null,
      installationCounts: {},
      metadata: { installOrder: ['GROUP'] },
    });
  });

  it('refuses a package without id, and anything not an object', () => {
    expect(() => parsePackage(json({ data: { name: 'x' } }))).toThrow('a package with an "id"');
    expect(() => parsePackage(readBody(''))).toThrow(ShapeError);
    expect(() => parsePackage(readBody('Deleted'))).toThrow(ShapeError);
  });

  it('lists packages wrapped, bare, empty or {}, items possibly lacking fields', () => {
    const items = [
      { id: 'a', name: 'x', status: 'ASSEMBLING', createdAt: '2023-06-06T17:29:21.600Z', deletedAt: null },
      { id: 'b' },
    ];
    expect(parsePackages(json({ data: items }))).toEqual(items);
    expect(parsePackages(json(items))).toEqual(items);
    expect(parsePackages(readBody(''))).toEqual([]);
    expect(parsePackages(json({}))).toEqual([]);
    expect(parsePackages(json({ data: [] }))).toEqual([]);
    expect(() => parsePackages(json({ data: { id: 'a' } }))).toThrow('a list of packages');
  });
});

describe('definition', () => {
  it('accepts the bare definition, a wrapped one, and displayEntities', () => {
    const entities = { GROUP: [{ id: 'g1', name: 'Default Group', isActive: true, parentID: null }] };
    expect(parseDefinition(json({ packageEntities: entities }))).toEqual({ packageEntities: entities });
    expect(
      parseDefinition(json({ data: { packageEntities: entities, metadata: { shapeVersion: 2 } } })),
    ).toEqual({
      packageEntities: entities,
      metadata: { shapeVersion: 2 },
    });
    expect(parseDefinition(json({ displayEntities: entities })).packageEntities).toEqual(entities);
    expect(() => parseDefinition(json({}))).toThrow('packageEntities');
  });

  it('takes ID for id and drops records without one', () => {
    expect(
      parseDefinition(json({ packageEntities: { ROLE: [{ ID: 'r1' }, { name: 'no id' }, 'junk'] } })),
    ).toEqual({
      packageEntities: { ROLE: [{ ID: 'r1', id: 'r1' }] },
    });
  });
});

describe('installations', () => {
  const prerun = {
    environmentPromotionPackageId: '45f2ae94',
    environmentPromotionPackageVersion: 1,
    id: 'c0bc79bd',
    userId: 'u',
    customerId: 'c',
    status: 'PREPARING',
    environment: 'mmi.my.workfront.com',
    registeredAt: '2023-10-19T20:00:16.697Z',
    updatedAt: '2023-10-19T20:00:16.701Z',
    translationMap: {
      GROUP: { g1: { name: 'Default Group', action: 'USEEXISTING', isValid: true, targetId: 'g9' } },
    },
  };

  it('accepts the bare pre-run and a wrapped one', () => {
    expect(parseInstallation(json(prerun))).toEqual(prerun);
    expect(parseInstallation(json({ data: prerun }))).toEqual(prerun);
    expect(() => parseInstallation(json({}))).toThrow('an installation with an "id"');
  });

  it('lists installations as a bare array, wrapped, or empty', () => {
    const done = {
      ...prerun,
      status: 'INSTALLED',
      updatedAt: null,
      environment: 'https://acme.my.workfront.com',
    };
    expect(parseInstallations(json([prerun, done]))).toEqual([prerun, done]);
    expect(parseInstallations(json({ data: [done] }))).toEqual([done]);
    expect(parseInstallations(readBody(''))).toEqual([]);
    expect(parseInstallations(readBody('[]'))).toEqual([]);
  });

  it('refuses a translation map that is not {OBJCODE: {sourceId: record}}', () => {
    expect(() => parseInstallation(json({ id: 'i', translationMap: { GROUP: [] } }))).toThrow(
      'records under GROUP',
    );
    expect(parseInstallation(json({ id: 'i', translationMap: null }))).toEqual({ id: 'i' });
  });

  it('names the host of an environment given as host or URL', () => {
    expect(hostOfEnvironment('MMI.my.workfront.com')).toBe('mmi.my.workfront.com');
    expect(hostOfEnvironment('https://acme.preview.workfront.com/')).toBe('acme.preview.workfront.com');
    expect(hostOfEnvironment('127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(hostOfEnvironment(undefined)).toBeUndefined();
    expect(hostOfEnvironment('https://')).toBeUndefined();
  });
});

describe('translation map and installation id', () => {
  const map = {
    PTLTAB: { t1: { targetId: 't9', action: 'CREATEWITHALTNAME', name: 'Cool 2.0', isValid: true } },
  };

  it('accepts a bare, wrapped or keyed translation map', () => {
    expect(parseTranslationMap(json(map))).toEqual(map);
    expect(parseTranslationMap(json({ data: map }))).toEqual(map);
    expect(parseTranslationMap(json({ translationMap: map }))).toEqual(map);
    expect(parseTranslationMap(json({}))).toEqual({});
    expect(() => parseTranslationMap(readBody('Accepted'))).toThrow(ShapeError);
  });

  it("reads the new installation's id in every shape", () => {
    const id = 'b6aa0af8-3520-4b25-aca3-86793dff44a6';
    for (const text of [
      id,
      `${id}\n`,
      JSON.stringify(id),
      JSON.stringify({ id }),
      JSON.stringify({ data: { id } }),
    ]) {
      expect(parseInstallationId(readBody(text))).toBe(id);
    }
    expect(parseInstallationId(json({ installationId: id }))).toBe(id);
    expect(() => parseInstallationId(readBody(''))).toThrow(ShapeError);
    expect(() => parseInstallationId(json({}))).toThrow(ShapeError);
    expect(() => parseInstallationId(readBody('<html>Accepted</html>'))).toThrow(ShapeError);
  });
});

describe('apiMessageOf', () => {
  it('extracts the message from every error shape', () => {
    expect(apiMessageOf(json({ error: { message: 'Package not found' } }))).toBe('Package not found');
    expect(apiMessageOf(json({ message: 'Bad status' }))).toBe('Bad status');
    expect(apiMessageOf(json({ error: 'invalid_client', error_description: 'unknown client' }))).toBe(
      'invalid_client: unknown client',
    );
    expect(apiMessageOf(json({ data: { error: { message: 'wrapped' } } }))).toBe('wrapped');
    expect(apiMessageOf(json({ errors: [{ message: 'a' }, { message: 'b' }] }))).toBe('a; b');
    expect(apiMessageOf(readBody('Service down\n  for maintenance'))).toBe('Service down for maintenance');
    expect(
      apiMessageOf(readBody('<html><head><title>502 Bad Gateway</title></head><body>x</body></html>')),
    ).toBe('502 Bad Gateway');
    expect(apiMessageOf(readBody(''))).toBeUndefined();
    expect(apiMessageOf(json({}))).toBeUndefined();
    expect(apiMessageOf(readBody('x'.repeat(1000)))?.length).toBe(301);
  });
});

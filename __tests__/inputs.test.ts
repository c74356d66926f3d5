import { parseStructured } from '../src/files.js';
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config, Operation, OperationInput } from '../src/config.js';
import { readInputs } from '../src/inputs.js';
import { OPERATIONS } from '../src/operations/index.js';
import { parseDuration } from '../src/duration.js';
import { detectEnvironmentKind } from '../src/environment.js';

const BASE = {
  operation: 'get',
  url: 'https://acme.my.workfront.com',
  'api-key': 'k3y',
  'package-id': 'pkg-1',
};

function read(inputs: Record<string, string>) {
  return readInputs((name) => inputs[name] ?? '');
}

/** Every field of any operation's config, readable whichever operation it is: tests read the values. */
type AnyConfig = Config &
  Partial<Record<Config extends infer C ? (C extends unknown ? keyof C : never) : never, unknown>>;

function ok(inputs: Record<string, string>): AnyConfig {
  const result = read(inputs);
  expect(result.errors).toEqual([]);
  return result.config as AnyConfig;
}

function errorsOf(inputs: Record<string, string>): string {
  const result = read(inputs);
  expect(result.config).toBeUndefined();
  return result.errors.join('\n');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inputs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('operation', () => {
  it.each(['create', 'GET', 'Install', 'list'])('accepts %s in any case', (operation) => {
    const result = read({ ...BASE, operation, name: 'n', 'object-collections': '{TMPL: [abc]}' });
    expect(result.errors).toEqual([]);
    expect(result.config?.operation).toBe(operation.toLowerCase());
  });
  it('is required and must be known', () => {
    expect(errorsOf({ ...BASE, operation: '' })).toMatch(/Input "operation" is required: one of create/);
    expect(errorsOf({ ...BASE, operation: 'instal' })).toMatch(/"instal" is unknown; use one of create/);
  });
  it.each([
    ['transition', /"package-id" is required for operation transition/],
    ['install', /"package-id" is required for operation install/],
    ['replace', /"package-id" is required for operation replace/],
  ])('%s needs package-id', (operation, message) => {
    expect(errorsOf({ ...BASE, operation, 'package-id': '' })).toMatch(message);
  });
  it('installation needs installation-id', () => {
    expect(errorsOf({ ...BASE, operation: 'installation' })).toMatch(/"installation-id" is required/);
    expect(ok({ ...BASE, operation: 'installation', 'installation-id': 'i-1' }).installationId).toBe('i-1');
  });
  it('list needs no package', () => {
    expect(ok({ ...BASE, operation: 'list', 'package-id': '' }).operation).toBe('list');
  });
  it('warns about inputs the operation does not use', () => {
    const result = read({ ...BASE, 'confirm-delete': 'pkg-1' });
    expect(result.warnings.join()).toMatch(/"confirm-delete" is not used by operation get/);
  });
  it.each(['create', 'list', 'installation'])(
    'warns about package-id, which %s does not read',
    (operation) => {
      const result = read({
        ...BASE,
        operation,
        name: 'n',
        'object-collections': '{TMPL: [abc]}',
        'installation-id': 'i-1',
      });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toContain(
        `Input "package-id" is not used by operation ${operation}; it is not read`,
      );
      expect(result.config).not.toHaveProperty('packageId');
    },
  );
  it('refuses each operation without each input its descriptor needs, naming both', () => {
    for (const [operation, descriptor] of Object.entries(OPERATIONS)) {
      for (const need of descriptor.needs) {
        const names = typeof need === 'string' ? [need] : need;
        const inputs: Record<string, string> = { ...BASE, operation, 'package-id': '' };
        for (const name of names) inputs[name] = '';
        expect(errorsOf(inputs)).toContain(`Input "${names[0]}"`);
        expect(errorsOf(inputs)).toMatch(
          new RegExp(`"${names[0]}".* is required for operation ${operation}`),
        );
      }
    }
  });
});

/**
 * The descriptors and the configs agree: each operation runs on its `needs` alone, reads every input it `uses`
 * into its config, and is warned about (or refused) any other operation's input, which it never reads.
 */
describe('descriptors and configs', () => {
  const sample = (operation: string, name: OperationInput): string =>
    ({
      'package-id': 'pkg-1',
      'installation-id': 'inst-1',
      status: 'TESTING',
      'expected-status': 'DRAFT,TESTING',
      name: 'Release 7',
      description: 'Quarterly',
      source: 'https://acme.sb01.workfront.com',
      'object-collections': '{TMPL: [abc]}',
      'object-collections-file': file('collections.yml', 'TMPL: [abc]\n'),
      'map-file': file('agree-map.yml', 'GROUP:\n  g1: IGNORE\n'),
      // Read by replace; written by definition, which must not find a file there.
      'definition-file':
        operation === 'replace'
          ? file(
              'agree-definition.json',
              JSON.stringify({
                name: 'Release 7',
                description: '',
                source: 'https://acme.sb01.workfront.com',
                status: 'DRAFT',
                version: 1,
                packageEntities: {},
              }),
            )
          : join(dir, `new-${operation}-definition.json`),
      'expected-plan': 'ab'.repeat(16),
      'deny-actions': 'OVERWRITING',
      'confirm-delete': 'pkg-1',
      'core-api-version': 'v21.0',
    })[name];
  /** The config field each input becomes; core-api-version is every operation's (coreApiVersion). */
  const FIELD: Record<Exclude<OperationInput, 'core-api-version'>, string> = {
    'package-id': 'packageId',
    'installation-id': 'installationId',
    status: 'status',
    'expected-status': 'expectedStatus',
    name: 'name',
    description: 'description',
    source: 'source',
    'object-collections': 'objectCollections',
    'object-collections-file': 'objectCollections',
    'map-file': 'mapFile',
    'definition-file': 'definitionFile',
    'expected-plan': 'expectedPlan',
    'deny-actions': 'denyActions',
    'confirm-delete': 'confirmDelete',
  };
  const ALL = [...(Object.keys(FIELD) as OperationInput[]), 'core-api-version'] as OperationInput[];
  /** What a descriptor's own `check` asks for beyond its `needs`: something to change, the delete confirmation. */
  const CHECKED: Partial<Record<Operation, OperationInput[]>> = {
    update: ['name'],
    delete: ['confirm-delete'],
  };
  const needed = (operation: Operation) => {
    const inputs: Record<string, string> = { url: BASE.url, 'api-key': BASE['api-key'], operation };
    for (const name of CHECKED[operation] ?? []) inputs[name] = sample(operation, name);
    for (const need of OPERATIONS[operation].needs) {
      const name = typeof need === 'string' ? need : need[0];
      inputs[name] = sample(operation, name);
    }
    return inputs;
  };
  const operations = Object.keys(OPERATIONS) as Operation[];

  it.each(operations)('%s runs on the inputs it needs, and nothing else', (operation) => {
    const result = read(needed(operation));
    expect(result.errors).toEqual([]);
    expect(result.config?.operation).toBe(operation);
  });

  it.each(operations)('%s reads every input it uses into its config', (operation) => {
    const { needs, uses } = OPERATIONS[operation];
    const needNames = needs.flatMap((need) => (typeof need === 'string' ? [need] : [...need]));
    for (const name of uses) {
      if (needNames.includes(name) || name === 'core-api-version') continue;
      const inputs = { ...needed(operation), [name]: sample(operation, name) };
      // A given pre-run and a map file exclude each other (prepare, install): each is tried alone.
      if (name === 'map-file') delete inputs['installation-id'];
      const result = read(inputs);
      expect({ name, errors: result.errors, warnings: result.warnings }).toEqual({
        name,
        errors: [],
        warnings: [],
      });
      expect(result.config).toHaveProperty(FIELD[name]);
      expect((result.config as unknown as Record<string, unknown>)[FIELD[name]]).not.toBeUndefined();
    }
  });

  it.each(operations)('%s warns about every input it does not use, and leaves it out', (operation) => {
    const { needs, uses } = OPERATIONS[operation];
    const known = new Set<string>([...needs.flat(), ...uses]);
    for (const name of ALL.filter((n) => !known.has(n))) {
      const result = read({ ...needed(operation), [name]: sample(operation, name) });
      if (result.errors.length) {
        // Refused outright where it would mislead (status on update: transition guards the move).
        expect(result.errors).toEqual([expect.stringContaining(`Input "${name}"`)]);
        continue;
      }
      expect(result.warnings).toContain(
        `Input "${name}" is not used by operation ${operation}; it is not read`,
      );
      if (name === 'core-api-version') continue;
      // A field another input of the operation's also fills (status, name) is left to that input's test.
      const field = FIELD[name];
      const sharedWith = ALL.filter((n) => n !== name && n !== 'core-api-version' && FIELD[n] === field);
      if (sharedWith.some((n) => known.has(n))) continue;
      expect({ name, config: result.config }).not.toHaveProperty(`config.${field}`);
    }
  });
});

describe('url', () => {
  it.each([
    ['https://acme.my.workfront.com', 'https://acme.my.workfront.com/environment-promotion/api/v1', false],
    ['https://acme.my.workfront.com/', 'https://acme.my.workfront.com/environment-promotion/api/v1', false],
    [
      'https://acme.my.workfront.com/environment-promotion/api/v1/',
      'https://acme.my.workfront.com/environment-promotion/api/v1',
      false,
    ],
    [
      'https://acme.my.workfront.com/environment-promotion/v1',
      'https://acme.my.workfront.com/environment-promotion/v1',
      true,
    ],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/environment-promotion/api/v1', false],
    ['http://localhost:9000', 'http://localhost:9000/environment-promotion/api/v1', false],
    ['http://[::1]:9000', 'http://[::1]:9000/environment-promotion/api/v1', false],
  ])('%s → %s', (url, base, legacy) => {
    const config = ok({ ...BASE, url });
    expect(config.api.base).toBe(base);
    expect(config.api.legacy).toBe(legacy);
  });
  it('defaults source to the url without its API path', () => {
    const UPDATE = { ...BASE, operation: 'update', name: 'n' };
    expect(
      ok({ ...UPDATE, url: 'https://acme.sb01.workfront.com/environment-promotion/api/v1' }).source,
    ).toBe('https://acme.sb01.workfront.com');
    expect(ok({ ...UPDATE, source: 'https://acme.preview.workfront.com/' }).source).toBe(
      'https://acme.preview.workfront.com',
    );
  });
  it.each([
    ['http://acme.my.workfront.com', /http:\/\/ is refused for acme.my.workfront.com/],
    ['http://10.0.0.1', /http:\/\/ is refused/],
    ['acme.my.workfront.com', /is not a URL/],
    ['ftp://acme.my.workfront.com', /scheme ftp: is not supported/],
    ['https://user:pw@acme.my.workfront.com', /a user name or password in the URL is refused/],
    ['https://acme.my.workfront.com/?x=1', /query string/],
    ['', /Input "url" is required/],
  ])('refuses %s', (url, message) => {
    expect(errorsOf({ ...BASE, url })).toMatch(message);
  });
  it('never echoes credentials put in the URL', () => {
    expect(errorsOf({ ...BASE, url: 'https://user:s3cr3t@acme.my.workfront.com' })).not.toContain('s3cr3t');
    expect(errorsOf({ ...BASE, url: 'https://user:s3cr3t@acme my.workfront.com' })).not.toContain('s3cr3t');
  });

  // Addresses copied from the browser: read as their environment, with a warning naming the value to give.
  it.each([
    ['https://acme.my.workfront.com/home', 'https://acme.my.workfront.com', 'a page of the Workfront UI'],
    [
      'https://acme.my.workfront.com/home/workspaces?tab=1#x',
      'https://acme.my.workfront.com',
      'a page of the Workfront UI',
    ],
    [
      'https://acme.preview.workfront.com/attask/index.cmd',
      'https://acme.preview.workfront.com',
      'a page of the Workfront UI',
    ],
    [
      'https://acme.my.workfront.com/attask/api/v15.0',
      'https://acme.my.workfront.com',
      "the address of Workfront's core API",
    ],
    [
      'https://acme.sb01.workfront.com/environment-promotion',
      'https://acme.sb01.workfront.com',
      'part of the API path',
    ],
    [
      'https://acme.my.workfront.com/environment-promotion/api/v1/packages',
      'https://acme.my.workfront.com',
      'a path below the API base',
    ],
    [
      'https://acme.my.workfront.com/environment-promotion/api/v1/packages/6419b8b9001151ee258921a4f7597bb2',
      'https://acme.my.workfront.com',
      'a path below the API base',
    ],
    [
      'https://acme.my.workfront.com/projects/list',
      'https://acme.my.workfront.com',
      'a page of the Workfront UI',
    ],
    ['http://127.0.0.1:8080/home', 'http://127.0.0.1:8080', 'a page of the Workfront UI'],
  ])('%s is read as %s', (url, environment, reason) => {
    const result = read({ ...BASE, url });
    expect(result.errors).toEqual([]);
    expect(result.config?.api.base).toBe(`${environment}/environment-promotion/api/v1`);
    expect(result.config?.url).toBe(environment);
    const warning = result.warnings.join('\n');
    expect(warning).toContain(`Input "url": `);
    expect(warning).toContain(reason);
    expect(warning).toContain(`the action uses ${environment}: set url to that`);
    expect(warning).not.toMatch(/tab=1|#x/);
  });
  it('keeps a path below the older API base on that revision', () => {
    const config = ok({ ...BASE, url: 'https://acme.my.workfront.com/environment-promotion/v1/packages' });
    expect(config.api).toMatchObject({
      base: 'https://acme.my.workfront.com/environment-promotion/v1',
      legacy: true,
    });
  });
  it('keeps a proxy prefix and an API base of its own, without a warning', () => {
    for (const [url, base] of [
      ['https://proxy.example.com/wf', 'https://proxy.example.com/wf/environment-promotion/api/v1'],
      ['https://proxy.example.com/wf/api/v1', 'https://proxy.example.com/wf/api/v1'],
    ]) {
      const result = read({ ...BASE, url });
      expect(result.config?.api.base).toBe(base);
      expect(result.warnings).toEqual([]);
    }
  });
  it('explains an experience.adobe.com address: where the tenant host is', () => {
    const message = errorsOf({
      ...BASE,
      url: 'https://experience.adobe.com/#/@acme/so:acme-Production/workfront/home',
    });
    expect(message).toMatch(
      /Input "url": https:\/\/experience.adobe.com is Adobe Experience Cloud's address/,
    );
    expect(message).toContain('https://{domain}.my.workfront.com');
    expect(message).toContain('Setup → System → Customer Info');
  });
  it('warns about a source copied from the browser too', () => {
    const result = read({
      ...BASE,
      operation: 'update',
      name: 'n',
      source: 'https://acme.preview.workfront.com/home',
    });
    expect(result.config?.operation === 'update' && result.config.source).toBe(
      'https://acme.preview.workfront.com',
    );
    expect(result.warnings.join()).toMatch(/Input "source": .* a page of the Workfront UI/);
  });
});

describe('credentials', () => {
  it.each([
    [{ 'api-key': 'abc' }, { kind: 'api-key', apiKey: 'abc' }],
    [{ 'session-id': 'sess' }, { kind: 'session-id', sessionId: 'sess' }],
    [{ 'bearer-token': 'Bearer tok' }, { kind: 'bearer-token', token: 'tok' }],
  ])('accepts %p', (credential, expected) => {
    expect(ok({ ...BASE, 'api-key': '', ...credential }).credential).toEqual(expected);
  });
  it('requires one', () => {
    expect(errorsOf({ ...BASE, 'api-key': '' })).toMatch(/A credential is required: one of "api-key"/);
  });
  it('refuses two at once without echoing them', () => {
    const message = errorsOf({ ...BASE, 'session-id': 'sess-value' });
    expect(message).toMatch(/exactly one credential form; found "api-key" and "session-id"/);
    expect(message).not.toMatch(/k3y|sess-value/);
    expect(errorsOf({ ...BASE, 'client-id': 'c', 'client-secret': 's', scopes: 'a' })).toMatch(
      /found "api-key" and "client-id\/client-secret"/,
    );
  });

  describe('OAuth2', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwt = {
      ...BASE,
      'api-key': '',
      'client-id': 'client',
      'client-secret': 'cl1ent-s3cret',
      'private-key': pem,
      'customer-id': 'cust',
      'user-id': 'user',
    };
    const ims = {
      ...BASE,
      'api-key': '',
      'client-id': 'client',
      'client-secret': 'cl1ent-s3cret',
      scopes: 'openid, AdobeID',
    };

    it('selects Workfront JWT with private-key, token URL from the url origin', () => {
      expect(ok(jwt).credential).toEqual({
        kind: 'workfront-jwt',
        clientId: 'client',
        clientSecret: 'cl1ent-s3cret',
        privateKey: pem.trim(),
        customerId: 'cust',
        userId: 'user',
        tokenUrl: 'https://acme.my.workfront.com/integrations/oauth2/api/v1/jwt/exchange',
      });
    });
    it('accepts a key pasted with literal \\n', () => {
      const config = ok({ ...jwt, 'private-key': pem.trim().replace(/\n/g, '\\n') });
      expect(config.credential.kind === 'workfront-jwt' && config.credential.privateKey).toBe(pem.trim());
    });
    it('selects Adobe IMS with scopes', () => {
      expect(ok(ims).credential).toEqual({
        kind: 'adobe-ims',
        clientId: 'client',
        clientSecret: 'cl1ent-s3cret',
        scopes: ['openid', 'AdobeID'],
        tokenUrl: 'https://ims-na1.adobelogin.com/ims/token/v3',
      });
    });
    it('refuses a user name or password in token-url, never echoing it', () => {
      for (const tokenUrl of [
        'https://client:p4ssw0rd@ims.example.com/token',
        'https://p4ssw0rd@ims.example.com/token',
      ]) {
        const message = errorsOf({ ...ims, 'token-url': tokenUrl });
        expect(message).toMatch(/Input "token-url": a user name or password in the URL is refused/);
        expect(message).not.toContain('p4ssw0rd');
      }
      expect(errorsOf({ ...ims, 'token-url': 'https://client:p4ss w0rd@ims' })).not.toContain('p4ss');
    });
    it('takes a loopback token-url over http, nothing else', () => {
      const config = ok({ ...ims, 'token-url': 'http://127.0.0.1:9/ims/token/v3' });
      expect(config.credential.kind === 'adobe-ims' && config.credential.tokenUrl).toBe(
        'http://127.0.0.1:9/ims/token/v3',
      );
      expect(errorsOf({ ...ims, 'token-url': 'http://ims.example.com/token' })).toMatch(
        /"token-url": http:\/\/ is refused/,
      );
    });
    it.each([
      [{ 'client-secret': '' }, /"client-secret" is required with "client-id"/],
      [{ 'client-id': '' }, /"client-id" is required with "client-secret"/],
      [{ 'customer-id': '' }, /"customer-id" is required for the Workfront JWT flow/],
      [{ 'user-id': '' }, /"user-id" is required for the Workfront JWT flow/],
      [{ 'private-key': 'not a key' }, /"private-key": it does not parse as a PEM private key/],
      [{ scopes: 'openid' }, /"private-key" and "scopes" select two flows/],
    ])('JWT flow refuses %p', (change, message) => {
      const errors = errorsOf({ ...jwt, ...change });
      expect(errors).toMatch(message);
      expect(errors).not.toContain('cl1ent-s3cret');
    });
    it('never echoes a bad private key', () => {
      const bad = '-----BEGIN PRIVATE KEY-----\nTOPSECRETMATERIAL\n-----END PRIVATE KEY-----';
      expect(errorsOf({ ...jwt, 'private-key': bad })).not.toContain('TOPSECRETMATERIAL');
    });
    it.each([
      [{ scopes: '' }, /"scopes" is required for Adobe IMS/],
      [
        { 'client-id': '', 'client-secret': '' },
        /need an OAuth2 client: set "client-id" and "client-secret"/,
      ],
      [{ 'customer-id': 'cust' }, /"customer-id" is used only by the Workfront JWT flow/],
    ])('IMS flow refuses %p', (change, message) => {
      expect(errorsOf({ ...ims, ...change })).toMatch(message);
    });
    it('refuses private-key without a client', () => {
      expect(
        errorsOf({ ...BASE, 'api-key': '', 'private-key': pem, 'customer-id': 'c', 'user-id': 'u' }),
      ).toMatch(/need an OAuth2 client/);
    });
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['45', 45_000],
    ['2.5', 2_500],
    ['1h 5m 3s', 3_903_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['soon', '-5m', '', '5 parsecs', '1h30', 'm'])('"%s" is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
  it('reads timeout and poll-interval with defaults', () => {
    const config = ok(BASE);
    expect(config.timeoutMs).toBe(30 * 60_000);
    expect(config.pollIntervalMs).toBe(10_000);
    expect(ok({ ...BASE, timeout: '1h30m', 'poll-interval': '2' })).toMatchObject({
      timeoutMs: 5_400_000,
      pollIntervalMs: 2000,
    });
  });
  it.each([
    [{ timeout: '6h' }, /"timeout": 6h is out of range; use between 1s and 5h59m/],
    [{ timeout: 'forever' }, /"timeout": "forever" is not a duration/],
    [{ 'poll-interval': '500ms' }, /"poll-interval": 500ms is out of range/],
    [{ 'poll-interval': '0' }, /"poll-interval": 0 is out of range/],
  ])('refuses %p', (change, message) => {
    expect(errorsOf({ ...BASE, ...change })).toMatch(message);
  });
});

describe('booleans', () => {
  it('reads every switch with its default', () => {
    expect(ok({ ...BASE, operation: 'install' })).toMatchObject({
      wait: true,
      failOnRecordFailure: true,
      skipIfInstalled: true,
      ignoreDependents: true,
      summary: true,
    });
    expect(
      ok({
        ...BASE,
        operation: 'install',
        wait: 'false',
        'fail-on-record-failure': 'False',
        'skip-if-installed': 'no',
        'ignore-dependents': 'FALSE',
        summary: 'off',
      }),
    ).toMatchObject({
      wait: false,
      failOnRecordFailure: false,
      skipIfInstalled: false,
      ignoreDependents: false,
      summary: false,
    });
  });
  it('names the input of a bad value', () => {
    expect(errorsOf({ ...BASE, wait: 'maybe' })).toMatch(
      /Input "wait": "maybe" is not a boolean; use true or false/,
    );
  });
});

describe('statuses', () => {
  it.each(['testing', 'TESTING', 'Testing'])('reads %s', (status) => {
    expect(ok({ ...BASE, operation: 'transition', status }).status).toBe('TESTING');
  });
  it('refuses system statuses and unknown words', () => {
    expect(errorsOf({ ...BASE, operation: 'transition', status: 'assembling' })).toMatch(
      /ASSEMBLING is set by the system only; use one of DRAFT, TESTING, ACTIVE, DISABLED/,
    );
    expect(errorsOf({ ...BASE, operation: 'transition', status: 'LIVE' })).toMatch(/"LIVE" is unknown/);
    expect(errorsOf({ ...BASE, operation: 'transition' })).toMatch(
      /"status" is required for operation transition/,
    );
  });
  it('list filters by any status', () => {
    expect(read({ ...BASE, operation: 'list', status: 'assembling' }).errors).toEqual([]);
  });
  it('reads expected-status as a comma list', () => {
    expect(
      ok({ ...BASE, operation: 'transition', status: 'ACTIVE', 'expected-status': 'testing, Draft' })
        .expectedStatus,
    ).toEqual(['TESTING', 'DRAFT']);
    expect(
      errorsOf({ ...BASE, operation: 'transition', status: 'ACTIVE', 'expected-status': 'TESTING,LIVE' }),
    ).toMatch(/"expected-status": "LIVE" is not a status/);
  });
  it('update refuses status and wants something to change', () => {
    expect(errorsOf({ ...BASE, operation: 'update', status: 'ACTIVE' })).toMatch(/use operation transition/);
    expect(errorsOf({ ...BASE, operation: 'update' })).toMatch(/update needs something to change/);
  });
});

describe('object collections', () => {
  const create = { ...BASE, operation: 'create', name: 'Release' };
  const expected = [
    { objCode: 'TMPL', entities: [{ ID: 'a1' }, { ID: 'b2', name: 'Onboarding' }] },
    { objCode: 'PTLTAB', entities: [{ ID: 'c3' }] },
  ];
  it.each([
    ['JSON array', JSON.stringify(expected)],
    ['JSON shorthand', JSON.stringify({ TMPL: ['a1', { ID: 'b2', name: 'Onboarding' }], PTLTAB: ['c3'] })],
    [
      'YAML array',
      '- objCode: TMPL\n  entities:\n    - ID: a1\n    - {ID: b2, name: Onboarding}\n- objCode: PTLTAB\n  entities: [{ID: c3}]\n',
    ],
    ['YAML shorthand', 'TMPL:\n  - a1\n  - ID: b2\n    name: Onboarding\nPTLTAB: [c3]\n'],
  ])('reads the %s form', (_form, text) => {
    expect(ok({ ...create, 'object-collections': text }).objectCollections).toEqual(expected);
    expect(
      ok({ ...create, 'object-collections-file': file('collections.yml', text) }).objectCollections,
    ).toEqual(expected);
  });
  it('is required for create, once', () => {
    expect(errorsOf(create)).toMatch(
      /"object-collections" \(or "object-collections-file"\) is required for operation create/,
    );
    expect(
      errorsOf({ ...create, 'object-collections': '{TMPL: [a]}', 'object-collections-file': 'x.yml' }),
    ).toMatch(/both set; give one of them/);
  });
  it.each([
    ['{TMPL: [a', /"object-collections": the value is not valid JSON or YAML at line 1/],
    ['"just text"', /expected a list \[\{objCode, entities\}\] or a map/],
    ['{tmpl: [a]}', /"tmpl" is not an objCode/],
    ['{TMPL: []}', /TMPL needs a non-empty list of entities/],
    ['{TMPL: [12345]}', /12345 is a number; quote the ID/],
    ['{TMPL: [{}]}', /ID must be a Workfront ID string/],
    ['[{objCode: TMPL}]', /TMPL needs a non-empty list/],
    ['[42]', /\[0\]: expected \{objCode, entities/],
    ['{TMPL: ["  "]}', /an empty text is neither an ID nor a name/],
    ['{}', /no objects to promote/],
  ])('refuses %s', (text, message) => {
    expect(errorsOf({ ...create, 'object-collections': text })).toMatch(message);
  });
  it('passes names on, unresolved, where an entry has no ID', () => {
    const text =
      'TMPL: [New Agency Onboarding, {name: Offboarding}, a1]\nGROUP: [{name: " Agency Services "}]';
    expect(ok({ ...create, 'object-collections': text }).objectCollections).toEqual([
      {
        objCode: 'TMPL',
        entities: [{ name: 'New Agency Onboarding' }, { name: 'Offboarding' }, { ID: 'a1' }],
      },
      { objCode: 'GROUP', entities: [{ name: 'Agency Services' }] },
    ]);
  });
  it('warns about objCodes outside the documented list', () => {
    const result = read({ ...create, 'object-collections': '{NEWCODE: [a]}' });
    expect(result.errors).toEqual([]);
    expect(result.warnings.join()).toMatch(/NEWCODE is not in the documented list/);
  });
  it.each([
    ['missing', () => join(dir, 'nope.yml'), /does not exist/],
    ['empty', () => file('empty.yml', '  \n'), /is empty/],
    ['binary', () => file('bin.yml', Buffer.from([0x7b, 0x00, 0x01])), /is binary/],
    ['too big', () => file('big.yml', Buffer.alloc(17 * 1024 * 1024, 0x61)), /more than the \d+ allowed/],
  ])('refuses a %s file', (_kind, path, message) => {
    expect(errorsOf({ ...create, 'object-collections-file': path() })).toMatch(message);
  });
});

describe('map file', () => {
  const install = { ...BASE, operation: 'install' };
  it('reads JSON and YAML overrides', () => {
    const yaml =
      '# yaml-language-server: $schema=x\nGROUP:\n  g1: {action: useexisting, targetId: t1}\n  g2: IGNORE\n';
    expect(ok({ ...install, 'map-file': file('map.yml', yaml) }).overrides).toEqual({
      GROUP: { g1: { action: 'USEEXISTING', targetId: 't1' }, g2: { action: 'IGNORE' } },
    });
    const json = JSON.stringify({
      $schema: 'x',
      TMPL: { t1: { action: 'OVERWRITING', targetId: 'x1', name: 'T' } },
    });
    expect(ok({ ...install, 'map-file': file('map.json', json) }).overrides).toEqual({
      TMPL: { t1: { action: 'OVERWRITING', targetId: 'x1' } },
    });
  });
  it('lists every bad entry at once', () => {
    const bad =
      'GROUP:\n  g1: {action: UPDATE}\n  g2: {targetId: x}\n  g3: {action: CREATE, targetId: 5}\nlower: {}\nTMPL: []\n';
    const errors = errorsOf({ ...install, 'map-file': file('bad.yml', bad) });
    expect(errors).toMatch(
      /GROUP.g1: action "UPDATE" is unknown; use one of CREATE, USEEXISTING, IGNORE, OVERWRITING, CREATEWITHALTNAME \(there is no UPDATE\)/,
    );
    expect(errors).toMatch(/GROUP.g2: action is required/);
    expect(errors).toMatch(/GROUP.g3: targetId must be text/);
    expect(errors).toMatch(/"lower" is not an objCode/);
    expect(errors).toMatch(/TMPL must map source ids/);
  });
  it('refuses broken YAML with a line', () => {
    expect(
      errorsOf({ ...install, 'map-file': file('broken.yml', 'GROUP:\n  g1: IGNORE\n g2: [\n') }),
    ).toMatch(/not valid JSON or YAML at line 3/);
  });
});

describe('JSON and YAML documents', () => {
  const install = { ...BASE, operation: 'install' };
  const create = { ...BASE, operation: 'create', name: 'Release' };

  it('keeps a YAML key as written: an id that reads like a number stays that id', () => {
    expect(
      parseStructured('TMPL:\n  863345325853e20: IGNORE\n  0x10: IGNORE\n  12345: CREATE\n', 'map-file'),
    ).toEqual({
      TMPL: { '863345325853e20': 'IGNORE', '0x10': 'IGNORE', '12345': 'CREATE' },
    });
  });

  it.each([
    ['YAML, in a record', 'GROUP:\n  g1: IGNORE\n  g1: CREATE\n', /duplicate key "g1" at line 3, column 3/],
    [
      'YAML, at the top',
      'GROUP:\n  g1: IGNORE\nROLE:\n  r1: IGNORE\nGROUP:\n  g2: CREATE\n',
      /duplicate key "GROUP" at line 5/,
    ],
    ['YAML, 1 and "1" (one key once read)', 'TMPL:\n  1: IGNORE\n  "1": CREATE\n', /duplicate key "1"/],
    [
      'JSON, in a record',
      '{"GROUP": {"g1": "IGNORE", "g2": "IGNORE", "g1": "CREATE"}}',
      /duplicate key "g1" at line 1/,
    ],
    [
      'JSON, at the top',
      '{\n "GROUP": {"g1": "IGNORE"},\n "GROUP": {"g2": "CREATE"}\n}',
      /duplicate key "GROUP" at line 3/,
    ],
    ['JSON, spelt with an escape', '{"GROUP": {"g1": "IGNORE", "\\u00671": "CREATE"}}', /duplicate key "g1"/],
    [
      'JSON, inside an override',
      '{"GROUP": {"g1": {"action": "IGNORE", "action": "CREATE"}}}',
      /duplicate key "action"/,
    ],
  ])('a map file with a duplicate key is refused: %s', (_name, text, message) => {
    expect(errorsOf({ ...install, 'map-file': file('dup-map', text) })).toMatch(message);
  });

  it.each([
    ['inline JSON', '[{"objCode": "TMPL", "entities": [{"ID": "a1", "ID": "b2"}]}]'],
    ['inline YAML', 'TMPL: [a1]\nPTLTAB: [c3]\nTMPL: [b2]'],
  ])('object collections with a duplicate key are refused: %s', (_name, text) => {
    expect(errorsOf({ ...create, 'object-collections': text })).toMatch(
      /Input "object-collections": the value has a duplicate key "(ID|TMPL)"/,
    );
    expect(errorsOf({ ...create, 'object-collections-file': file('dup-collections', text) })).toMatch(
      /Input "object-collections-file": file .* has a duplicate key/,
    );
  });

  it('keeps equal keys in different mappings apart', () => {
    const text = '{"GROUP": {"g1": {"action": "IGNORE"}}, "ROLE": {"g1": {"action": "IGNORE"}}}';
    expect(ok({ ...install, 'map-file': file('apart.json', text) }).overrides).toEqual({
      GROUP: { g1: { action: 'IGNORE' } },
      ROLE: { g1: { action: 'IGNORE' } },
    });
  });

  // The bounds a hostile file meets: refused within 2 s (ACTION.md), whatever it holds.
  it.each([
    ['4 MB of [', () => '['.repeat(4 * 1024 * 1024), /nests deeper than 64 levels at line 1/],
    ['4 MB of {', () => '{'.repeat(4 * 1024 * 1024), /nests deeper than 64 levels/],
    [
      'YAML block nesting',
      () => Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
      /nests deeper than 64 levels at line 64/,
    ],
    [
      'YAML block nesting between comment lines',
      () => Array.from({ length: 1000 }, (_, i) => `# level ${i}\n${' '.repeat(i)}k:`).join('\n'),
      /nests deeper than 64 levels at line 128/,
    ],
    [
      'YAML nested sequences on one line',
      () => `${'- '.repeat(30_000)}a`,
      /nests deeper than 64 levels at line 1/,
    ],
    ['YAML flow nesting after a key', () => `TMPL: ${'['.repeat(100_000)}`, /nests deeper than 64 levels/],
    ['1 MB of YAML tokens', () => `TMPL: [${'a,'.repeat(500_000)}a]`, /more than 20000 YAML tokens/],
    [
      'YAML larger than 1 MiB',
      () => `TMPL:\n${'  - a\n'.repeat(200_000)}`,
      /characters of YAML, more than the 1048576 allowed; a larger document can be given as JSON/,
    ],
    [
      'an alias bomb',
      () =>
        [
          'a: &a [x, x, x, x, x, x, x, x, x, x]',
          ...'bcdefghij'
            .split('')
            .map((n, i) => `${n}: &${n} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
        ].join('\n'),
      /alias/i,
    ],
  ])('refuses %s quickly', (_name, make, message) => {
    const path = file('hostile', make());
    const started = process.hrtime.bigint();
    const errors = errorsOf({ ...install, 'map-file': path });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(errors).toMatch(message);
    expect(ms).toBeLessThan(2000);
  });

  it('reads a large JSON map file (the translation map of 20,000 records)', () => {
    const records = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, i) => [
        `s${i}`,
        { name: `Template ${i}`, action: 'USEEXISTING', targetId: `t${i}` },
      ]),
    );
    const config = ok({ ...install, 'map-file': file('big.json', JSON.stringify({ TMPL: records })) });
    expect(Object.keys((config.operation === 'install' && config.overrides?.TMPL) || {})).toHaveLength(
      20_000,
    );
  });
});

describe('other inputs', () => {
  it('reads install guards', () => {
    const config = ok({
      ...BASE,
      operation: 'install',
      'deny-actions': 'overwriting, CreateWithAltName',
      'expected-plan': 'ABCDEF0123456789',
    });
    expect(config.denyActions).toEqual(['OVERWRITING', 'CREATEWITHALTNAME']);
    expect(config.expectedPlan).toBe('abcdef0123456789');
    expect(errorsOf({ ...BASE, operation: 'install', 'deny-actions': 'DELETE' })).toMatch(
      /"deny-actions": "DELETE" is not a translation-map action/,
    );
    expect(errorsOf({ ...BASE, operation: 'install', 'expected-plan': 'nope' })).toMatch(
      /"expected-plan": not a plan-hash/,
    );
  });
  it('reads environment-kind, auto from the host', () => {
    expect(ok(BASE)).toMatchObject({ environmentKind: 'production', environmentKindSource: 'host' });
    expect(ok({ ...BASE, 'environment-kind': 'Sandbox' })).toMatchObject({
      environmentKind: 'sandbox',
      environmentKindSource: 'input',
    });
    expect(errorsOf({ ...BASE, 'environment-kind': 'staging' })).toMatch(
      /"environment-kind": "staging" is unknown/,
    );
  });
  it.each([
    ['acme.my.workfront.com', 'production'],
    ['acme.my.workfront.adobe.com', 'production'],
    ['acme.preview.workfront.com', 'sandbox'],
    ['acme.sb01.workfront.com', 'sandbox'],
    ['ACME.SB12.WORKFRONT.COM:443', 'sandbox'],
    ['acme.workfront.com', 'unknown'],
    ['127.0.0.1', 'unknown'],
    ['my.example.com', 'unknown'],
  ])('host %s is %s', (host, kind) => {
    expect(detectEnvironmentKind(host)).toBe(kind);
  });
  it('delete needs confirm-delete equal to package-id', () => {
    expect(errorsOf({ ...BASE, operation: 'delete' })).toMatch(/"confirm-delete" must equal "package-id"/);
    expect(errorsOf({ ...BASE, operation: 'delete', 'confirm-delete': 'other' })).toMatch(
      /consider status DISABLED/,
    );
    expect(ok({ ...BASE, operation: 'delete', 'confirm-delete': 'pkg-1' }).confirmDelete).toBe('pkg-1');
  });
  it('replace reads and checks the definition file before sending', () => {
    const body = {
      name: 'x',
      description: null,
      source: 'https://acme.preview.workfront.com',
      status: 'DRAFT',
      version: 1,
      packageEntities: { TMPL: [{ id: 'a' }] },
    };
    expect(
      ok({ ...BASE, operation: 'replace', 'definition-file': file('def.json', JSON.stringify(body)) })
        .replaceBody,
    ).toEqual(body);
    expect(errorsOf({ ...BASE, operation: 'replace' })).toMatch(
      /"definition-file" is required for operation replace/,
    );
    expect(errorsOf({ ...BASE, operation: 'replace', 'definition-file': file('list.json', '[1]') })).toMatch(
      /must hold a package object/,
    );
    expect(
      errorsOf({
        ...BASE,
        operation: 'replace',
        'definition-file': file('part.json', '{"name": "x", "version": 2}'),
      }),
    ).toMatch(
      /PUT replaces the whole package, and file .* lacks description, source, status, packageEntities/,
    );
  });
  it('refuses ids that are not ids and overlong names', () => {
    expect(errorsOf({ ...BASE, 'package-id': '../etc' })).toMatch(/"package-id": "..\/etc" is not an id/);
    expect(
      errorsOf({ ...BASE, operation: 'create', name: 'x'.repeat(256), 'object-collections': '{TMPL: [a]}' }),
    ).toMatch(/"name": 256 characters/);
  });
});

describe('inputs an operation does not use, or not together', () => {
  const mapPath = () => file('used-map.yml', 'GROUP:\n  g1: IGNORE\n');
  it('installation-id with map-file is an error on install and prepare', () => {
    for (const operation of ['install', 'prepare']) {
      expect(errorsOf({ ...BASE, operation, 'installation-id': 'i-1', 'map-file': mapPath() })).toMatch(
        /Inputs "installation-id" and "map-file" are both set: that pre-run is (installed|planned) as it is, without the map file's overrides; drop one/,
      );
    }
    expect(ok({ ...BASE, operation: 'install', 'installation-id': 'i-1' }).installationId).toBe('i-1');
  });
  it('prepare uses installation-id and expected-plan: no warning says otherwise', () => {
    const result = read({
      ...BASE,
      operation: 'prepare',
      'installation-id': 'i-1',
      'expected-plan': 'abcdef0123456789',
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config).toMatchObject({ installationId: 'i-1', expectedPlan: 'abcdef0123456789' });
  });
  it('status on update is an error, not also a warning', () => {
    const result = read({ ...BASE, operation: 'update', name: 'n', status: 'ACTIVE' });
    expect(result.errors.join()).toMatch(/Input "status" is not changed by update/);
    expect(result.warnings.join()).not.toMatch(/"status"/);
  });
  it('an unused map file or collections file is not read at all', () => {
    const missing = join(dir, 'no-such-file.yml');
    const broken = file('broken-unused.yml', '{[');
    const result = read({
      ...BASE,
      operation: 'get',
      'map-file': missing,
      'object-collections-file': broken,
    });
    expect(result.errors).toEqual([]);
    expect(result.config).not.toHaveProperty('mapFile');
    expect(result.config).not.toHaveProperty('overrides');
    expect(result.warnings).toEqual([
      'Input "object-collections-file" is not used by operation get; it is not read',
      'Input "map-file" is not used by operation get; it is not read',
    ]);
    expect(read({ ...BASE, operation: 'list', 'object-collections': '{[' }).errors).toEqual([]);
  });
});

describe('several errors at once', () => {
  it('reports every bad input together', () => {
    const result = read({
      operation: 'transition',
      url: 'http://acme.my.workfront.com',
      timeout: 'soon',
      wait: 'maybe',
      status: 'LIVE',
    });
    expect(result.config).toBeUndefined();
    const joined = result.errors.join('\n');
    for (const name of ['url', 'timeout', 'wait', 'status', 'package-id'])
      expect(joined).toContain(`"${name}"`);
    expect(joined).toMatch(/A credential is required/);
    expect(result.errors.length).toBeGreaterThanOrEqual(6);
  });
});

describe('the published schemas', () => {
  it('name the input, the place in the document and the schema', async () => {
    const { schemaErrors } = await import('../src/schemas.js');
    expect(schemaErrors('map-file', { GROUP: { g1: { action: 'UPDATE' } } }, 'Input "map-file"')).toEqual([
      expect.stringMatching(/^Input "map-file": \/GROUP\/g1\/action .*\(schemas\/map-file\.schema\.json\)$/),
    ]);
    expect(schemaErrors('object-collections', { TMPL: ['a1'] }, 'x')).toEqual([]);
  });
});

describe('pull-request comment', () => {
  it('pr-comment is auto by default, off on request, in any case', () => {
    expect(ok(BASE).prComment).toBe('auto');
    expect(ok({ ...BASE, 'pr-comment': 'OFF' }).prComment).toBe('off');
  });
  it('refuses any other pr-comment', () => {
    expect(errorsOf({ ...BASE, 'pr-comment': 'always' })).toBe(
      'Input "pr-comment": "always" is unknown; use auto or off',
    );
  });
  it('github-token is optional; the unexpanded default of a local run is no token', () => {
    expect(ok(BASE).githubToken).toBeUndefined();
    expect(ok({ ...BASE, 'github-token': ' ghs_abc ' }).githubToken).toBe('ghs_abc');
    expect(ok({ ...BASE, 'github-token': '${{ github.token }}' }).githubToken).toBeUndefined();
  });
});

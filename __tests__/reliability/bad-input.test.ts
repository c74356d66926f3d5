// The bad-input corpus: every case exits 1 with a message naming the input, and the simulator receives no
// request at all (input errors are reported before the first request).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { runAction, type ActionRun } from '../e2e/harness.js';
import { changingRequests, COLLECTIONS, pool, type Inputs } from './helpers.js';
import { scratchDir } from '../scratch.js';
import { readInputs } from '../../src/inputs.js';

const dir = scratchDir('bad-input');
const TEMPLATE = SEED.preview.newAgencyOnboardingTemplate;

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A file of `bytes` bytes without writing them (sparse): the size check comes before any read. */
function hugeFile(name: string, bytes: number): string {
  const path = file(name, '');
  truncateSync(path, bytes);
  return path;
}

const BINARY = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe,
]);
/** Billion laughs: ten levels of ten aliases each. */
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  ...'bcdefghij'
    .split('')
    .map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
].join('\n');

interface Case {
  name: string;
  /** Operation and inputs on top of a valid base (url, api-key). */
  inputs: Inputs;
  /** The input the message must name (quoted), or the words naming it. */
  names: string;
}

const install = (extra: Inputs): Inputs => ({ operation: 'install', 'package-id': 'pkg-1', ...extra });
const create = (extra: Inputs): Inputs => ({
  operation: 'create',
  name: 'Bad input',
  'object-collections': COLLECTIONS,
  ...extra,
});
const collections = (value: string): Inputs => create({ 'object-collections': value });
const collectionsFile = (path: string): Inputs =>
  create({ 'object-collections': '', 'object-collections-file': path });
const mapFile = (path: string): Inputs => install({ 'map-file': path });

function cases(): Case[] {
  mkdirSync(join(dir, 'a-directory'), { recursive: true });
  const list: Case[] = [
    // operation and url
    { name: 'operation missing', inputs: { 'package-id': 'p' }, names: 'operation' },
    { name: 'operation unknown', inputs: { operation: 'deploy' }, names: 'operation' },
    { name: 'url missing', inputs: install({ url: '' }), names: 'url' },
    { name: 'url not a URL', inputs: install({ url: 'acme workfront' }), names: 'url' },
    {
      name: 'url http:// to a remote host',
      inputs: install({ url: 'http://acme.my.workfront.com' }),
      names: 'url',
    },
    { name: 'url ftp://', inputs: install({ url: 'ftp://acme.my.workfront.com' }), names: 'url' },
    {
      name: 'url with credentials',
      inputs: install({ url: 'https://u:p@acme.my.workfront.com' }),
      names: 'url',
    },
    {
      name: 'url with a query',
      inputs: install({ url: 'https://acme.my.workfront.com/?x=1' }),
      names: 'url',
    },
    // ids and statuses
    { name: 'package-id missing', inputs: install({ 'package-id': '' }), names: 'package-id' },
    {
      name: 'package-id path traversal',
      inputs: install({ 'package-id': '../../etc/passwd' }),
      names: 'package-id',
    },
    { name: 'package-id too long', inputs: install({ 'package-id': 'a'.repeat(65) }), names: 'package-id' },
    {
      name: 'package-id with a newline',
      inputs: install({ 'package-id': 'abc\n::set-output name=x::y' }),
      names: 'package-id',
    },
    {
      name: 'installation-id invalid',
      inputs: install({ 'installation-id': 'in stallation' }),
      names: 'installation-id',
    },
    {
      name: 'installation-id missing for installation',
      inputs: { operation: 'installation' },
      names: 'installation-id',
    },
    {
      name: 'status unknown',
      inputs: { operation: 'transition', 'package-id': 'p', status: 'LIVE' },
      names: 'status',
    },
    { name: 'status missing', inputs: { operation: 'transition', 'package-id': 'p' }, names: 'status' },
    {
      name: 'status set only by the system',
      inputs: { operation: 'transition', 'package-id': 'p', status: 'ASSEMBLING' },
      names: 'status',
    },
    {
      name: 'status on update',
      inputs: { operation: 'update', 'package-id': 'p', status: 'ACTIVE' },
      names: 'status',
    },
    {
      name: 'expected-status unknown',
      inputs: install({ 'expected-status': 'TESTING,FOO' }),
      names: 'expected-status',
    },
    { name: 'name missing for create', inputs: create({ name: '' }), names: 'name' },
    { name: 'name too long', inputs: create({ name: 'n'.repeat(256) }), names: 'name' },
    {
      name: 'source ftp://',
      inputs: create({ source: 'ftp://acme.preview.workfront.com' }),
      names: 'source',
    },
    {
      name: 'update with nothing to change',
      inputs: { operation: 'update', 'package-id': 'p' },
      names: 'name, description or object-collections',
    },
    // durations and booleans
    { name: 'timeout not a duration', inputs: install({ timeout: 'soon' }), names: 'timeout' },
    { name: 'timeout zero', inputs: install({ timeout: '0' }), names: 'timeout' },
    { name: 'timeout past 6 h', inputs: install({ timeout: '7h' }), names: 'timeout' },
    { name: 'timeout negative', inputs: install({ timeout: '-5m' }), names: 'timeout' },
    { name: 'poll-interval zero', inputs: install({ 'poll-interval': '0' }), names: 'poll-interval' },
    {
      name: 'poll-interval below 1 s',
      inputs: install({ 'poll-interval': '500ms' }),
      names: 'poll-interval',
    },
    { name: 'wait not a boolean', inputs: install({ wait: 'maybe' }), names: 'wait' },
    {
      name: 'fail-on-record-failure not a boolean',
      inputs: install({ 'fail-on-record-failure': 'yes please' }),
      names: 'fail-on-record-failure',
    },
    {
      name: 'skip-if-installed not a boolean',
      inputs: install({ 'skip-if-installed': '2' }),
      names: 'skip-if-installed',
    },
    { name: 'summary not a boolean', inputs: install({ summary: 'nope' }), names: 'summary' },
    {
      name: 'environment-kind unknown',
      inputs: install({ 'environment-kind': 'staging' }),
      names: 'environment-kind',
    },
    {
      name: 'deny-actions unknown',
      inputs: install({ 'deny-actions': 'OVERWRITING,DELETE' }),
      names: 'deny-actions',
    },
    {
      name: 'expected-plan not a hash',
      inputs: install({ 'expected-plan': 'approved' }),
      names: 'expected-plan',
    },
    {
      name: 'confirm-delete not the package',
      inputs: { operation: 'delete', 'package-id': 'p', 'confirm-delete': 'q' },
      names: 'confirm-delete',
    },
    // credentials
    { name: 'no credential', inputs: install({ 'api-key': '' }), names: 'api-key' },
    {
      name: 'two credentials',
      inputs: install({ 'session-id': 'another-session-value' }),
      names: 'session-id',
    },
    { name: 'api-key with whitespace', inputs: install({ 'api-key': 'abc def' }), names: 'api-key' },
    {
      name: 'client-id without client-secret',
      inputs: install({ 'api-key': '', 'client-id': 'cid', scopes: 'openid' }),
      names: 'client-secret',
    },
    {
      name: 'private-key not a PEM',
      inputs: install({
        'api-key': '',
        'client-id': 'cid',
        'client-secret': 'csecret-value',
        'private-key': 'not-a-key-at-all',
        'customer-id': 'c',
        'user-id': 'u',
      }),
      names: 'private-key',
    },
    {
      name: 'JWT flow without customer-id',
      inputs: install({
        'api-key': '',
        'client-id': 'cid',
        'client-secret': 'csecret-value',
        'private-key': 'not-a-key-at-all',
        'user-id': 'u',
      }),
      names: 'customer-id',
    },
    {
      name: 'IMS without scopes',
      inputs: install({ 'api-key': '', 'client-id': 'cid', 'client-secret': 'csecret-value' }),
      names: 'scopes',
    },
    {
      name: 'token-url http:// to a remote host',
      inputs: install({
        'api-key': '',
        'client-id': 'cid',
        'client-secret': 'csecret-value',
        scopes: 'openid',
        'token-url': 'http://ims.example.com/ims/token/v3',
      }),
      names: 'token-url',
    },
    {
      name: 'token-url with a user name and password',
      inputs: install({
        'api-key': '',
        'client-id': 'cid',
        'client-secret': 'csecret-value',
        scopes: 'openid',
        'token-url': 'https://cid:Pa55-in-the-url@ims.example.com/ims/token/v3',
      }),
      names: 'token-url',
    },
    {
      name: 'url of Adobe Experience Cloud',
      inputs: install({ url: 'https://experience.adobe.com/#/@acme/so:acme-Production/workfront/home' }),
      names: 'url',
    },
    // object collections, inline
    {
      name: 'collections malformed JSON',
      inputs: collections('[{"objCode": "TMPL"'),
      names: 'object-collections',
    },
    {
      name: 'collections malformed YAML',
      inputs: collections('TMPL: [a, b\nPTLTAB: ]'),
      names: 'object-collections',
    },
    { name: 'collections a number', inputs: collections('42'), names: 'object-collections' },
    { name: 'collections a string', inputs: collections('hello'), names: 'object-collections' },
    { name: 'collections empty list', inputs: collections('[]'), names: 'object-collections' },
    {
      name: 'collections lower-case objCode',
      inputs: collections(`{tmpl: [${TEMPLATE}]}`),
      names: 'object-collections',
    },
    { name: 'collections numeric id', inputs: collections('{TMPL: [123]}'), names: 'object-collections' },
    {
      name: 'collections blank entry (neither an id nor a name)',
      inputs: collections('{TMPL: ["  "]}'),
      names: 'object-collections',
    },
    {
      name: 'collections inline JSON with a duplicate key',
      inputs: collections(`[{"objCode": "TMPL", "entities": [{"ID": "${TEMPLATE}", "ID": "other"}]}]`),
      names: 'object-collections',
    },
    {
      name: 'collections entity with unknown field',
      inputs: collections(`{TMPL: [{ID: ${TEMPLATE}, owner: me}]}`),
      names: 'object-collections',
    },
    {
      name: 'collections array item without entities',
      inputs: collections('[{"objCode": "TMPL"}]'),
      names: 'object-collections',
    },
    {
      name: 'collections inline and file both',
      inputs: create({ 'object-collections-file': file('both.yml', `TMPL: [${TEMPLATE}]`) }),
      names: 'object-collections-file',
    },
    // object collections, files
    {
      name: 'collections file missing',
      inputs: collectionsFile(join(dir, 'nope.yml')),
      names: 'object-collections-file',
    },
    {
      name: 'collections file empty',
      inputs: collectionsFile(file('empty.yml', '')),
      names: 'object-collections-file',
    },
    {
      name: 'collections file blank',
      inputs: collectionsFile(file('blank.yml', '\n  \n\t\n')),
      names: 'object-collections-file',
    },
    {
      name: 'collections file binary',
      inputs: collectionsFile(file('binary.yml', BINARY)),
      names: 'object-collections-file',
    },
    {
      name: 'collections file huge',
      inputs: collectionsFile(hugeFile('huge.yml', 17 * 1024 * 1024)),
      names: 'object-collections-file',
    },
    {
      name: 'collections file a directory',
      inputs: collectionsFile(join(dir, 'a-directory')),
      names: 'object-collections-file',
    },
    {
      name: 'collections file malformed JSON',
      inputs: collectionsFile(file('bad.json', '{"TMPL": ["a",]')),
      names: 'object-collections-file',
    },
    {
      name: 'collections file duplicate keys',
      inputs: collectionsFile(file('dup.yml', `TMPL: [${TEMPLATE}]\nTMPL: [${TEMPLATE}]\n`)),
      names: 'object-collections-file',
    },
    {
      name: 'collections file JSON with a duplicate objCode',
      inputs: collectionsFile(
        file('dup.json', `{"TMPL": ["${TEMPLATE}"], "PTLTAB": ["p1"], "TMPL": ["t2"]}`),
      ),
      names: 'object-collections-file',
    },
    {
      name: 'collections file 4 MB of [',
      inputs: collectionsFile(file('brackets.json', '['.repeat(4 * 1024 * 1024))),
      names: 'object-collections-file',
    },
    {
      name: 'collections file alias bomb',
      inputs: collectionsFile(file('bomb.yml', ALIAS_BOMB)),
      names: 'object-collections-file',
    },
    // map files
    { name: 'map-file missing', inputs: mapFile(join(dir, 'missing-map.yml')), names: 'map-file' },
    { name: 'map-file empty', inputs: mapFile(file('empty-map.yml', '')), names: 'map-file' },
    { name: 'map-file binary', inputs: mapFile(file('binary-map.yml', BINARY)), names: 'map-file' },
    { name: 'map-file huge', inputs: mapFile(hugeFile('huge-map.yml', 20 * 1024 * 1024)), names: 'map-file' },
    {
      name: 'map-file malformed YAML',
      inputs: mapFile(file('bad-map.yml', 'TMPL:\n  - a\n b: [')),
      names: 'map-file',
    },
    {
      name: 'map-file a list',
      inputs: mapFile(file('list-map.yml', '- TMPL\n- PTLTAB\n')),
      names: 'map-file',
    },
    { name: 'map-file no overrides', inputs: mapFile(file('none-map.yml', '{}')), names: 'map-file' },
    {
      name: 'map-file JSON with a duplicate source id',
      inputs: mapFile(
        file('dup-map.json', `{"TMPL": {"${TEMPLATE}": "IGNORE", "x": "CREATE", "${TEMPLATE}": "CREATE"}}`),
      ),
      names: 'map-file',
    },
    {
      name: 'map-file YAML with a duplicate objCode',
      inputs: mapFile(file('dup-map.yml', `TMPL:\n  ${TEMPLATE}: IGNORE\nTMPL:\n  ${TEMPLATE}: CREATE\n`)),
      names: 'map-file',
    },
    {
      name: 'map-file 4 MB of [',
      inputs: mapFile(file('brackets-map.json', '['.repeat(4 * 1024 * 1024))),
      names: 'map-file',
    },
    {
      name: 'map-file YAML nested past the limit',
      inputs: mapFile(file('deep-map.yml', `TMPL: ${'['.repeat(100_000)}`)),
      names: 'map-file',
    },
    {
      name: 'map-file YAML past the token budget',
      inputs: mapFile(file('tokens-map.yml', `TMPL: [${'a,'.repeat(400_000)}a]`)),
      names: 'map-file',
    },
    {
      name: 'map-file with installation-id on install',
      inputs: install({
        'installation-id': 'prerun-1',
        'map-file': file('with-prerun.yml', `TMPL:\n  ${TEMPLATE}: IGNORE\n`),
      }),
      names: 'map-file',
    },
    {
      name: 'map-file unknown action',
      inputs: mapFile(file('action-map.yml', `TMPL:\n  ${TEMPLATE}: {action: DESTROY}\n`)),
      names: 'map-file',
    },
    {
      name: 'map-file lower-case objCode',
      inputs: mapFile(file('objcode-map.yml', `tmpl:\n  ${TEMPLATE}: {action: IGNORE}\n`)),
      names: 'map-file',
    },
    {
      name: 'map-file override not a mapping',
      inputs: mapFile(file('scalar-map.yml', `TMPL:\n  ${TEMPLATE}: IGNORE-ME-PLEASE\n`)),
      names: 'map-file',
    },
    // definition files
    {
      name: 'definition-file missing for replace',
      inputs: { operation: 'replace', 'package-id': 'p' },
      names: 'definition-file',
    },
    {
      name: 'definition-file a list',
      inputs: { operation: 'replace', 'package-id': 'p', 'definition-file': file('def-list.json', '[1, 2]') },
      names: 'definition-file',
    },
    {
      name: 'definition-file malformed',
      inputs: {
        operation: 'replace',
        'package-id': 'p',
        'definition-file': file('def-bad.json', '{"name": '),
      },
      names: 'definition-file',
    },
    {
      name: 'definition-file does not exist',
      inputs: { operation: 'replace', 'package-id': 'p', 'definition-file': join(dir, 'def-missing.json') },
      names: 'definition-file',
    },
  ];
  return list;
}

function errorLine(run: ActionRun): string {
  return run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
}

describe('bad-input corpus (bundled action)', () => {
  let sim: Simulator;
  const CASES = cases();
  const runs = new Map<string, ActionRun>();

  beforeAll(async () => {
    sim = await startSimulator();
    const started = Date.now();
    const base = { url: sim.environments.sandbox.url, 'api-key': sim.credentials.apiKey };
    const done = await pool(CASES, 8, (c) => runAction({ ...base, ...c.inputs }));
    CASES.forEach((c, i) => runs.set(c.name, done[i]));
    const slowest = CASES.map((c, i) => `${c.name} ${done[i].elapsedMs} ms`)
      .sort((a, b) => Number(b.split(' ').at(-2)) - Number(a.split(' ').at(-2)))
      .slice(0, 3);
    console.log(
      `bad-input corpus: ${CASES.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, slowest ${slowest.join(', ')}, simulator requests ${sim.log.length}`,
    );
  }, 120_000);

  afterAll(async () => sim.stop());

  it(`holds at least 60 cases`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it('sends no request at all', () => {
    expect(sim.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
    expect(changingRequests(sim)).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const run = runs.get(name)!;
    const error = errorLine(run);
    expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 1, outcome: 'failed' });
    expect(error).toMatch(/^::error::\d+ input errors?, nothing was sent to Workfront/);
    expect(error).toContain(c.names.includes(' ') ? c.names : `"${c.names}"`);
    expect(run.summary).toContain('nothing was sent to Workfront');
  });

  it('never shows a password given in a URL', () => {
    const run = runs.get('token-url with a user name and password')!;
    expect(`${run.stdout}${run.stderr}${run.summary}${JSON.stringify(run.outputs)}`).not.toContain(
      'Pa55-in-the-url',
    );
  });

  it('says where the tenant host is for an Experience Cloud address', () => {
    expect(errorLine(runs.get('url of Adobe Experience Cloud')!)).toMatch(
      /https:\/\/\{domain\}\.my\.workfront\.com.*Setup → System → Customer Info/,
    );
  });

  it('refuses hostile and duplicate-key documents for what they are', () => {
    const messages = Object.fromEntries(
      [
        [
          'map-file JSON with a duplicate source id',
          /has a duplicate key "6419b8b9001151ee258921a4f7597bb2" at line 1/,
        ],
        ['map-file YAML with a duplicate objCode', /has a duplicate key "TMPL" at line 3/],
        ['collections file JSON with a duplicate objCode', /has a duplicate key "TMPL"/],
        ['map-file 4 MB of [', /nests deeper than 64 levels/],
        ['collections file 4 MB of [', /nests deeper than 64 levels/],
        ['map-file YAML nested past the limit', /nests deeper than 64 levels/],
        ['map-file YAML past the token budget', /more than 20000 YAML tokens/],
        [
          'map-file with installation-id on install',
          /that pre-run is installed as it is, without the map file's overrides; drop one/,
        ],
      ].map(([name, message]) => [name as string, message as RegExp]),
    );
    for (const [name, message] of Object.entries(messages))
      expect(errorLine(runs.get(name)!)).toMatch(message);
  });
});

describe('map-file overrides the translation map refutes: nothing is installed', () => {
  const MAP_CASES: Array<[string, string]> = [
    ['unknown objCode', `ZZZZ:\n  ${TEMPLATE}: {action: IGNORE}\n`],
    ['unknown source id', 'TMPL:\n  0000000000000000000000000000dead: {action: IGNORE}\n'],
    ['USEEXISTING without a targetId the map can supply', `TMPL:\n  ${TEMPLATE}: {action: USEEXISTING}\n`],
    [
      'several bad entries at once',
      `ZZZZ:\n  abc: {action: IGNORE}\nTMPL:\n  0000000000000000000000000000dead: {action: CREATE}\n`,
    ],
  ];

  it.each(MAP_CASES)('%s', async (_name, content) => {
    const sim = await startSimulator({ assemblyMs: 50, installMs: 50 });
    try {
      const pkg = sim.control.makePackage({ objectCollections: JSON.parse(COLLECTIONS), status: 'TESTING' });
      const run = await runAction({
        operation: 'install',
        url: sim.environments.sandbox.url,
        'api-key': sim.credentials.apiKey,
        'environment-kind': 'sandbox',
        'package-id': pkg.id,
        'map-file': file(`refuted-${pkg.id}.yml`, content),
      });
      expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 1, outcome: 'failed' });
      expect(errorLine(run)).toMatch(
        /map-file .* does not fit the package's translation map; nothing was installed/,
      );
      // Only the translation map was asked for: it computes, it changes nothing.
      expect(changingRequests(sim)).toEqual([
        `POST /environment-promotion/api/v1/packages/${pkg.id}/translation-map`,
      ]);
      expect(sim.counts()).toMatchObject({ installationsStarted: 0, preRuns: 0 });
    } finally {
      await sim.stop();
    }
  });
});

describe('addresses, unused inputs and hints, end to end', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ assemblyMs: 50, installMs: 60_000 });
  });
  afterAll(async () => sim.stop());
  const base = () => ({ url: sim.environments.sandbox.url, 'api-key': sim.credentials.apiKey });
  const paths = () => sim.log.map((entry) => `${entry.method} ${entry.path}`);

  it.each([
    ['/home', 'a page of the Workfront UI'],
    ['/attask/api/v15.0', "the address of Workfront's core API, not of environment promotion"],
    ['/environment-promotion', 'part of the API path'],
    ['/environment-promotion/api/v1/packages', 'a path below the API base'],
  ])(
    'url ending in %s: read as the environment, with a warning naming the value to give',
    async (path, reason) => {
      const before = sim.log.length;
      const run = await runAction({
        ...base(),
        url: `${sim.environments.sandbox.url}${path}`,
        operation: 'list',
      });
      expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 0, outcome: 'succeeded' });
      expect(run.stdout).toContain(
        `::warning::Input "url": ${sim.environments.sandbox.url}${path} is ${reason}; the action uses ${sim.environments.sandbox.url}: set url to that`,
      );
      expect(paths().slice(before)).toEqual(['GET /environment-promotion/api/v1/packages']);
    },
  );

  it('a 404 on the package list points at url, not at package-id', async () => {
    const run = await runAction({
      ...base(),
      url: `${sim.environments.sandbox.url}/workfront`,
      operation: 'list',
    });
    expect(run.code).toBe(1);
    expect(errorLine(run)).toMatch(
      /404.*Hint: no Environment Promotion API answers at this address: check url/,
    );
    expect(errorLine(run)).not.toMatch(/package-id/);
  });

  it('a host that does not resolve fails at once with its hint, no retries', async () => {
    const run = await runAction({
      url: 'https://acme.sb99.invalid',
      'api-key': 'k3y-value',
      operation: 'list',
    });
    expect(run.code).toBe(1);
    expect(errorLine(run)).toMatch(/ENOTFOUND.*Hint: the host name does not resolve: check url for a typo/);
    expect(errorLine(run)).not.toMatch(/gave up after/);
    expect(run.stdout).not.toMatch(/retry 1 of/);
  });

  it('a token-url host that does not resolve: the hint names token-url, no retries', async () => {
    const run = await runAction({
      url: sim.environments.sandbox.url,
      operation: 'list',
      'client-id': 'cid',
      'client-secret': 'csecret-value',
      scopes: 'openid',
      'token-url': 'https://ims.sb99.invalid/ims/token/v3',
    });
    expect(run.code).toBe(1);
    expect(errorLine(run)).toMatch(/ENOTFOUND.*Hint: the host name of token-url does not resolve/);
    expect(run.stdout).not.toMatch(/retry 1 of/);
    expect(changingRequests(sim).filter((request) => request.includes('/packages'))).toEqual([]);
  });

  it('an installation outliving a short timeout: told to raise it, not that it stalled', async () => {
    const pkg = sim.control.makePackage({ objectCollections: JSON.parse(COLLECTIONS), status: 'TESTING' });
    const run = await runAction({
      ...base(),
      operation: 'install',
      'environment-kind': 'sandbox',
      'package-id': pkg.id,
      // Far below the simulator's 60 s installation, with room for a busy machine to reach the wait.
      timeout: '20s',
      'poll-interval': '1s',
    });
    expect(run.stdout).toMatch(/Installation [\w-]+ of .* started/);
    expect(run.outputs.outcome).toBe('timed-out');
    expect(errorLine(run)).toMatch(/raise timeout/);
    expect(run.stdout).not.toMatch(/10–15 minutes/);
  });

  it('an unused map-file on get is not read: a missing file does not fail the step', async () => {
    const pkg = sim.control.makePackage({ objectCollections: JSON.parse(COLLECTIONS), status: 'TESTING' });
    const run = await runAction({
      ...base(),
      operation: 'get',
      'package-id': pkg.id,
      'map-file': join(dir, 'there-is-no-such-map.yml'),
    });
    expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 0, outcome: 'succeeded' });
    expect(run.stdout).toContain('::warning::Input "map-file" is not used by operation get; it is not read');
  });

  it('prepare with installation-id and expected-plan: no warning calls them unused, and the plan is compared', async () => {
    const pkg = sim.control.makePackage({ objectCollections: JSON.parse(COLLECTIONS), status: 'TESTING' });
    const first = await runAction({ ...base(), operation: 'prepare', 'package-id': pkg.id });
    expect(first.outputs.outcome).toBe('succeeded');
    const run = await runAction({
      ...base(),
      operation: 'prepare',
      'package-id': pkg.id,
      'installation-id': first.outputs['installation-id'],
      'expected-plan': '0123456789abcdef',
    });
    expect(run.stdout).not.toMatch(/is not used by operation prepare/);
    expect(run.outputs['installation-id']).toBe(first.outputs['installation-id']);
    expect(run.outputs.outcome).toBe('failed');
    expect(errorLine(run)).toMatch(/expected-plan 0123456789abcdef does not match this plan/);
    const same = await runAction({
      ...base(),
      operation: 'prepare',
      'package-id': pkg.id,
      'installation-id': first.outputs['installation-id'],
      'expected-plan': first.outputs['plan-hash'],
    });
    expect({ code: same.code, outcome: same.outputs.outcome }).toEqual({ code: 0, outcome: 'succeeded' });
  });
});

describe('the translation map the action writes is a valid map-file', () => {
  it('prepare writes it; install takes it back as map-file', async () => {
    const sim = await startSimulator({ assemblyMs: 50, installMs: 50 });
    try {
      const pkg = sim.control.makePackage({ objectCollections: JSON.parse(COLLECTIONS), status: 'TESTING' });
      const common = {
        url: sim.environments.sandbox.url,
        'api-key': sim.credentials.apiKey,
        'environment-kind': 'sandbox',
        'package-id': pkg.id,
        'poll-interval': '1s',
      };
      const prepared = await runAction({ ...common, operation: 'prepare' });
      expect(prepared.outputs.outcome).toBe('succeeded');
      const written = prepared.outputs['translation-map-file'];
      expect(JSON.stringify(JSON.parse(readFileSync(written, 'utf8')))).toContain('"isValid":true');
      const installed = await runAction({ ...common, operation: 'install', 'map-file': written });
      expect(errorLine(installed)).toBe('');
      expect({ code: installed.code, outcome: installed.outputs.outcome }).toEqual({
        code: 0,
        outcome: 'succeeded',
      });
      // The map-file flow: the translation map, then the install with the whole map, no second pre-run.
      expect(changingRequests(sim)).toEqual([
        `POST /environment-promotion/api/v1/packages/${pkg.id}/prepare-installation`,
        `POST /environment-promotion/api/v1/packages/${pkg.id}/translation-map`,
        `POST /environment-promotion/api/v1/packages/${pkg.id}/install`,
      ]);
      expect(installed.outputs['plan-hash']).toBe(prepared.outputs['plan-hash']);
      // The map an installation ends with (installationStatus on every record) is a valid map-file too.
      const final = installed.outputs['translation-map-file'];
      expect(readFileSync(final, 'utf8')).toContain('"installationStatus"');
      const inputs: Record<string, string> = { ...common, operation: 'prepare', 'map-file': final };
      const again = readInputs((name) => inputs[name] ?? '');
      expect(again.errors).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});

describe('SIGTERM while a large map file is read', () => {
  it('the step still ends within 2 s of the signal, cancelled', async () => {
    const sim = await startSimulator({ assemblyMs: 50, installMs: 60_000 });
    try {
      const pkg = sim.control.makePackage({ objectCollections: JSON.parse(COLLECTIONS), status: 'TESTING' });
      // About 850 flow-style overrides: close to the YAML token budget, the slowest document still accepted.
      const lines = Array.from(
        { length: 850 },
        (_, i) =>
          `  ${String(i).padStart(32, '0')}: {action: USEEXISTING, targetId: ${String(i).padStart(32, 'a')}}`,
      );
      const run = await runAction(
        {
          url: sim.environments.sandbox.url,
          'api-key': sim.credentials.apiKey,
          operation: 'install',
          'environment-kind': 'sandbox',
          'package-id': pkg.id,
          'map-file': file('large-map.yml', `TMPL:\n${lines.join('\n')}\n`),
        },
        // The mask is the last line the action prints before it reads its inputs.
        { terminateWhen: /::add-mask::/, timeoutMs: 30_000 },
      );
      expect(run.terminatedAtMs).toBeDefined();
      expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 1, outcome: 'cancelled' });
      expect(run.elapsedMs - run.terminatedAtMs!).toBeLessThan(2000);
      expect(sim.counts()).toMatchObject({ installationsStarted: 0 });
      console.log(
        `SIGTERM while reading a map file: exited ${run.elapsedMs - run.terminatedAtMs!} ms after it`,
      );
    } finally {
      await sim.stop();
    }
  });
});

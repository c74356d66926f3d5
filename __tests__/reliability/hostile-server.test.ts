// The hostile-server corpus: one scripted server per finding, the bundled action run against it as the runner
// runs it. Whatever the server answers (names, ids, statuses, objCodes, actions, reason phrases, messages,
// dates), the runner's command grammar holds on the real stdout, outputs stay on one line, the summary renders
// no markup, link or image from it, files stay under RUNNER_TEMP, no fragment of a credential shows, and the
// step ends with outputs and a summary whose `outcome` agrees with the exit code.
import { afterEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { marked } from 'marked';
import { runAction, type ActionRun } from '../e2e/harness.js';
import { scratchDir } from '../scratch.js';
import { visibleText } from './helpers.js';
import { grammarViolations, scriptedServer, type Route, type Scripted } from './scripted-server.js';

const KEY = 'wf-hostile-key-7f3a9c1e5b2d4806a1c3'; // 36 characters
let server: Scripted | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(
  routes: Record<string, Route>,
  inputs: Record<string, string>,
  env = {},
  timeoutMs = 30_000,
) {
  server = await scriptedServer(routes, timeoutMs + 30_000);
  return runAction(
    { url: server.url, 'api-key': KEY, 'poll-interval': '1s', timeout: '30s', ...inputs },
    { env, timeoutMs },
  );
}

const PACKAGE = { id: 'p1', name: 'Q3 release', status: 'ACTIVE', version: 3 };

/** What every case checks: the grammar, one-line outputs, outcome agreeing with the exit code, a summary. */
function expectInert(result: ActionRun, serverTexts: string[] = []): void {
  expect(grammarViolations(result.stdout, serverTexts)).toEqual([]);
  for (const [name, value] of Object.entries(result.outputs)) expect([name, value]).not.toContain('\n');
  // timed-out when the step's timeout ended the lookup of an unreadable answer before its window did.
  expect([result.code, result.outputs.outcome]).toEqual(
    result.code === 0 ? [0, 'succeeded'] : [1, expect.stringMatching(/^(failed|timed-out)$/)],
  );
  expect(result.summary).not.toBe('');
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

/** The summary as GitHub renders it (GFM): no image, and no link to where the server points. */
function expectNoMarkup(summary: string): void {
  const html = marked.parse(summary, { gfm: true, async: false });
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<a [^>]*evil\.example/i);
}

/** A prepare flow whose pre-run answers `prerun` (fields over a PREPARING installation i1 of p1). */
function prepareRoutes(pkg: object, prerun: object): Record<string, Route> {
  return {
    'GET /packages/*': { body: { ...PACKAGE, ...pkg } },
    'GET /installations': { body: [] },
    'POST /packages/*/prepare-installation': {
      body: { id: 'i1', environmentPromotionPackageId: 'p1', status: 'PREPARING', ...prerun },
    },
  };
}

describe('server text never forms a workflow command', () => {
  it('a package named with ##[stop-commands]: shown as data, the log keeps its commands', async () => {
    const name = 'Q3 release ##[stop-commands]x';
    const result = await run(
      { 'GET /packages/p1': { body: { ...PACKAGE, name } } },
      { operation: 'get', 'package-id': 'p1' },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Q3 release #\u200b#\[stop-commands\]x/);
    expect(result.outputs['package-name']).toBe(name);
    expectInert(result, [name]);
  });

  it('an HTTP reason phrase with ##[stop-commands]: the retry line holds it inert', async () => {
    const busy = { status: 503, reason: 'Busy ##[stop-commands]x', headers: { 'retry-after': '0' } };
    const result = await run(
      { 'GET /packages/p1': [busy, { body: PACKAGE }] },
      { operation: 'get', 'package-id': 'p1' },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/503 Busy #\u200b#\[stop-commands\]x; retry 1 of/);
    expectInert(result, ['Busy']);
  });

  it('an id with a line break and ::set-output: refused before it reaches an output or the log', async () => {
    const id = 'p2\n::set-output name=outcome::succeeded';
    const packages = [
      { id: 'p1', name: 'a', createdAt: '2026-11-01T10:00:00Z' },
      { id, name: 'b', createdAt: '2026-11-02T10:00:00Z' },
    ];
    const result = await run({ 'GET /packages': { body: packages } }, { operation: 'list' });
    expect(result.code).toBe(1);
    expect(result.outputs['package-id']).toBe('');
    expect(result.stdout).toMatch(
      /::error::GET \/packages answered 200 OK with a body the client cannot read \(expected a package id of letters/,
    );
    expectInert(result, ['::set-output', ':set-output']);
  });

  it('a status with a line break and ::warning::: one line everywhere, no annotation', async () => {
    const status = 'ACTIVE\n::warning::pwned';
    const result = await run(
      { 'GET /packages/p1': { body: { ...PACKAGE, status } } },
      { operation: 'get', 'package-id': 'p1' },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::warning'))).toEqual([]);
    expect(result.outputs['package-status']).toBe('ACTIVE ::WARNING::PWNED');
    expectInert(result, ['::WARNING', ':WARNING']);
  });
});

describe('server text never renders as markup in the summary', () => {
  it('an objCode <img src=…>: text in the summary, never an image', async () => {
    const objCode = '<img src=https://evil.example/x.png onerror=alert(1)>';
    const result = await run(
      prepareRoutes({}, { translationMap: { [objCode]: { s1: { name: 'Form', action: 'CREATE' } } } }),
      { operation: 'prepare', 'package-id': 'p1' },
    );
    expect(result.code).toBe(0);
    expect(result.summary).toContain('| &lt;img src=https:\u200b//evil.example/x.png');
    expectNoMarkup(result.summary);
    expectInert(result);
  });

  it('an action [click me](https://…): text in the summary, never a link', async () => {
    const action = '[click me](https://evil.example/login)';
    const result = await run(
      prepareRoutes({}, { translationMap: { TMPL: { s1: { name: 'Template', action } } } }),
      { operation: 'prepare', 'package-id': 'p1' },
    );
    expect(result.code).toBe(0);
    expect(result.summary).toContain('\\[click me\\]\\(https:\u200b//evil.example/login\\)');
    expectNoMarkup(result.summary);
    expectInert(result);
  });
});

describe('ids from a server never lead a file out of RUNNER_TEMP', () => {
  /** Entries naming `marker` in the three folders above RUNNER_TEMP and in it. */
  function escaped(temp: string, marker: string): string[] {
    return ['.', '..', '../..', '../../..'].flatMap((up) => {
      const dir = resolve(temp, up);
      try {
        return readdirSync(dir)
          .filter((name) => name.includes(marker))
          .map((name) => join(dir, name));
      } catch {
        return [];
      }
    });
  }

  it.each([
    ['pre-run id', (bad: string) => prepareRoutes({}, { id: bad, translationMap: {} })],
    ['package id', (bad: string) => prepareRoutes({ id: bad }, { translationMap: {} })],
  ])('a %s x/../../../…: refused, no file written anywhere', async (_what, routes) => {
    const marker = `wf-escape-${randomBytes(4).toString('hex')}`;
    // An unreadable pre-run answer may have landed: it is looked up for up to 30 s before the step gives up.
    const result = await run(
      routes(`x/../../../${marker}`),
      { operation: 'prepare', 'package-id': 'p1' },
      {},
      120_000,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::.*(id of letters, digits, - and _|is not an id)/);
    expect(escaped(result.temp, marker)).toEqual([]);
    expectInert(result);
  });
});

describe('no fragment of a credential survives a cut', () => {
  /** Every run of `width` characters of `secret`. */
  const windows = (secret: string, width: number) =>
    Array.from({ length: secret.length - width + 1 }, (_, i) => secret.slice(i, i + width));

  it('an api key echoed by a 401 across the 300-character cut of its message', async () => {
    // 277 characters before the key: a cut at 300 would leave 23 of its 36.
    const message = `Unauthorized: the key ${'x'.repeat(254)} `;
    expect(message.length).toBe(277);
    const result = await run(
      { 'GET /packages/p1': { status: 401, body: { error: { message: `${message}${KEY} was revoked` } } } },
      { operation: 'get', 'package-id': 'p1' },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::GET \/packages\/p1 answered 401/);
    const visible = visibleText(result);
    expect(windows(KEY, 8).filter((part) => visible.includes(part))).toEqual([]);
    expectInert(result);
  });

  it('the JWT of the JWT flow echoed by the token endpoint across the cut', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwts: string[] = [];
    server = await scriptedServer({
      'POST /integrations/oauth2/api/v1/jwt/exchange': (seen) => {
        const jwt = new URLSearchParams(seen.body).get('jwt_token') ?? '';
        jwts.push(jwt);
        const description = `the token ${'y'.repeat(60)} ${jwt} is not trusted`;
        return { status: 401, body: { error: 'invalid_grant', error_description: description } };
      },
    });
    const result = await runAction(
      {
        operation: 'get',
        url: server.url,
        'package-id': 'p1',
        'client-id': 'hostile-client',
        'client-secret': 'hostile-client-secret-0123456789',
        'private-key': pem,
        'customer-id': 'cust1',
        'user-id': 'user1',
        'token-url': `${server.url}/integrations/oauth2/api/v1/jwt/exchange`,
      },
      { timeoutMs: 30_000 },
    );
    expect(result.code).toBe(1);
    expect(jwts.length).toBeGreaterThan(0);
    const visible = visibleText(result);
    for (const jwt of jwts) expect(windows(jwt, 12).filter((part) => visible.includes(part))).toEqual([]);
    expectInert(result);
  });
});

describe('nothing the server answers crashes the step', () => {
  it('a date that does not parse is shown as given', async () => {
    const result = await run(
      {
        'GET /packages': {
          body: [{ id: 'p1', name: 'a', status: 'ACTIVE', createdAt: 'sometime last week' }],
        },
      },
      { operation: 'list' },
    );
    expect(result.code).toBe(0);
    expect(result.outputs.outcome).toBe('succeeded');
    expect(result.summary).toContain('sometime last week');
    expectInert(result);
  });

  it('get answered for another package id: failed, the outputs name the package asked for', async () => {
    const result = await run(
      { 'GET /packages/p1': { body: { id: 'p2', name: 'Other', status: 'ACTIVE', version: 9 } } },
      { operation: 'get', 'package-id': 'p1' },
    );
    expect(result.code).toBe(1);
    expect(result.outputs['package-id']).toBe('p1');
    expect(result.outputs['package-name']).toBe('');
    expect(result.stdout).toMatch(
      /::error::GET \/packages\/p1 answered 200 .*expected package p1, but it answered for package p2/,
    );
    expectInert(result);
  });

  it('transition answered for another package id: nothing is changed, neither there nor here', async () => {
    const result = await run(
      { 'GET /packages/p1': { body: { id: 'p2', name: 'Other', status: 'DRAFT', version: 9 } } },
      { operation: 'transition', 'package-id': 'p1', status: 'TESTING' },
    );
    expect(result.code).toBe(1);
    expect(server?.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(result.stdout).toMatch(/expected package p1, but it answered for package p2/);
    expectInert(result);
  });

  it('an installation read answered for another installation: not reported as the one asked for', async () => {
    const result = await run(
      {
        'GET /installations/i1': {
          body: { id: 'i2', environmentPromotionPackageId: 'p9', status: 'INSTALLED' },
        },
      },
      { operation: 'installation', 'installation-id': 'i1', wait: 'false' },
    );
    expect(result.code).toBe(1);
    expect(result.outputs['installation-id']).toBe('i1');
    expect(result.outputs['package-id']).not.toBe('p9');
    expectInert(result);
  });

  it('objCodes named __proto__ and constructor are counted like any other', async () => {
    // A computed key is an own property, so JSON.stringify sends it as the server would.
    const map = {
      ['__proto__']: { s1: { name: 'one', action: 'CREATE' } },
      constructor: { s2: { name: 'two', action: 'toString' } },
    };
    expect(JSON.stringify(map)).toContain('"__proto__":{');
    const routes = prepareRoutes({}, { translationMap: map });
    const result = await run(routes, { operation: 'prepare', 'package-id': 'p1' });
    expect(result.code).toBe(0);
    const counts = (JSON.parse(result.outputs.result) as { counts: { total: number; byObjCode: object } })
      .counts;
    expect(counts.total).toBe(2);
    expect(Object.keys(counts.byObjCode).sort()).toEqual(['__proto__', 'constructor']);
    expectInert(result);
  });

  it('an error no handler foresaw (GITHUB_OUTPUT unwritable): failed, reported, no stack trace', async () => {
    const folder = join(scratchDir('hostile-server'), 'output-is-a-folder');
    mkdirSync(folder);
    const result = await run(
      { 'GET /packages/p1': { body: PACKAGE } },
      { operation: 'get', 'package-id': 'p1' },
      {
        GITHUB_OUTPUT: folder,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::The action stopped on an unexpected error: EISDIR/);
    expect(result.summary).toMatch(/Unexpected error/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(grammarViolations(result.stdout)).toEqual([]);
  });
});

// The pull-request comment through dist/index.js: a real event file, the fake GitHub API on 127.0.0.1.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { startFakeGitHub, type FakeGitHub } from '../../simulator/github.js';
import { scratchDir } from '../scratch.js';
import { chunksLoadedBy, ROOT, visibleText } from './harness.js';
import { SEED, startFixture, type Fixture } from './fixture.js';

const PR = 12;
const RUN_URL = 'https://github.com/acme/workfront-config/actions/runs/4242';
const P = SEED.preview;

let f: Fixture;
let gh: FakeGitHub;
beforeEach(async () => {
  f = await startFixture();
  // GitHub Enterprise Server's API lives under /api/v3: GITHUB_API_URL must be honoured, not api.github.com.
  gh = await startFakeGitHub({ basePath: '/api/v3' });
});
afterEach(async () => {
  await Promise.all([f.sim.stop(), gh.stop()]);
});

function eventFile(
  payload: unknown = { action: 'synchronize', number: PR, pull_request: { number: PR } },
): string {
  const path = join(scratchDir('event'), 'event.json');
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

/** The environment of a pull_request run. */
function pullRequestEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile(),
    GITHUB_API_URL: gh.apiUrl,
    ...extra,
  };
}

function release(name = 'Agency release') {
  return f.sim.control.makePackage({
    name,
    status: 'ACTIVE',
    objectCollections: [
      { objCode: 'TMPL', entities: [{ ID: P.newAgencyOnboardingTemplate }] },
      { objCode: 'PTLTAB', entities: [{ ID: P.agencyPerformanceDashboard }] },
    ],
  });
}

const warnings = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::warning::'));
const writes = () =>
  gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/\d+$/, 'N')}`);

describe('the pull-request comment', () => {
  it('the first run creates it, the next runs edit the same comment, past other comments on page 2', async () => {
    // Someone else's comments fill the first page: the marker must be looked for on every page.
    for (let i = 0; i < 130; i++)
      gh.addComment(PR, i === 5 ? '> <!-- workfront-promotion-action: quoted' : `LGTM ${i}`);
    const pkg = release();
    const inputs = { 'package-id': pkg.id, 'github-token': gh.token };

    const plan = await f.run('production', { operation: 'prepare', ...inputs }, { env: pullRequestEnv() });
    expect(plan.code).toBe(0);
    expect(warnings(plan.stdout)).toEqual([]);
    const hash = plan.outputs['plan-hash'];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const mine = () => gh.comments(PR).filter((c) => c.user.login === 'github-actions[bot]');
    expect(mine()).toHaveLength(1);
    const [created] = mine();
    const marker = `<!-- workfront-promotion-action:${pkg.id}:${f.sim.environments.production.host} -->`;
    expect(created.body.split('\n')[0]).toBe(marker);
    expect(created.body).toContain(`\nexpected-plan: ${hash}\n`);
    expect(created.body).toContain(`[Run](${RUN_URL})`);
    expect(created.body).toContain('Nothing was installed');
    expect(plan.stdout).toContain(`Pull request #${PR}: comment ${created.id} created`);
    expect(gh.requests.every((r) => r.authorization === `token ${gh.token}`)).toBe(true);

    const install = await f.run(
      'production',
      { operation: 'install', 'expected-plan': hash, ...inputs },
      { env: pullRequestEnv() },
    );
    expect(install.code).toBe(0);
    expect(mine()).toHaveLength(1);
    expect(mine()[0].id).toBe(created.id);
    expect(mine()[0].body).toContain(`Installation \`${install.outputs['installation-id']}\`: **INSTALLED**`);
    expect(mine()[0].body).toContain('✅ **expected-plan** matches');
    expect(install.stdout).toContain(`Pull request #${PR}: comment ${created.id} updated`);
    expect(writes()).toEqual([
      'POST /repos/acme/workfront-config/issues/12/comments',
      'PATCH /repos/acme/workfront-config/issues/comments/N',
    ]);
    // Both runs read both pages.
    expect(gh.requests.filter((r) => r.method === 'GET' && /[?&]page=2/.test(r.path))).toHaveLength(2);
  });

  it('keeps one comment per package and target: another package gets its own', async () => {
    const env = pullRequestEnv();
    const first = await f.run(
      'production',
      { operation: 'prepare', 'package-id': release().id, 'github-token': gh.token },
      { env },
    );
    const second = await f.run(
      'production',
      { operation: 'prepare', 'package-id': release('Other').id, 'github-token': gh.token },
      { env },
    );
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(gh.comments(PR)).toHaveLength(2);
  });

  it.each([
    [
      '403 without pull-requests: write',
      { status: 403, message: 'Resource not accessible by integration' },
      /GitHub refused it \(403 Resource not accessible by integration\): the token needs "permissions: pull-requests: write"/,
    ],
    [
      'an outage',
      { status: 503, message: 'Service Unavailable' },
      /GitHub answered 503 \(Service Unavailable\): an outage/,
    ],
    [
      'a spent rate limit',
      {
        status: 403,
        message: 'API rate limit exceeded',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800000000' },
      },
      /GitHub's rate limit is spent \(403\), it resets at 2027-01-15T/,
    ],
  ])('%s is a warning, and the step still succeeds', async (_, fault, message) => {
    gh.fail(fault);
    const run = await f.run(
      'production',
      { operation: 'prepare', 'package-id': release().id, 'github-token': gh.token },
      { env: pullRequestEnv() },
    );
    expect(run.code).toBe(0);
    expect(run.outputs.outcome).toBe('succeeded');
    const [warning, ...rest] = warnings(run.stdout);
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^::warning::The pull-request comment was not written: /);
    expect(warning).toMatch(message);
    expect(gh.comments(PR)).toEqual([]);
  });

  it('an unreachable API, an event without a pull request, an empty token: warnings, the step succeeds', async () => {
    const pkg = release();
    const closed = await startFakeGitHub();
    await closed.stop();
    const cases = [
      pullRequestEnv({ GITHUB_API_URL: closed.apiUrl }),
      pullRequestEnv({ GITHUB_EVENT_PATH: eventFile({ action: 'opened' }) }),
    ];
    const runs = await Promise.all([
      ...cases.map((env) =>
        f.run(
          'production',
          { operation: 'prepare', 'package-id': pkg.id, 'github-token': gh.token },
          { env },
        ),
      ),
      f.run(
        'production',
        { operation: 'prepare', 'package-id': pkg.id, 'github-token': '' },
        { env: pullRequestEnv() },
      ),
    ]);
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    expect(runs.map((run) => warnings(run.stdout).join('\n'))).toEqual([
      expect.stringMatching(
        /not written: GitHub's API at http:\/\/127\.0\.0\.1:\d+ could not be reached \(connect ECONNREFUSED/,
      ),
      expect.stringMatching(/not written: no pull request, the event holds no pull request number/),
      expect.stringMatching(/not written: github-token is empty/),
    ]);
    expect(gh.requests).toEqual([]);
  });

  it('shows the failure of an install', async () => {
    const pkg = release();
    const run = await f.run(
      'production',
      { operation: 'install', 'package-id': pkg.id, 'github-token': gh.token, 'deny-actions': 'CREATE' },
      { env: pullRequestEnv() },
    );
    expect(run.code).toBe(1);
    const [comment] = gh.comments(PR);
    expect(comment.body.split('\n')[1]).toMatch(/^### ❌ Install .* — failed/);
    expect(comment.body).toMatch(/❌ \*\*deny-actions\*\* CREATE: \d+ records of the plan are refused/);
    expect(comment.body).toContain('> **Error:** deny-actions refuses');
    expect(comment.body).toMatch(/Nothing was installed \(pre-run `[\w-]+`\)/);
  });

  it('a huge plan stays under 65,536 characters, cut with … and N more and the link', async () => {
    const templates = f.sim.control.generateTemplates(
      'preview',
      300,
      20,
      `Template & <b>${'long name '.repeat(8)}</b>`,
    );
    const pkg = f.sim.control.makePackage({
      name: 'Big release',
      status: 'ACTIVE',
      objectCollections: templates.objectCollections,
    });
    const mapFile = join(scratchDir('map'), 'map.yml');
    writeFileSync(mapFile, `TMPL:\n${templates.templateIds.map((id) => `  ${id}: IGNORE\n`).join('')}`);
    const run = await f.run(
      'production',
      { operation: 'prepare', 'package-id': pkg.id, 'map-file': mapFile, 'github-token': gh.token },
      { env: pullRequestEnv() },
    );
    expect(run.code).toBe(0);
    expect(warnings(run.stdout)).toEqual([]);
    const [comment] = gh.comments(PR);
    expect(comment.body.length).toBeLessThan(65_536);
    expect(comment.body.length).toBeGreaterThan(30_000);
    expect(comment.body).toContain('#### Risky actions (6300)');
    const cut = [...comment.body.matchAll(/^… and (\d+) more in \[the job summary\]\((.+)\)$/gm)];
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((m) => m[2] === RUN_URL)).toBe(true);
    expect(comment.body).toContain(`expected-plan: ${run.outputs['plan-hash']}`);
  });

  it('a hostile package name stays inert', async () => {
    const hostile =
      '<img src=x onerror=alert(1)> [click](https://evil.example) @everyone #1 ::error::pwned <!-- workfront-promotion-action:x:y -->';
    const templates = f.sim.control.generateTemplates('preview', 1, 2, hostile);
    const pkg = f.sim.control.makePackage({
      name: hostile,
      status: 'ACTIVE',
      objectCollections: templates.objectCollections,
    });
    const mapFile = join(scratchDir('map'), 'map.yml');
    writeFileSync(mapFile, `TMPL:\n  ${templates.templateIds[0]}: IGNORE\n`);
    const run = await f.run(
      'production',
      { operation: 'prepare', 'package-id': pkg.id, 'map-file': mapFile, 'github-token': gh.token },
      { env: pullRequestEnv() },
    );
    expect(run.code).toBe(0);
    const [comment] = gh.comments(PR);
    expect(comment.body.match(/<!--/g)).toHaveLength(1);
    expect(comment.body.split('\n')[1]).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    const html = marked.parse(comment.body, { async: false });
    expect(html).not.toMatch(/<img|<script/);
    expect([...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1])).toEqual([RUN_URL]);
    expect(comment.body).not.toMatch(/@everyone|#1\b|https:\/\/evil/);
  });

  it('the token is masked and appears nowhere; pr-comment: off sends nothing', async () => {
    const pkg = release();
    const run = await f.run(
      'production',
      { operation: 'prepare', 'package-id': pkg.id, 'github-token': gh.token },
      { env: pullRequestEnv({ RUNNER_DEBUG: '1' }) },
    );
    expect(run.stdout).toContain(`::add-mask::${gh.token}`);
    expect(visibleText(run)).not.toContain(gh.token);
    expect(JSON.stringify(gh.comments(PR))).not.toContain(gh.token);
    const before = gh.requests.length;
    const off = await f.run(
      'production',
      { operation: 'prepare', 'package-id': pkg.id, 'github-token': gh.token, 'pr-comment': 'off' },
      { env: pullRequestEnv() },
    );
    expect(off.code).toBe(0);
    expect(gh.requests.length).toBe(before);
  });
});

describe('start-up stays fast', () => {
  /**
   * dist/ without the chunks the run loads lazily (Octokit's): a run that needs them cannot load them. The
   * chunks the entry point itself loads (the run, after heap.ts) stay.
   */
  function bundleWithoutChunks(): string {
    const dir = scratchDir('dist');
    cpSync(join(ROOT, 'dist'), dir, { recursive: true });
    const loaded = new Set(chunksLoadedBy(join(dir, 'index.js')));
    expect(loaded.size).toBeGreaterThan(0);
    const chunks = readdirSync(dir).filter((name) => /^\d+\.index\.js$/.test(name) && !loaded.has(name));
    expect(chunks.length).toBeGreaterThan(0);
    for (const name of chunks) rmSync(join(dir, name));
    return join(dir, 'index.js');
  }

  it('a run outside a pull request never loads Octokit; a pull-request run does', async () => {
    const bundle = bundleWithoutChunks();
    const pkg = release();
    const inputs = { operation: 'prepare', 'package-id': pkg.id, 'github-token': gh.token };
    const push = await f.run('production', inputs, {
      bundle,
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_API_URL: gh.apiUrl },
    });
    expect(push.code).toBe(0);
    expect(warnings(push.stdout)).toEqual([]);
    const pr = await f.run('production', inputs, { bundle, env: pullRequestEnv() });
    expect(pr.code).toBe(0);
    expect(warnings(pr.stdout).join('\n')).toMatch(/not written: .*index\.js/);
    expect(gh.requests).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { explainFailure, pullRequestOf, runUrlOf } from '../src/github.js';
import { COMMENT_LIMIT, commentMarker, inert, renderComment } from '../src/report/comment.js';
import type { OperationResult } from '../src/result.js';
import { countRecords, type MapRecord } from '../src/translation-map.js';
import { installResult } from './results.js';
import { scratchDir } from './scratch.js';

const HASH = 'a'.repeat(64);
const RUN = 'https://github.com/acme/workfront-config/actions/runs/4242';

function plan(records: MapRecord[], changes: Partial<OperationResult> = {}): OperationResult {
  return installResult({
    operation: 'prepare',
    changed: false,
    target: { url: 'https://ACME.my.workfront.com', host: 'acme.my.workfront.com', kind: 'production' },
    package: { id: 'p1', name: 'Release 7', version: 3, status: 'ACTIVE' },
    records,
    counts: countRecords(records),
    planHash: HASH,
    ...changes,
  });
}

const rec = (
  objCode: string,
  sourceId: string,
  action: string,
  name?: string,
  targetId?: string,
): MapRecord => ({
  objCode,
  sourceId,
  action,
  name,
  targetId,
});

/** The text GitHub shows: escapes and zero-width spaces gone. */
const visible = (text: string) => text.replace(/\u200b/g, '').replace(/\\(.)/g, '$1');

const context = { packageId: 'p1', runUrl: RUN, denyActions: [], now: Date.parse('2026-11-30T12:00:00Z') };

describe('the comment body', () => {
  const records = [
    rec('TMPL', 't1', 'OVERWRITING', 'Agency onboarding', 'tt1'),
    rec('TMPL', 't2', 'IGNORE', 'Old template'),
    rec('TTSK', 'k1', 'IGNORE', 'Kick-off'),
    rec('TTSK', 'k2', 'IGNORE', 'Review'),
    rec('GROUP', 'g1', 'USEEXISTING', 'Agency', 'tg1'),
    rec('PTLTAB', 'd1', 'CREATEWITHALTNAME', 'Performance'),
    rec('ROLE', 'r1', 'CREATE', 'Designer'),
  ];
  const result = plan(records, {
    overrideChanges: [
      {
        record: records[0],
        from: 'USEEXISTING',
        to: 'OVERWRITING',
        fromTarget: 'tt1',
        toTarget: 'tt1',
      },
      { record: records[1], from: 'CREATE', to: 'IGNORE' },
    ],
    dependents: [
      { record: records[2], because: records[1] },
      { record: records[3], because: records[1] },
    ],
  });

  it('starts with the hidden marker of the package and target, then the verdict', () => {
    const body = renderComment(result, context);
    const [marker, verdict] = body.split('\n');
    expect(marker).toBe('<!-- workfront-promotion-action:p1:acme.my.workfront.com -->');
    expect(marker).toBe(commentMarker('p1', 'ACME.my.workfront.com'));
    // The summary's verdict (src/report/verdict.ts), read as GitHub shows it.
    expect(visible(verdict)).toBe(
      '### ✅ Plan for "Release 7" v3 in acme.my.workfront.com (production): 1 to create, 1 to create under another name (Performance), 1 to reuse, 1 to overwrite (Agency onboarding), 3 to ignore (Old template, Kick-off, Review); nothing installed; plan aaaaaaaaaaaa',
    );
  });

  it('gives the exact expected-plan line to pin the plan', () => {
    const body = renderComment(result, context);
    expect(body.split('\n')).toContain(`expected-plan: ${HASH}`);
    expect(body).toMatch(/```yaml\nexpected-plan: a{64}\n```/);
  });

  it('shows actions per objCode, what the map file changes, risky actions with dependants', () => {
    const body = renderComment(result, context);
    expect(body).toContain('#### Records per objCode (7)');
    expect(body).toMatch(/\| TTSK Template task \| .*2 \|/);
    expect(body).toContain('#### What the map file changes (2)');
    expect(body).toContain(
      '| TMPL | Agency onboarding | `t1` | USEEXISTING → `tt1` | **OVERWRITING** → `tt1` |',
    );
    expect(body).toContain('#### Risky actions (5)');
    const risky = body
      .split('\n')
      .filter((line) => /^\| \*\*(OVERWRITING|CREATEWITHALTNAME|IGNORE)/.test(line));
    expect(risky.map((line) => line.split(' | ')[2])).toEqual([
      'Agency onboarding',
      'Performance',
      'Old template',
      'Kick-off',
      'Review',
    ]);
    expect(risky[2]).toContain('2 dependants ignored with it');
    expect(risky[3]).toContain('dependant of TMPL "Old template"');
    expect(body).toContain('deny-actions** not set');
    expect(body).toContain(`[Run](${RUN})`);
  });

  it('names the targets the map file points at, where their names were looked up', () => {
    // result.targetNames comes with src/names.ts (resolving targetName in the target environment).
    const named = { ...result, targetNames: { TMPL: { tt1: 'Agency onboarding (prod) @ops' } } };
    const body = renderComment(named as OperationResult, context);
    expect(visible(body)).toContain(
      '| TMPL | Agency onboarding | `t1` | USEEXISTING → `tt1` "Agency onboarding (prod) @ops" | **OVERWRITING** → `tt1` "Agency onboarding (prod) @ops" |',
    );
    expect(body).toContain('@\u200bops');
  });

  it('says what deny-actions refuses, or that the plan passes', () => {
    const refused = renderComment(result, { ...context, denyActions: ['OVERWRITING', 'CREATE'] });
    expect(refused).toContain(
      '❌ **deny-actions** OVERWRITING, CREATE: 2 records of the plan are refused, OVERWRITING TMPL "Agency onboarding", CREATE ROLE "Designer"',
    );
    const passes = renderComment(result, { ...context, denyActions: ['DELETE'] });
    expect(passes).toContain('✅ **deny-actions** DELETE: no record of the plan has them');
  });

  it('shows the result of an install and the failure that ended it', () => {
    const installed = records.map((r, i) => ({
      ...r,
      installationStatus: i === 0 ? 'FAILED' : 'INSTALLED',
      reason: i === 0 ? 'Invalid Custom Expression' : undefined,
    }));
    const body = renderComment(
      plan(installed, {
        operation: 'install',
        outcome: 'failed',
        changed: true,
        error: 'installation i9 ended INSTALLED but 1 records FAILED',
        installationId: 'i9',
        installation: { id: 'i9', status: 'INSTALLED' },
        notes: ['The Workfront UI can roll this deployment back until 2026-12-01T12:00:00.000Z'],
      }),
      { ...context, expectedPlan: HASH },
    );
    expect(visible(body.split('\n')[1])).toMatch(
      /^### ❌ Install "Release 7" v3 into .* — failed: 1 created, .*, 1 failed \(Agency onboarding\); installation i9 ended/,
    );
    expect(body).toContain('> **Error:** installation i9 ended INSTALLED but 1 records FAILED');
    expect(body).toContain('Installation `i9`: **INSTALLED**');
    expect(body).toContain('| TMPL | Agency onboarding | `t1` | OVERWRITING | Invalid Custom Expression |');
    expect(body).toContain('✅ **expected-plan** matches');
    // Installed: the hash names what was installed, there is nothing left to pin.
    expect(body).toContain(`**plan-hash** \`${HASH}\`: the plan this run installed.`);
    expect(body).not.toContain('expected-plan: ');
    expect(visible(body)).toContain('roll this deployment back until 2026-12-01T12:00:00');
  });

  it('stays under 65,536 characters with a huge plan, and says how many rows it left out', () => {
    // Names made of characters that escaping multiplies: the worst case for the budget.
    const huge: MapRecord[] = Array.from({ length: 60_000 }, (_, i) =>
      rec(
        `OBJ${i % 4000}`,
        `${i}`.padStart(32, '0'),
        ['OVERWRITING', 'IGNORE', 'CREATEWITHALTNAME'][i % 3],
        '&<>|'.repeat(40),
        `${i}`.padStart(32, 'f'),
      ),
    ).map((r, i) => ({ ...r, installationStatus: i % 2 ? 'FAILED' : 'INSTALLED', reason: '&'.repeat(500) }));
    const body = renderComment(
      plan(huge, {
        operation: 'install',
        outcome: 'failed',
        error: '&'.repeat(10_000),
        installationId: 'i1',
        overrideChanges: huge
          .slice(0, 20_000)
          .map((record) => ({ record, from: 'CREATE', to: record.action })),
        warnings: Array.from({ length: 50 }, () => '&'.repeat(5000)),
      }),
      { ...context, denyActions: ['OVERWRITING'] },
    );
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(Buffer.byteLength(body)).toBeLessThan(COMMENT_LIMIT);
    const shown = (heading: RegExp) => {
      const lines = body.split('\n');
      const start = lines.findIndex((line) => heading.test(line));
      expect(start).toBeGreaterThanOrEqual(0);
      const rows = lines.slice(start + 4).findIndex((line) => !line.startsWith('| '));
      const cut = /^… and (\d+) more in \[the job summary\]\(https:/.exec(lines[start + 4 + rows + 1] ?? '');
      return { rows, more: cut ? Number(cut[1]) : 0 };
    };
    const failed = shown(/^#### Failed records \(30000\)$/);
    expect(failed.rows).toBeGreaterThan(0);
    expect(failed.rows + failed.more).toBe(30_000);
    const risky = shown(/^#### Risky actions \(60000\)$/);
    expect(risky.rows).toBeGreaterThan(0);
    expect(risky.rows + risky.more).toBe(60_000);
    expect(body).toContain(`expected-plan: ${HASH}`);
    expect(body.trimEnd().split('\n').at(-1)).toMatch(/^<sub>\[Run\]/);
  });

  it('counts each cut line whole, however long the run link in it', () => {
    const records = Array.from({ length: 20_000 }, (_, i) =>
      rec(`OBJ${i % 3000}`, `${i}`.padStart(32, '0'), ['OVERWRITING', 'IGNORE'][i % 2], `Task ${i}`),
    ).map((r, i) => ({ ...r, installationStatus: i % 2 ? 'FAILED' : 'INSTALLED', reason: 'x'.repeat(100) }));
    const runUrl = `https://github.com/${'a'.repeat(1_500)}`;
    const body = renderComment(
      plan(records, {
        operation: 'install',
        outcome: 'failed',
        installationId: 'i1',
        overrideChanges: records
          .slice(0, 5_000)
          .map((record) => ({ record, from: 'CREATE', to: record.action })),
      }),
      { ...context, runUrl },
    );
    expect(
      body.match(new RegExp(`^… and \\d+ more in \\[the job summary\\]\\(${runUrl}\\)$`, 'gm')),
    ).toHaveLength(4);
    expect(Buffer.byteLength(body)).toBeLessThan(COMMENT_LIMIT);
  });

  it('keeps a hostile package name and record names inert', () => {
    const hostile =
      '<img src=x onerror=alert(1)> [click](https://evil.example) @everyone #1 www.evil.example :smile: ::error::x `code` <!-- workfront-promotion-action:p1:acme.my.workfront.com --> |';
    const body = renderComment(
      plan([rec('TMPL', 't1', 'OVERWRITING', hostile, 'x1')], {
        package: { id: 'p1', name: hostile, version: 1 },
        error: hostile,
        warnings: [hostile],
      }),
      context,
    );
    expect(body.match(/<!--/g)).toHaveLength(1);
    const html = marked.parse(body, { async: false });
    expect(html).not.toMatch(/<img|<script|<code>code/);
    const links = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(links)).toEqual(new Set([RUN]));
    const text = body.replace(/\\/g, '');
    expect(text).not.toMatch(/@everyone|#1(?!\d)|https:\/\/evil|www\.evil|:smile:|::error::/);
    // The name is all there, readable.
    expect(text.replace(/\u200b/g, '')).toContain('@everyone #1 www.evil.example :smile:');
    // Each row is still one row of six cells.
    const row = body.split('\n').find((line) => line.startsWith('| **OVERWRITING**'));
    expect(row?.split(' | ')).toHaveLength(6);
  });

  it('inert breaks mentions and references, md escapes markup', () => {
    expect(inert('@team/leads fixes #12')).toBe('@\u200bteam/leads fixes \\#\u200b12');
  });
});

describe('the pull request of the event', () => {
  const event = (payload: unknown) => {
    const path = join(scratchDir('event'), 'event.json');
    writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
    return path;
  };
  const env = (path?: string) => ({ GITHUB_EVENT_PATH: path, GITHUB_REPOSITORY: 'acme/workfront-config' });

  it('reads the number from pull_request and pull_request_target payloads', () => {
    expect(pullRequestOf(env(event({ number: 7, pull_request: { number: 7 } })))).toEqual({
      owner: 'acme',
      repo: 'workfront-config',
      number: 7,
    });
  });
  it('says why there is none', () => {
    expect(pullRequestOf(env(event({ ref: 'refs/heads/main' })))).toEqual({
      missing: 'the event holds no pull request number',
    });
    expect(pullRequestOf(env(event('{not json')))).toMatchObject({
      missing: expect.stringMatching(/could not be read/),
    });
    expect(pullRequestOf(env())).toEqual({ missing: 'GITHUB_EVENT_PATH is not set' });
  });
  it('links the run, and its attempt after a re-run', () => {
    const base = { GITHUB_SERVER_URL: 'https://ghe.example', GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '9' };
    expect(runUrlOf(base)).toBe('https://ghe.example/a/b/actions/runs/9');
    expect(runUrlOf({ ...base, GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'https://ghe.example/a/b/actions/runs/9/attempts/2',
    );
  });
});

describe('why a comment was not written', () => {
  it('tells a spent rate limit from a missing permission', () => {
    const limited = {
      status: 403,
      message: 'API rate limit exceeded',
      response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800000000' } },
    };
    expect(explainFailure(limited, 'https://api.github.com')).toMatch(
      /^GitHub's rate limit is spent \(403\), it resets at 2027-01-15T/,
    );
    expect(
      explainFailure({ status: 403, message: 'Resource not accessible by integration', response: {} }, ''),
    ).toMatch(/needs "permissions: pull-requests: write"/);
    expect(explainFailure({ status: 503, message: 'Service Unavailable', response: {} }, '')).toMatch(
      /503 .*outage/,
    );
    // Octokit's way of saying that no answer came: status 500, no response.
    const timedOut = Object.assign(new Error('The operation was aborted due to timeout'), {
      status: 500,
      cause: { name: 'TimeoutError' },
    });
    expect(explainFailure(timedOut, 'https://ghe.example/api/v3')).toBe(
      "GitHub's API at https://ghe.example/api/v3 did not answer within 20 s",
    );
    expect(explainFailure(new TypeError('fetch failed'), 'http://127.0.0.1:1')).toBe(
      "GitHub's API at http://127.0.0.1:1 could not be reached (fetch failed)",
    );
  });
});

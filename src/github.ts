// The pull-request comment on GitHub: which pull request, then one comment per package and target, found by its
// hidden marker and edited in place. Octokit is imported only when a comment is due: it costs start-up time.
import { readFileSync } from 'node:fs';
import type { Config, PlanConfig } from './config.js';
import type { OperationResult } from './result.js';
import { commentMarker, renderComment } from './report/comment.js';
import { plain } from './text.js';

/** The events whose runs belong to a pull request. */
const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];
const COMMENT_OPERATIONS: readonly string[] = ['prepare', 'install'];
/** The whole exchange with GitHub; a comment is never worth holding the step longer. */
const COMMENT_TIMEOUT_MS = 20_000;

export interface PullRequest {
  owner: string;
  repo: string;
  number: number;
}

export interface CommentLog {
  info(message: string): void;
  warning(message: string): void;
}

type Env = Record<string, string | undefined>;

/** Whether this step keeps a comment: prepare or install, pr-comment auto, on a pull-request event. */
export function commentDue<C extends Pick<Config, 'operation' | 'prComment'>>(
  config: C,
  env: Env,
): config is C & Pick<PlanConfig, 'operation'> {
  return (
    config.prComment === 'auto' &&
    COMMENT_OPERATIONS.includes(config.operation) &&
    PULL_REQUEST_EVENTS.includes(env.GITHUB_EVENT_NAME ?? '')
  );
}

/** The pull request of the event (GITHUB_EVENT_PATH), or why there is none. */
export function pullRequestOf(env: Env): PullRequest | { missing: string } {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { missing: 'GITHUB_EVENT_PATH is not set' };
  let payload: {
    number?: unknown;
    pull_request?: { number?: unknown };
    repository?: { full_name?: unknown };
  };
  try {
    payload = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { missing: `the event file could not be read (${plain((error as Error).message, 200)})` };
  }
  const number = payload?.pull_request?.number ?? payload?.number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    return { missing: 'the event holds no pull request number' };
  }
  const fullName = env.GITHUB_REPOSITORY || String(payload.repository?.full_name ?? '');
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName);
  if (!match) return { missing: 'GITHUB_REPOSITORY is not owner/name' };
  return { owner: match[1], repo: match[2], number };
}

/** The run's page: its job summaries are there. */
export function runUrlOf(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!server || !repository || !runId || !/^\d+$/.test(runId)) return undefined;
  const attempt =
    env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}${attempt}`;
}

interface RequestFailure {
  status?: number;
  message?: string;
  name?: string;
  cause?: { name?: string };
  response?: { headers?: Record<string, string | undefined> };
}

/** Why GitHub did not take the comment, in words that say what to change. */
export function explainFailure(error: unknown, apiUrl: string): string {
  const failure = (error ?? {}) as RequestFailure;
  const status = failure.status;
  const message = plain(failure.message ?? String(error), 300);
  // Octokit reports a request that got no answer as status 500 without a response.
  if (!failure.response) {
    const names = [failure.name, failure.cause?.name];
    if (names.includes('AbortError') || names.includes('TimeoutError')) {
      return `GitHub's API at ${plain(apiUrl, 200)} did not answer within ${COMMENT_TIMEOUT_MS / 1000} s`;
    }
    return `GitHub's API at ${plain(apiUrl, 200)} could not be reached (${message})`;
  }
  const headers = failure.response.headers ?? {};
  if (
    status === 429 ||
    (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)))
  ) {
    const reset = Number(headers['x-ratelimit-reset']);
    return `GitHub's rate limit is spent (${status})${reset > 0 ? `, it resets at ${new Date(reset * 1000).toISOString()}` : ''}`;
  }
  if (status === 403) {
    return `GitHub refused it (403 ${message}): the token needs "permissions: pull-requests: write" in the workflow; a pull request from a fork gets a read-only GITHUB_TOKEN (use pull_request_target with care, or pr-comment: off)`;
  }
  if (status === 401) return `GitHub refused github-token (401 ${message})`;
  if (status === 404)
    return `the pull request or the repository is not visible to this token (404 ${message})`;
  if (status !== undefined && status >= 500) {
    return `GitHub answered ${status} (${message}): an outage on GitHub's side`;
  }
  return `GitHub answered ${status ?? 'without a status'} (${message})`;
}

export interface Upserted {
  action: 'created' | 'updated';
  id: number;
  url?: string;
}

/** Finds the comment that starts with the marker (every page) and edits it, or creates one. */
async function upsertComment(options: {
  token: string;
  apiUrl: string;
  pullRequest: PullRequest;
  marker: string;
  body: string;
  signal: AbortSignal;
}): Promise<Upserted> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
  const { owner, repo, number } = options.pullRequest;
  const request = { signal: options.signal };
  let existing: number | undefined;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100,
    request,
  })) {
    // Only a body that starts with the marker: a reply quoting it starts with "> ".
    existing = page.data.find((comment) => comment.body?.startsWith(options.marker))?.id;
    if (existing !== undefined) break;
  }
  if (existing !== undefined) {
    const { data } = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: existing,
      body: options.body,
      request,
    });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: number,
    body: options.body,
    request,
  });
  return { action: 'created', id: data.id, url: data.html_url };
}

/** Keeps the pull request's comment up to date with the result; every failure is a warning, never the step's. */
export async function commentOnPullRequest(
  config: PlanConfig,
  result: OperationResult,
  options: { env: Env; now: number; log: CommentLog; signal?: AbortSignal },
): Promise<void> {
  const { env, log } = options;
  const skip = (why: string) => log.warning(`The pull-request comment was not written: ${why}`);
  if (options.signal?.aborted) {
    log.info('The step was cancelled: the pull-request comment was not updated');
    return;
  }
  const pullRequest = pullRequestOf(env);
  if ('missing' in pullRequest) return skip(`no pull request, ${pullRequest.missing}`);
  if (!config.githubToken)
    return skip('github-token is empty (pass ${{ github.token }}, or set pr-comment: off)');
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const packageId = config.packageId;
  const marker = commentMarker(packageId, config.api.host);
  let body: string;
  try {
    body = renderComment(result, {
      packageId,
      runUrl: runUrlOf(env),
      denyActions: config.denyActions,
      expectedPlan: config.expectedPlan,
      now: options.now,
    });
  } catch (error) {
    // A result no one foresaw costs the comment, never the step.
    return skip(`it could not be rendered (${plain((error as Error)?.message ?? error, 300)})`);
  }
  const timeout = AbortSignal.timeout(COMMENT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const done = await upsertComment({
      token: config.githubToken,
      apiUrl,
      pullRequest,
      marker,
      body,
      signal,
    });
    log.info(
      `Pull request #${pullRequest.number}: comment ${done.id} ${done.action}${done.url ? ` ${plain(done.url, 300)}` : ''}`,
    );
  } catch (error) {
    skip(explainFailure(error, apiUrl));
  }
}

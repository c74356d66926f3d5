// Orchestration: inputs → operation → outputs and summary. The only place that sets outputs or fails the step.
import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { createClient } from './api/client.js';
import { outcomeOf } from './errors.js';
import { commentDue, commentOnPullRequest } from './github.js';
import { readInputs, SECRET_INPUTS, normalisePrivateKey, type Config } from './inputs.js';
import type { Logger, Provenance } from './operations/context.js';
import { OPERATIONS } from './operations/index.js';
import { outputsOf } from './report/outputs.js';
import { cutList, plural } from './report/format.js';
import { renderSummary } from './report/summary.js';
import { md, plain, plainLines } from './report/text.js';
import type { OperationResult } from './result.js';
import { ACTION_VERSION } from './version.js';
import { systemClock, type Clock } from './wait.js';

export interface RunOptions {
  /** Aborted on SIGINT/SIGTERM: waits stop and the step reports `cancelled`. */
  signal?: AbortSignal;
  clock?: Clock;
}

const masked = new Set<string>();

/** Masks a secret, line by line too: the runner matches masks per log line. */
export function maskSecret(value: string): void {
  const text = value.trim();
  const lines = text.split(/\r?\n|\\n/).map((line) => line.trim());
  for (const part of [
    text,
    ...lines.filter((line) => line.length >= 8 && !/^-----(BEGIN|END) /.test(line)),
  ]) {
    if (!part || masked.has(part)) continue;
    masked.add(part);
    core.setSecret(part);
  }
}

const logger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  error: (message, title) => core.error(message, title ? { title } : undefined),
  group: (name, fn) => core.group(name, fn),
};

/** Loaded only when a package needs it: Octokit and its HTTP stack cost start-up time every other step. */
async function provenance(): Promise<Provenance> {
  const { context } = await import('@actions/github');
  const repository = process.env.GITHUB_REPOSITORY;
  return {
    repository,
    sha: context.sha,
    ref: context.ref,
    workflow: context.workflow,
    runUrl:
      repository && context.runId
        ? `${context.serverUrl}/${repository}/actions/runs/${context.runId}`
        : undefined,
  };
}

function setOutputs(result: OperationResult): void {
  for (const [name, value] of Object.entries(outputsOf(result))) core.setOutput(name, value);
}

async function writeSummary(text: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(text, true).write();
  } catch (error) {
    core.warning(`The job summary could not be written: ${plain((error as Error).message)}`);
  }
}

async function failInputs(errors: string[]): Promise<void> {
  core.setOutput('outcome', 'failed');
  const count = plural(errors.length, 'input error');
  // A map file with thousands of bad entries must not make a failure message or a summary GitHub drops.
  const shown = cutList(errors, { max: 100, chars: 20_000 });
  const message = `${count}, nothing was sent to Workfront:\n${shown.map((e) => `- ${e}`).join('\n')}`;
  if (core.getInput('summary').trim().toLowerCase() !== 'false') {
    await writeSummary(
      `### ❌ ${count}, nothing was sent to Workfront\n\n${shown.map((e) => `- ${md(e, 1000)}`).join('\n')}\n`,
    );
  }
  core.setFailed(message);
}

export async function run(options: RunOptions = {}): Promise<void> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name);
    maskSecret(value);
    if (name === 'private-key') maskSecret(normalisePrivateKey(value));
  }
  const { config, errors, warnings } = readInputs((name) => core.getInput(name));
  for (const warning of warnings) core.warning(warning);
  if (!config) return failInputs(errors);

  const result: OperationResult = {
    operation: config.operation,
    outcome: 'succeeded',
    changed: false,
    target: { url: config.url, host: config.api.host, kind: config.environmentKind },
    // Known from the start: a run cancelled or failed before the first answer still reports it.
    package: config.packageId && config.operation !== 'list' ? { id: config.packageId } : undefined,
    warnings: [],
    notes: [],
    phases: [],
    startedAt,
  };
  await execute(config, result, clock, options.signal);
  result.endedAt = clock.now();

  setOutputs(result);
  for (const warning of result.warnings) core.warning(plain(warning, 2000));
  for (const note of result.notes) core.notice(plain(note, 2000));
  if (config.summary) await writeSummary(renderSummary(result, clock.now()));
  if (commentDue(config, process.env)) {
    await commentOnPullRequest(config, result, {
      env: process.env,
      now: clock.now(),
      log: logger,
      signal: options.signal,
    });
  }
  if (result.outcome !== 'succeeded' && result.outcome !== 'skipped') {
    core.setFailed(result.error ?? `The step ended ${result.outcome}`);
  }
}

async function execute(
  config: Config,
  result: OperationResult,
  clock: Clock,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = result.startedAt + config.timeoutMs;
  const api = createClient({
    baseUrl: config.api,
    auth: config.credential,
    version: ACTION_VERSION,
    deadline,
    signal,
    log: (level, message) =>
      level === 'debug'
        ? core.debug(message)
        : level === 'warning'
          ? core.warning(message)
          : core.info(message),
    onSecret: maskSecret,
    now: () => clock.now(),
  });
  core.info(`Workfront ${config.api.base} (${config.environmentKind}), operation ${config.operation}`);
  try {
    await OPERATIONS[config.operation]({
      config,
      api,
      clock,
      log: logger,
      signal,
      deadline,
      result,
      publish: () => setOutputs(result),
      tempDir: process.env.RUNNER_TEMP || tmpdir(),
      provenance,
    });
  } catch (error) {
    result.outcome = signal?.aborted ? 'cancelled' : outcomeOf(error);
    result.error = plainLines(error instanceof Error ? error.message : String(error));
  }
}

// Orchestration: inputs → operation → outputs and summary. The only place that sets outputs or fails the step.
import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { secretForms } from './api/redact.js';
import { execute } from './execute.js';
import { commentDue, commentOnPullRequest } from './github.js';
import { normalisePrivateKey, parseBoolean, readInputs, SECRET_INPUTS } from './inputs.js';
import type { Logger, Provenance } from './operations/context.js';
import { outputsOf } from './report/outputs.js';
import { cutList, plural } from './report/format.js';
import { renderSummary } from './report/summary.js';
import { md, outputValue, plain, plainLines, registerSecret } from './text.js';
import type { OperationResult } from './result.js';
import { ACTION_VERSION } from './version.js';
import { systemClock, type Clock } from './clock.js';
import { youngGenerationNote } from './heap.js';

export interface RunOptions {
  /** Aborted on SIGINT/SIGTERM: waits stop and the step reports `cancelled`. */
  signal?: AbortSignal;
  clock?: Clock;
}

const masked = new Set<string>();

/** Masks a secret in each of its forms (line by line too: the runner matches masks per log line). */
function maskSecret(value: string): void {
  registerSecret(value);
  // A secret shorter than a form (an api-key of 3 characters) is still masked whole.
  for (const form of new Set([value.trim(), ...secretForms(value)])) {
    if (!form || masked.has(form)) continue;
    masked.add(form);
    core.setSecret(form);
  }
}

/** Long enough for a debug line with a 2,000-character body excerpt and its request line. */
const LOG_LINE_CHARS = 8000;
/** Every log line passes here: whatever server text a caller left in it, it forms no workflow command. */
const line = (message: string) => plain(message, LOG_LINE_CHARS);

const logger: Logger = {
  info: (message) => core.info(line(message)),
  warning: (message) => core.warning(line(message)),
  debug: (message) => core.debug(line(message)),
  error: (message, title) =>
    core.error(plainLines(message, LOG_LINE_CHARS), title ? { title: plain(title, 200) } : undefined),
  group: (name, fn) => core.group(line(name), fn),
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

/**
 * Outputs on one line each. While the step runs (`provisional`), `outcome` says failed: a process that dies
 * before its report then exits non-zero with outputs that agree.
 */
function setOutputs(result: OperationResult, provisional = false): void {
  const outputs = outputsOf(provisional ? { ...result, outcome: 'failed' } : result);
  // Without GITHUB_OUTPUT (an old runner), core prints `::set-output` on the log: a log line then.
  const value = process.env.GITHUB_OUTPUT ? outputValue : (text: string) => plain(text, Infinity);
  for (const [name, text] of Object.entries(outputs)) core.setOutput(name, value(text));
}

async function writeSummary(text: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(text, true).write();
  } catch (error) {
    core.warning(`The job summary could not be written: ${plain((error as Error).message)}`);
  }
}

/** Before (or without) a Config: an unreadable `summary` is taken as its default, true. */
const summaryWanted = () => parseBoolean(core.getInput('summary'), true) !== false;

async function failInputs(errors: string[]): Promise<void> {
  core.setOutput('outcome', 'failed');
  const count = plural(errors.length, 'input error');
  // A map file with thousands of bad entries must not make a failure message or a summary GitHub drops.
  const shown = cutList(errors, { max: 100, chars: 20_000 });
  const message = `${count}, nothing was sent to Workfront:\n${shown.map((e) => `- ${plainLines(e, 2000)}`).join('\n')}`;
  if (summaryWanted()) {
    await writeSummary(
      `### ❌ ${count}, nothing was sent to Workfront\n\n${shown.map((e) => `- ${md(e, 1000)}`).join('\n')}\n`,
    );
  }
  core.setFailed(message);
}

/**
 * The step's guard: whatever throws (a bug, or an answer no check foresaw), the step ends failed with its
 * outputs and a summary, and `outcome` agrees with the exit code.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  try {
    await runStep(options);
  } catch (error) {
    await reportCrash(error);
  }
}

/** Reports an error that escaped every other handler; never throws, whichever of its own steps fails. */
export async function reportCrash(error: unknown): Promise<void> {
  const message = `The action stopped on an unexpected error: ${plain(error instanceof Error ? error.message : String(error), 1000)}. Whether anything changed in Workfront is in the log above`;
  const attempt = (step: () => void) => {
    try {
      step();
    } catch {
      // The report goes on with what can still be written.
    }
  };
  attempt(() => core.debug(plain((error as Error | undefined)?.stack ?? '', LOG_LINE_CHARS)));
  attempt(() => core.setOutput('outcome', 'failed'));
  if (summaryWanted()) await writeSummary(`### ❌ Unexpected error\n\n${md(message, 1200)}\n`);
  attempt(() => core.setFailed(message));
  process.exitCode = 1;
}

async function runStep(options: RunOptions): Promise<void> {
  const clock = options.clock ?? systemClock;
  core.debug(youngGenerationNote());
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name);
    maskSecret(value);
    if (name === 'private-key') maskSecret(normalisePrivateKey(value));
  }
  const { config, errors, warnings } = readInputs((name) => core.getInput(name));
  for (const warning of warnings) core.warning(plain(warning, 2000));
  if (!config) return failInputs(errors);

  const result = await execute(config, {
    clock,
    log: logger,
    version: ACTION_VERSION,
    signal: options.signal,
    tempDir: process.env.RUNNER_TEMP || tmpdir(),
    provenance,
    publish: (sofar) => setOutputs(sofar, true),
    onSecret: maskSecret,
  });

  // Rendered before any output is set: a summary that cannot be rendered changes nothing else.
  const summary = config.summary ? summaryOf(result, clock.now()) : undefined;
  setOutputs(result);
  for (const warning of result.warnings) core.warning(plain(warning, 2000));
  for (const note of result.notes) core.notice(plain(note, 2000));
  if (summary !== undefined) await writeSummary(summary);
  if (commentDue(config, process.env)) {
    await commentOnPullRequest(config, result, {
      env: process.env,
      now: clock.now(),
      log: logger,
      signal: options.signal,
    });
  }
  if (result.outcome !== 'succeeded' && result.outcome !== 'skipped') {
    core.setFailed(plainLines(result.error ?? `The step ended ${result.outcome}`));
  }
}

/** The summary, or, should rendering fail, its verdict and the error in a few lines. */
function summaryOf(result: OperationResult, now: number): string {
  try {
    return renderSummary(result, now);
  } catch (error) {
    const why = plain(error instanceof Error ? error.message : String(error), 300);
    core.warning(`The job summary could not be rendered in full (${why}); it shows the outcome only`);
    const lines = [`### Workfront ${result.operation}: ${result.outcome}`, ''];
    if (result.package?.id) lines.push(`Package ${md(result.package.id, 64)}`, '');
    if (result.error) lines.push(`> ${md(result.error, 2000)}`, '');
    return lines.join('\n');
  }
}

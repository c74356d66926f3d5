// Runs the bundled action the way the runner does: a node process, INPUT_* variables (hyphens kept),
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, RUNNER_TEMP.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration } from '../../src/duration.js';
import { scratchDir } from '../scratch.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = join(ROOT, 'dist/index.js');

/** The chunks `dist/index.js` loads itself (the run, loaded after heap.ts), by file name; not the lazy ones. */
export function chunksLoadedBy(entry: string): string[] {
  const text = readFileSync(entry, 'utf8');
  return [...new Set([...text.matchAll(/__nccwpck_require__\.e\((\d+)\)/g)].map((m) => `${m[1]}.index.js`))];
}
/** The Node that runs the bundle: Node 24 when global-setup.ts found one (as the runner does), else Jest's. */
export const ACTION_NODE = process.env.WORKFRONT_ACTION_NODE || process.execPath;

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** RUNNER_TEMP of the run, where the action writes its files. */
  temp: string;
  /** Every file the run wrote into RUNNER_TEMP, by name. */
  files: Record<string, string>;
  elapsedMs: number;
  /** When SIGTERM was sent, in ms since the start; undefined when it was not. */
  terminatedAtMs?: number;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Sends SIGTERM this long after the start. */
  terminateAfterMs?: number;
  /** Sends SIGTERM when stdout first matches. */
  terminateWhen?: RegExp;
  /** SIGKILL after this long; by default killAfterMs(inputs). */
  timeoutMs?: number;
  /** Another build of the action than dist/index.js. */
  bundle?: string;
}

/** Parses the GITHUB_OUTPUT file (`name<<delimiter` blocks); the last value of a name wins. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
    outputs[name] = value.join('\n');
  }
  return outputs;
}

/** Starting Node, loading the bundle and writing the report after the step's timeout, on a busy machine. */
const START_AND_REPORT_MS = 30_000;

/**
 * When a run that has not ended is killed: the action ends itself at its `timeout` input, so a run gets that
 * and START_AND_REPORT_MS; without the input (the action's default is 30 min), a minute, which no test that
 * sets none needs.
 */
export function killAfterMs(inputs: Record<string, string>): number {
  const timeout = inputs.timeout === undefined ? null : parseDuration(inputs.timeout);
  return (timeout ?? 30_000) + START_AND_REPORT_MS;
}

export function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const temp = scratchDir('action-run');
  const outputFile = join(temp, 'output');
  const summaryFile = join(temp, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const runnerTemp = join(temp, 'runner-temp');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    GITHUB_REPOSITORY: 'acme/workfront-config',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'Promote',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(ACTION_NODE, [options.bundle ?? BUNDLE], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let terminatedAtMs: number | undefined;
    const terminate = () => {
      if (terminatedAtMs === undefined) {
        terminatedAtMs = Date.now() - started;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (options.terminateWhen?.test(stdout)) terminate();
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timers = [
      setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? killAfterMs(inputs)),
      ...(options.terminateAfterMs ? [setTimeout(terminate, options.terminateAfterMs)] : []),
    ];
    child.on('error', reject);
    child.on('close', (code, signal) => {
      timers.forEach(clearTimeout);
      const files: Record<string, string> = {};
      try {
        for (const name of readdirSync(runnerTemp))
          files[name] = readFileSync(join(runnerTemp, name), 'utf8');
      } catch {
        // the run wrote no file
      }
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        temp: runnerTemp,
        files,
        elapsedMs: Date.now() - started,
        terminatedAtMs,
      });
    });
  });
}

/** Everything a run makes visible: log lines (the mask commands aside), outputs, summary, written files. */
export function visibleText(run: ActionRun): string {
  return [
    run.stdout.replace(/^::add-mask::.*$/gm, ''),
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs),
    ...Object.values(run.files),
  ].join('\n');
}

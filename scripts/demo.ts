// `npm run demo`: a whole release through the bundled action, against the local simulator, as a runner runs it.
//
// The story of a release: build from examples/object-collections.yml in the Preview sandbox → TESTING →
// plan and install into the Custom Refresh sandbox (the records are created there) → ACTIVE, guarded by
// expected-status → plan production with examples/overrides.yml (targets by name) → install exactly that
// plan, signed in with Workfront's OAuth2 JWT flow → the same install again, skipped → the map file changed
// (the dashboard no longer ignored) → installed again, with a notice saying why.
//
// Options: --node <binary> runs the action on another Node (CI passes Node 24); --out <dir> (default
// demo-output/) receives every job summary as summary.md and summary.html, and pr-comment.md: the comment the
// production plan and install keep on their pull request (posted to a local stand-in for GitHub's API).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { marked } from 'marked';
import { startFakeGitHub, type FakeGitHub } from '../simulator/github.js';
import { startSimulator, type EnvKey, type Simulator } from '../simulator/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    node: { type: 'string', default: process.execPath },
    out: { type: 'string', default: 'demo-output' },
  },
});

interface Step {
  title: string;
  env: EnvKey;
  inputs: Record<string, string>;
  /** Signs in with the JWT flow instead of the API key. */
  oauth?: boolean;
  /** Runs as on a pull_request event: the step keeps its comment on pull request #1. */
  pullRequest?: boolean;
  /** Outputs the story depends on: the demo fails when the action does otherwise. */
  expect?: Record<string, (value: string) => boolean>;
}

const nonZero = (value: string) => Number(value) > 0;
const is = (expected: string) => (value: string) => value === expected;

interface StepRun {
  code: number | null;
  outputs: Record<string, string>;
  summary: string;
  log: string;
  ms: number;
}

/** Reads the GITHUB_OUTPUT file: `name<<delimiter`, value lines, delimiter. */
function readOutputs(path: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]);
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}

/** Runs dist/index.js exactly as the runner does: INPUT_* variables, output and summary files. */
function runAction(sim: Simulator, github: FakeGitHub, step: Step, work: string): Promise<StepRun> {
  const dir = mkdtempSync(join(work, 'step-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), temp: join(dir, 'temp') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  mkdirSync(files.temp);
  const { oauth } = sim.credentials;
  const credential: Record<string, string> = step.oauth
    ? {
        'client-id': oauth.clientId,
        'client-secret': oauth.clientSecret,
        'private-key': oauth.privateKeyPem,
        'customer-id': oauth.customerId,
        'user-id': oauth.userId,
      }
    : { 'api-key': sim.credentials.apiKey };
  const inputs: Record<string, string> = {
    url: sim.environments[step.env].url,
    'environment-kind': sim.environments[step.env].kind,
    'poll-interval': '1s',
    ...credential,
    ...step.inputs,
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.temp,
    GITHUB_REPOSITORY: 'acme/workfront-config',
    GITHUB_SHA: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'Release',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
  };
  if (step.pullRequest) {
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ number: 1, pull_request: { number: 1 } }));
    Object.assign(env, {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_API_URL: github.apiUrl,
    });
    inputs['github-token'] = github.token;
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(args.node as string, [join(ROOT, 'dist/index.js')], { cwd: ROOT, env });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    child.on('error', fail);
    child.on('close', (code) =>
      done({
        code,
        outputs: readOutputs(files.output),
        summary: readFileSync(files.summary, 'utf8'),
        log,
        ms: Date.now() - started,
      }),
    );
  });
}

/** examples/overrides.yml without its PTLTAB block: a change a reviewer merges after the first release. */
function changedMapFile(work: string): string {
  const path = join(work, 'overrides-dashboard-included.yml');
  const text = readFileSync(join(ROOT, 'examples/overrides.yml'), 'utf8');
  const changed = text.replace(/^PTLTAB:\n(?:[ #].*\n?)*/m, '');
  if (changed === text) throw new Error('examples/overrides.yml has no PTLTAB block to drop');
  writeFileSync(path, changed);
  return path;
}

/** Outputs printed after each step: all that are set, but the JSON and the files of the runner's temp folder. */
const HIDDEN = new Set(['result', 'translation-map-file', 'definition-file']);

async function main(): Promise<void> {
  const out = resolve(ROOT, args.out as string);
  const work = mkdtempSync(join(tmpdir(), 'workfront-demo-'));
  const sim = await startSimulator({ assemblyMs: 1500, installMs: 2500 });
  const github = await startFakeGitHub();
  const summaries: string[] = [];
  const started = Date.now();
  try {
    console.log(
      `Workfront simulator: production ${sim.environments.production.url}, Preview sandbox ${sim.environments.preview.url}, Custom Refresh sandbox ${sim.environments.sandbox.url}`,
    );
    console.log(`Action: dist/index.js on ${args.node}\n`);
    const outputs: Record<string, string>[] = [];
    const steps: Array<(previous: Record<string, string>[]) => Step> = [
      () => ({
        title: 'Build the package in the Preview sandbox and move it to TESTING',
        env: 'preview',
        inputs: {
          operation: 'create',
          name: 'Agency onboarding 2026.11',
          'object-collections-file': 'examples/object-collections.yml',
          status: 'TESTING',
        },
      }),
      ([built]) => ({
        title: 'Plan the installation into the Custom Refresh sandbox',
        env: 'sandbox',
        inputs: { operation: 'prepare', 'package-id': built['package-id'] },
      }),
      ([built, plan]) => ({
        title: 'Install the approved plan into the Custom Refresh sandbox: the records are created',
        env: 'sandbox',
        expect: { 'created-count': nonZero, skipped: is('false') },
        inputs: {
          operation: 'install',
          'package-id': built['package-id'],
          'expected-plan': plan['plan-hash'],
        },
      }),
      ([built]) => ({
        title: 'Release: TESTING → ACTIVE, only from TESTING',
        env: 'production',
        inputs: {
          operation: 'transition',
          'package-id': built['package-id'],
          status: 'ACTIVE',
          'expected-status': 'TESTING',
        },
      }),
      ([built]) => ({
        title: 'Plan production with the map file, its targets named',
        env: 'production',
        pullRequest: true,
        inputs: {
          operation: 'prepare',
          'package-id': built['package-id'],
          'map-file': 'examples/overrides.yml',
          'deny-actions': 'CREATEWITHALTNAME',
        },
      }),
      ([built, , , , plan]) => ({
        title: 'Install exactly that plan into production (OAuth2 JWT sign-in)',
        env: 'production',
        oauth: true,
        pullRequest: true,
        inputs: {
          operation: 'install',
          'package-id': built['package-id'],
          'map-file': 'examples/overrides.yml',
          'deny-actions': 'CREATEWITHALTNAME',
          'expected-plan': plan['plan-hash'],
        },
      }),
      ([built]) => ({
        title: 'The same install again: skipped',
        env: 'production',
        expect: { skipped: is('true') },
        inputs: {
          operation: 'install',
          'package-id': built['package-id'],
          'map-file': 'examples/overrides.yml',
        },
      }),
      ([built]) => ({
        title: 'The map file changed (the dashboard is no longer ignored): installed again',
        env: 'production',
        expect: { skipped: is('false'), 'ignored-count': is('0') },
        inputs: {
          operation: 'install',
          'package-id': built['package-id'],
          'map-file': changedMapFile(work),
        },
      }),
    ];
    for (const [index, make] of steps.entries()) {
      const step = make(outputs);
      console.log(`── ${index + 1}. ${step.title}`);
      console.log(`   operation: ${step.inputs.operation} → ${step.env} (${sim.environments[step.env].url})`);
      const run = await runAction(sim, github, step, work);
      outputs.push(run.outputs);
      summaries.push(`## ${index + 1}. ${step.title}\n\n${run.summary}`);
      for (const [name, value] of Object.entries(run.outputs)) {
        if (value && !HIDDEN.has(name)) console.log(`   ${name.padEnd(20)}${value}`);
      }
      console.log(`   (${(run.ms / 1000).toFixed(1)} s, exit ${run.code})\n`);
      if (run.code !== 0) {
        console.error(run.log);
        throw new Error(`step ${index + 1} failed with exit code ${run.code}`);
      }
      for (const [name, holds] of Object.entries(step.expect ?? {})) {
        if (!holds(run.outputs[name] ?? ''))
          throw new Error(
            `step ${index + 1}: output ${name} is "${run.outputs[name] ?? ''}", not what the story needs`,
          );
      }
    }
    const counts = sim.counts();
    console.log(
      `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts.requests} requests, ${counts.packagesCreated} package created, ${counts.installationsStarted} installations started.`,
    );
  } finally {
    await Promise.all([sim.stop(), github.stop()]);
    rmSync(work, { recursive: true, force: true });
    const [comment] = github.comments(1);
    if (comment) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'pr-comment.md'), comment.body);
      console.log(`Pull-request comment: ${join(args.out as string, 'pr-comment.md')}`);
    }
    if (summaries.length) {
      mkdirSync(out, { recursive: true });
      const markdown = `# Release demo: the job summaries\n\n${summaries.join('\n\n---\n\n')}`;
      writeFileSync(join(out, 'summary.md'), markdown);
      const body = await marked.parse(markdown);
      writeFileSync(
        join(out, 'summary.html'),
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Release demo</title>\n<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}code{background:#f4f4f4}blockquote{border-left:4px solid #ddd;margin:0;padding:0 1rem;color:#444}</style></head>\n<body>\n${body}</body></html>\n`,
      );
      console.log(`Job summaries: ${join(args.out as string, 'summary.md')} and summary.html`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

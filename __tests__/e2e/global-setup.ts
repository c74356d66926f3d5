// The end-to-end tests run dist/index.js: rebuild it first when a source file is newer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Jest loads this file outside its module mapper: no project imports here.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = join(ROOT, 'dist/index.js');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Set to the Node binary that runs dist/index.js in the end-to-end tests (harness.ts reads it). */
const ACTION_NODE = 'WORKFRONT_ACTION_NODE';

/**
 * The action runs on Node 24 (action.yml, `runs.using: node24`): so do the bundled-action tests when a Node 24
 * is at hand, the one of `npx node@24` from npm's cache (CI fetches it first, see .ci/run), without the network.
 * Elsewhere they run on the Node that runs Jest, and say so; in CI a missing Node 24 is an error.
 */
function actionNode(): string {
  const given = process.env[ACTION_NODE];
  if (given) return given;
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  try {
    return execFileSync('npx', ['--offline', '-y', 'node@24', '-p', 'process.execPath'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    if (process.env.CI)
      throw new Error(`CI runs the bundled action on Node 24: set ${ACTION_NODE} or cache node@24`);
    console.log(
      `\nNo Node 24 in npm's cache: the bundled action runs on Node ${process.version} (npx -y node@24 fetches one)`,
    );
    return process.execPath;
  }
}

export default function globalSetup(): void {
  // One folder for every temporary file of the run, removed by global-teardown.ts.
  process.env.WORKFRONT_TESTS_TMP ??= mkdtempSync(join(tmpdir(), 'workfront-tests-'));
  const node = actionNode();
  process.env[ACTION_NODE] = node;
  const version = execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
  console.log(`\nThe bundled-action tests run dist/index.js on Node ${version} (${ACTION_NODE})`);
  const sources = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'package-lock.json')).mtimeMs);
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  console.log('\nsrc/ is newer than dist/: rebuilding the bundle for the end-to-end tests');
  execFileSync('npm', ['run', 'bundle', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

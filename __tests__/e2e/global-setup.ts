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

export default function globalSetup(): void {
  // One folder for every temporary file of the run, removed by global-teardown.ts.
  process.env.WORKFRONT_TESTS_TMP ??= mkdtempSync(join(tmpdir(), 'workfront-tests-'));
  const sources = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'package-lock.json')).mtimeMs);
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  console.log('\nsrc/ is newer than dist/: rebuilding the bundle for the end-to-end tests');
  execFileSync('npm', ['run', 'bundle', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

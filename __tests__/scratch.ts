// Temporary folders for tests: all under one folder per test run, removed by the global teardown (or, for a
// suite run without it, when its process exits).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set by the global setup, so that every worker shares the run's folder. */
const SCRATCH_ENV = 'WORKFRONT_TESTS_TMP';

let root: string | undefined = process.env[SCRATCH_ENV];

/** A new empty folder, kept until the run ends (outputs that name files in it stay readable till then). */
export function scratchDir(prefix: string): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), 'workfront-tests-'));
    root = made;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, `${prefix}-`));
}

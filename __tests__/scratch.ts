// Temporary folders for tests: all under one folder per test process, removed when the process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

/** A new empty folder, gone when the test process ends (outputs that name files in it stay readable till then). */
export function scratchDir(prefix: string): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), 'workfront-tests-'));
    root = made;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, `${prefix}-`));
}

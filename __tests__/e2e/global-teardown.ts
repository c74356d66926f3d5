// Removes the run's temporary folder made by global-setup.ts.
import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const dir = process.env.WORKFRONT_TESTS_TMP;
  if (dir) rmSync(dir, { recursive: true, force: true });
}

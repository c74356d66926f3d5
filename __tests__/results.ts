// An operation's result as the report functions get it, for the tests of the summary, verdict and comment.
import type { OperationResult } from '../src/result.js';

/** A succeeded install of package p1 into production, changed by `changes`. */
export function installResult(changes: Partial<OperationResult> = {}): OperationResult {
  return {
    operation: 'install',
    outcome: 'succeeded',
    changed: true,
    target: { url: 'https://acme.my.workfront.com', host: 'acme.my.workfront.com', kind: 'production' },
    package: { id: 'p1', name: 'Agency onboarding', version: 2, status: 'ACTIVE' },
    warnings: [],
    notes: [],
    phases: [],
    startedAt: 0,
    ...changes,
  };
}

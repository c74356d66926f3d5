// Failures the action itself decides (a guard, a status, a timeout), as values with a kind and a hint.
import { isWorkfrontError, type ErrorKind } from './api/errors.js';
import type { Outcome } from './result.js';

export class StepError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind | 'guard' | 'failed',
    readonly outcome: Outcome = 'failed',
  ) {
    super(message);
    this.name = 'StepError';
  }
}

/** The outcome a thrown error stands for. */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof StepError) return error.outcome;
  if (isWorkfrontError(error) && error.kind === 'cancelled') return 'cancelled';
  return 'failed';
}

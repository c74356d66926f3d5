// What an operation hands back: the only thing outputs and the summary are made from.
import type { Installation, PromotionPackage } from './api/types.js';
import type { EnvironmentKind } from './environment.js';
import type { Operation } from './inputs.js';
import type { AppliedOverrides, Counts, DependentIgnore, MapRecord } from './translation-map.js';

export type Outcome = 'succeeded' | 'failed' | 'timed-out' | 'skipped' | 'cancelled';

export interface Phase {
  name: string;
  startedAt: number;
  endedAt?: number;
  /** What the phase ended with, in a few words. */
  detail?: string;
}

export interface OperationResult {
  operation: Operation;
  outcome: Outcome;
  /** Why the step failed, timed out or was cancelled, hint included. */
  error?: string;
  changed: boolean;
  target: { url: string; host: string; kind: EnvironmentKind };
  package?: PromotionPackage;
  previousStatus?: string;
  installationId?: string;
  installation?: Installation;
  records?: MapRecord[];
  counts?: Counts;
  skipped?: boolean;
  planHash?: string;
  translationMapFile?: string;
  definitionFile?: string;
  /** `list` */
  packages?: PromotionPackage[];
  /** `installations` */
  installations?: Installation[];
  overrideChanges?: AppliedOverrides['changes'];
  dependents?: DependentIgnore[];
  /** Until when the vendor's UI can roll the installation back (ISO time). */
  rollbackUntil?: string;
  /** Things a person should know: risky overrides, rollback windows, cautions. */
  warnings: string[];
  notes: string[];
  phases: Phase[];
  startedAt: number;
  endedAt?: number;
}

// What a step hands back: the only thing outputs and the summary are made from. execute() builds it from what
// the operation returns (its report, typed per operation) and what it told on the way (progress).
import type { Installation, PromotionPackage } from './api/types.js';
import type { EnvironmentKind } from './environment.js';
import type { Operation } from './config.js';
import type { TargetNames } from './names.js';
import type {
  AppliedOverrides,
  Counts,
  DependentIgnore,
  MapRecord,
  RecordDifference,
} from './translation-map.js';

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
  /** Names of the map-file targets looked up in the target: objCode → target id → name. */
  targetNames?: TargetNames;
  dependents?: DependentIgnore[];
  /** `install`: the earlier installation of this version that skip-if-installed did not take as done, and why. */
  notSkipped?: {
    installationId: string;
    status?: string;
    /** Its records that ended FAILED. */
    failedRecords: number;
    /** The records the map file now treats differently from it. */
    differences: RecordDifference[];
  };
  /** `install`: until when (ISO time) the vendor's UI can roll this deployment back: 24 h after the install request. */
  rollbackUntil?: string;
  /** The latest deployment in the target, of the last 24 h, whose rollback window this install ends (or would). */
  endsRollbackOf?: { installationId: string; at: string };
  /** Things a person should know: risky overrides, rollback windows, cautions. */
  warnings: string[];
  notes: string[];
  phases: Phase[];
  startedAt: number;
  endedAt?: number;
}

/** What create, update, transition, replace and delete report: whether they changed the package, and from what. */
export type ChangeReport = Pick<OperationResult, 'changed'> & Pick<OperationResult, 'previousStatus'>;

/** What prepare, install and installation report: the plan or the installation's records, and their guards. */
export type PlanReport = Partial<
  Pick<
    OperationResult,
    | 'changed'
    | 'records'
    | 'counts'
    | 'skipped'
    | 'planHash'
    | 'translationMapFile'
    | 'overrideChanges'
    | 'targetNames'
    | 'dependents'
    | 'notSkipped'
    | 'rollbackUntil'
    | 'endsRollbackOf'
  >
>;

/** The report of each operation, the fields of the result it alone fills in. */
export interface Reports {
  create: ChangeReport;
  update: ChangeReport;
  transition: ChangeReport;
  prepare: PlanReport;
  install: PlanReport;
  get: Record<string, never>;
  definition: Pick<OperationResult, 'definitionFile'>;
  list: Pick<OperationResult, 'packages'>;
  installations: Pick<OperationResult, 'installations'>;
  installation: PlanReport;
  replace: ChangeReport;
  delete: ChangeReport;
}

// The validated inputs, typed per operation: what readInputs (inputs.ts) makes and each operation runs on.
// Types only, so that inputs.ts and the operations' descriptors can both import it without a cycle.
import type { Credential } from './api/auth.js';
import type { PackageStatus, TranslationAction, UserStatus } from './api/types.js';
import type { ApiBase } from './api/url.js';
import type { EnvironmentKind } from './environment.js';
import type { CollectionInput } from './object-collections.js';
import type { MapOverrides } from './translation-map.js';

export type PrComment = 'auto' | 'off';

/** What every operation is given, whichever it is. */
export interface BaseConfig {
  url: string;
  api: ApiBase;
  credential: Credential;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  environmentKind: EnvironmentKind;
  /** Where the kind came from: the input, or the host under `auto`. */
  environmentKindSource: 'input' | 'host';
  summary: boolean;
  /** `v21.0`: the core API (`/attask/api/{version}`) that resolves names and checks target ids. */
  coreApiVersion: string;
  /** `auto`: prepare and install keep a comment on the pull request of a pull_request event. */
  prComment: PrComment;
  /** For the pull-request comment; a credential, masked like the others. */
  githubToken?: string;
}

/** An operation on one existing package. */
interface OnePackage {
  packageId: string;
}

/** A change to a package, refused unless its status is one of these. */
export interface Guarded extends OnePackage {
  expectedStatus?: PackageStatus[];
}

interface Collections {
  description?: string;
  /** Explicit `source`, or `url` without the API path. */
  source: string;
}

export interface CreateConfig extends BaseConfig, Collections {
  operation: 'create';
  name: string;
  /** Entries may name their object instead of giving its id: resolved before create (names.ts). */
  objectCollections: CollectionInput[];
  /** Moved to once assembled. */
  status?: UserStatus;
}

export interface UpdateConfig extends BaseConfig, Guarded, Collections {
  operation: 'update';
  name?: string;
  objectCollections?: CollectionInput[];
}

export interface TransitionConfig extends BaseConfig, Guarded {
  operation: 'transition';
  status: UserStatus;
}

/** prepare and install: a plan from a pre-run or a translation map, its guards, and how an install ends. */
export interface PlanConfig extends BaseConfig, Guarded {
  operation: 'prepare' | 'install';
  /** A pre-run to plan from (prepare) or to install (install). */
  installationId?: string;
  mapFile?: string;
  overrides?: MapOverrides;
  expectedPlan?: string;
  denyActions: TranslationAction[];
  failOnRecordFailure: boolean;
  skipIfInstalled: boolean;
  ignoreDependents: boolean;
}

export interface GetConfig extends BaseConfig, OnePackage {
  operation: 'get' | 'installations';
}

export interface DefinitionConfig extends BaseConfig, OnePackage {
  operation: 'definition';
  definitionFile?: string;
}

export interface ListConfig extends BaseConfig {
  operation: 'list';
  /** `*` matches any run of characters. */
  name?: string;
  /** Any status, the system's included. */
  status?: PackageStatus;
}

export interface InstallationConfig extends BaseConfig {
  operation: 'installation';
  installationId: string;
  failOnRecordFailure: boolean;
}

export interface ReplaceConfig extends BaseConfig, Guarded {
  operation: 'replace';
  definitionFile: string;
  /** The body read from `definition-file`. */
  replaceBody: Record<string, unknown>;
}

export interface DeleteConfig extends BaseConfig, Guarded {
  operation: 'delete';
  confirmDelete: string;
}

export type Config =
  | CreateConfig
  | UpdateConfig
  | TransitionConfig
  | PlanConfig
  | GetConfig
  | DefinitionConfig
  | ListConfig
  | InstallationConfig
  | ReplaceConfig
  | DeleteConfig;

export type Operation = Config['operation'];

/** The config of one operation (prepare and install share theirs). */
export type ConfigOf<O extends Operation> = Config extends infer C
  ? C extends { operation: infer K }
    ? O extends K
      ? C
      : never
    : never
  : never;

/** The inputs that belong to some operations only: each operation's descriptor says which it needs and uses. */
export type OperationInput =
  | 'package-id'
  | 'installation-id'
  | 'status'
  | 'expected-status'
  | 'name'
  | 'description'
  | 'source'
  | 'object-collections'
  | 'object-collections-file'
  | 'map-file'
  | 'definition-file'
  | 'expected-plan'
  | 'deny-actions'
  | 'confirm-delete'
  | 'core-api-version';

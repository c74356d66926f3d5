// The API's own shapes, normalised: modern field names and statuses whatever revision answered.

export const USER_STATUSES = ['DRAFT', 'TESTING', 'ACTIVE', 'DISABLED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const SYSTEM_STATUSES = ['ASSEMBLING', 'ASSEMBLING_FAILED', 'UNASSEMBLED'] as const;
export type PackageStatus = UserStatus | (typeof SYSTEM_STATUSES)[number];

export const TRANSLATION_ACTIONS = [
  'CREATE',
  'USEEXISTING',
  'IGNORE',
  'OVERWRITING',
  'CREATEWITHALTNAME',
] as const;
export type TranslationAction = (typeof TRANSLATION_ACTIONS)[number];

export interface EntityRef {
  ID: string;
  name?: string;
}

export interface ObjectCollection {
  objCode: string;
  entities: EntityRef[];
}

/** One record of a package's definition or display entities: `{id, name, description, …all fields}`. */
export interface PackageEntity {
  id: string;
  name?: string;
  description?: string | null;
  [field: string]: unknown;
}

export type PackageEntities = Record<string, PackageEntity[]>;

export interface PackageMetadata {
  displayOrder?: unknown;
  historyOrder?: unknown;
  installOrder?: string[];
  summaryOrder?: unknown;
  shapeVersion?: unknown;
  [field: string]: unknown;
}

export interface PromotionPackage {
  id: string;
  name?: string;
  description?: string | null;
  source?: string;
  /** Missing in some list answers: read the package by id when it matters. */
  status?: PackageStatus | string;
  version?: number;
  createdAt?: string;
  createdById?: string;
  publishedAt?: string | null;
  retiredAt?: string | null;
  deletedAt?: string | null;
  customerId?: string;
  installationCounts?: Record<string, unknown>;
  packageEntities?: PackageEntities;
  displayEntities?: PackageEntities;
  metadata?: PackageMetadata;
}

export interface PackageDefinition {
  packageEntities: PackageEntities;
  metadata?: PackageMetadata;
  [field: string]: unknown;
}

export interface IndexedEntity {
  objCode: string;
  id: string;
  /** Every id-like string the entity holds (fields, lists, nested objects three levels down), its own id aside. */
  mentions: string[];
}

export interface DefinitionIndex {
  entities: IndexedEntity[];
  /** `metadata.installOrder`: objCodes in the order the installer takes them. */
  installOrder?: string[];
}

export interface TranslationRecord {
  name?: string;
  action: TranslationAction | string;
  isValid?: boolean;
  targetId?: string;
  /** Set on an installation's final map: INSTALLED, REGISTERED or FAILED. */
  installationStatus?: string;
  /** Why a record FAILED. */
  reason?: string;
  [field: string]: unknown;
}

/** `{OBJCODE: {sourceId: record}}` */
export type TranslationMap = Record<string, Record<string, TranslationRecord>>;

export interface Installation {
  id: string;
  environmentPromotionPackageId?: string;
  environmentPromotionPackageVersion?: number;
  userId?: string;
  customerId?: string;
  /** PREPARING, then e.g. INSTALLING, COMPLETED / INSTALLED or FAILED. */
  status?: string;
  /** A host (`acme.my.workfront.com`) or a URL (`https://acme.my.workfront.com`). */
  environment?: string;
  registeredAt?: string;
  updatedAt?: string | null;
  translationMap?: TranslationMap;
}

export interface CreatePackageBody {
  name: string;
  description?: string;
  source: string;
  objectCollections: ObjectCollection[];
}

export interface PatchPackageBody {
  name?: string;
  description?: string;
  status?: UserStatus;
  source?: string;
  version?: number;
  objectCollections?: ObjectCollection[];
  packageEntities?: PackageEntities;
}

export type ReplacePackageBody = Record<string, unknown>;

/**
 * How to find what a POST created when its answer was lost: `find` is asked again until `withinMs` has passed
 * (the time the API may take to show it); only then is the POST sent again.
 */
export interface Lookup<T> {
  find(): Promise<T | undefined>;
  withinMs: number;
}

/** Every endpoint of the API, one method each. */
export interface WorkfrontApi {
  /**
   * `lookup` (for the POSTs below): finds what an attempt whose answer was lost created, so that it is not sent
   * again blindly. Required where a second POST would make a second package or installation; without one, a
   * pre-run whose answer was lost ends the call, and a started pre-run is checked by reading it.
   */
  createPackage(body: CreatePackageBody, lookup: Lookup<PromotionPackage>): Promise<PromotionPackage>;
  listPackages(): Promise<PromotionPackage[]>;
  getPackage(id: string): Promise<PromotionPackage>;
  getDefinition(id: string): Promise<PackageDefinition>;
  /** The definition as dependants are found from it; a large one is never held whole. */
  getDefinitionIndex(id: string): Promise<DefinitionIndex>;
  replacePackage(id: string, body: ReplacePackageBody): Promise<PromotionPackage>;
  updatePackage(id: string, body: PatchPackageBody): Promise<PromotionPackage>;
  deletePackage(id: string): Promise<void>;
  /** The pre-run: a PREPARING installation holding the translation map. */
  prepareInstallation(packageId: string, lookup?: Lookup<Installation>): Promise<Installation>;
  /** Installs a pre-run. */
  installInstallation(installationId: string, lookup?: Lookup<true>): Promise<void>;
  /** Without their translation maps (each as large as the package): read one by id when it is needed. */
  listInstallations(packageId: string): Promise<Installation[]>;
  getInstallation(id: string): Promise<Installation>;
  createTranslationMap(packageId: string): Promise<TranslationMap>;
  /** Installs with a whole translation map; answers the new installation's id. */
  installPackage(packageId: string, translationMap: TranslationMap, lookup: Lookup<string>): Promise<string>;
}

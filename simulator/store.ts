// The customer's state: one package store and installation history shared by all environments, and each
// environment's own records. Assembly, the pre-run compare and installations live here; HTTP does not.
import { randomUUID } from 'node:crypto';
import type {
  ObjectCollection,
  PackageMetadata,
  PackageStatus,
  TranslationMap,
  TranslationRecord,
  UserStatus,
} from '../src/api/types.js';
import { TRANSLATION_ACTIONS } from '../src/api/types.js';
import type { CreateInput, PatchInput } from './bodies.js';
import { isObject } from './bodies.js';
import { objCodeLabel, PROMOTABLE, sortByInstallOrder, UNIQUE_NAME_OBJCODES } from './catalog.js';
import { ApiError } from './errors.js';
import { parentOf, RecordTable, type Reference, type SimRecord } from './records.js';
import { SYSTEM_ONLY, USER_SETTABLE } from './statuses.js';

export type EnvKey = 'production' | 'preview' | 'sandbox';
export const ENV_KEYS: readonly EnvKey[] = ['production', 'preview', 'sandbox'];

export interface EnvironmentInfo {
  key: EnvKey;
  /** The `{environment}` part of a Workfront host: `my`, `preview`, `sb01`. */
  name: string;
  kind: 'production' | 'sandbox';
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  host: string;
  apiBase: string;
  legacyApiBase: string;
}

export interface Environment {
  info: EnvironmentInfo;
  records: RecordTable;
}

/** Settings a test may change while the simulator runs (`control.setOption`). */
export interface Settings {
  /** How long a package stays ASSEMBLING. */
  assemblyMs: number;
  /** How long an installation stays INSTALLING, or a function of its record count. */
  installMs: number | ((recordCount: number) => number);
  /** A finished installation's word: `INSTALLED` (seed 002) or `COMPLETED` (seed 000). */
  completedWord: 'INSTALLED' | 'COMPLETED';
  /** Status of `POST /installations/{id}/install`: 202 (seed 002) or 200 (seed 000). */
  installAnswerStatus: 200 | 202;
  /** An installation's `environment`: `127.0.0.1:PORT` (pre-run example) or `http://127.0.0.1:PORT`. */
  environmentFormat: 'host' | 'url';
  /** Package answers as published in June 2024 (seed 002) or as in the November 2023 pre-release (seed 000). */
  packageShape: 'current' | 'prerelease';
  /** Lifetime of OAuth2 access tokens. */
  tokenLifetimeSec: number;
  /**
   * A package or installation made through the API appears in the package list / the package's installations
   * only this long after it was made (reads by id see it at once), as a replicated store behind a cache would.
   */
  visibilityLagMs: number;
  /** The server's clock runs this far ahead (negative: behind): every time it writes and its `Date` header. */
  clockSkewMs: number;
}

export interface SimPackage {
  id: string;
  name: string;
  description: string | null;
  source: string;
  sourceEnv: EnvKey;
  status: PackageStatus;
  version: number;
  createdAt: string;
  createdById: string;
  publishedAt: string | null;
  retiredAt: string | null;
  customerId: string;
  objectCollections: ObjectCollection[];
  entities: Record<string, SimRecord[]>;
  metadata: PackageMetadata;
  /** Bumped on every (re-)assembly so a stale assembly timer does nothing. */
  assembly: number;
  /** Real epoch ms from which the package list shows it (`visibilityLagMs`). */
  listedFrom: number;
}

export interface SimInstallation {
  id: string;
  packageId: string;
  packageVersion: number;
  userId: string;
  customerId: string;
  status: string;
  env: EnvKey;
  registeredAt: string;
  updatedAt: string | null;
  translationMap: TranslationMap;
  /** Real epoch ms from which the package's installations show it (`visibilityLagMs`). */
  listedFrom: number;
}

export interface Counters {
  packagesCreated: number;
  preRuns: number;
  /** Install requests that started an installation. */
  installationsStarted: number;
  /** Package name → packages created with it (more than 1: a repeated POST). */
  packagesByName: Record<string, number>;
  /** `packageId@host` → installations started (more than 1: installed twice). */
  installationsByTarget: Record<string, number>;
}

type EntityIndex = Map<string, Map<string, SimRecord>>;

const key = (objCode: string, id: string) => `${objCode}\u0000${id}`;
const newRecordId = () => randomUUID().replaceAll('-', '');
const INSTALL_ACTIONS: ReadonlySet<string> = new Set(TRANSLATION_ACTIONS);
const MAX_LISTED = 10;
/** Statuses in which a package's contents may change (re-extraction leaves ASSEMBLING_FAILED). */
const EDITABLE: ReadonlySet<string> = new Set(['DRAFT', 'ASSEMBLING_FAILED', 'UNASSEMBLED']);

function listProblems(problems: string[]): string {
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  return problems.slice(0, MAX_LISTED).join('; ') + more;
}

function indexEntities(entities: Record<string, SimRecord[]>): EntityIndex {
  const index: EntityIndex = new Map();
  for (const [objCode, list] of Object.entries(entities))
    index.set(objCode, new Map(list.map((record) => [record.id, record])));
  return index;
}

function buildMetadata(entities: Record<string, SimRecord[]>, requested: string[]): PackageMetadata {
  const present = sortByInstallOrder(Object.keys(entities).filter((code) => entities[code].length));
  const display = requested.length ? [...new Set(requested)] : present;
  return {
    displayOrder: display,
    historyOrder: present,
    installOrder: present,
    summaryOrder: display,
    shapeVersion: 2,
  };
}

export class Store {
  readonly environments: ReadonlyMap<EnvKey, Environment>;
  readonly packages = new Map<string, SimPackage>();
  readonly installations = new Map<string, SimInstallation>();
  readonly counters: Counters = {
    packagesCreated: 0,
    preRuns: 0,
    installationsStarted: 0,
    packagesByName: {},
    installationsByTarget: {},
  };
  private readonly entityIndexes = new WeakMap<Record<string, SimRecord[]>, EntityIndex>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly settings: Settings,
    readonly identity: { customerId: string; userId: string },
    environments: EnvironmentInfo[],
  ) {
    this.environments = new Map(environments.map((info) => [info.key, { info, records: new RecordTable() }]));
  }

  env(key: EnvKey): Environment {
    const env = this.environments.get(key);
    if (!env) throw new Error(`unknown environment ${key}`);
    return env;
  }

  /** How an installation names its target, per `environmentFormat`. */
  environmentLabel(key: EnvKey): string {
    const { info } = this.env(key);
    return this.settings.environmentFormat === 'url' ? info.url : info.host;
  }

  /**
   * The environment a package's `source` points to: the same host (loopback names alike), else a Workfront
   * host whose `{environment}` label matches (`acme.preview.workfront.com`), else the one the request came
   * through.
   */
  environmentFor(source: string | undefined, via: EnvKey): EnvKey {
    if (!source) return via;
    const url = new URL(source);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    const label = /^[^.]+\.([a-z0-9]+)\.workfront(?:\.adobe)?\.com$/i.exec(url.hostname)?.[1]?.toLowerCase();
    for (const { info } of this.environments.values()) {
      if (url.host === info.host || (loopback && url.port === new URL(info.url).port)) return info.key;
      if (label === info.name) return info.key;
    }
    return via;
  }

  /** Runs `fn` after `ms`; `dispose` cancels whatever is still pending. */
  schedule(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** The server's time, `clockSkewMs` off the real one. */
  private now(): string {
    return new Date(Date.now() + this.settings.clockSkewMs).toISOString();
  }

  /** When something made now by a request shows in lists. */
  private listedFrom(): number {
    return Date.now() + this.settings.visibilityLagMs;
  }

  /** The packages the list shows now. */
  listedPackages(): SimPackage[] {
    const now = Date.now();
    return [...this.packages.values()].filter((pkg) => pkg.listedFrom <= now);
  }

  // Packages

  getPackage(id: string): SimPackage {
    const pkg = this.packages.get(id);
    if (!pkg) throw new ApiError(404, `Package ${id} not found`);
    return pkg;
  }

  entityIndex(pkg: SimPackage): EntityIndex {
    let index = this.entityIndexes.get(pkg.entities);
    if (!index) this.entityIndexes.set(pkg.entities, (index = indexEntities(pkg.entities)));
    return index;
  }

  recordCount(pkg: SimPackage): number {
    return Object.values(pkg.entities).reduce((sum, list) => sum + list.length, 0);
  }

  private newPackage(input: CreateInput, via: EnvKey): SimPackage {
    const sourceEnv = this.environmentFor(input.source, via);
    const pkg: SimPackage = {
      id: randomUUID(),
      name: input.name,
      description: input.description,
      source: input.source ?? this.env(sourceEnv).info.url,
      sourceEnv,
      status: 'DRAFT',
      version: 1,
      createdAt: this.now(),
      createdById: this.identity.userId,
      publishedAt: null,
      retiredAt: null,
      customerId: this.identity.customerId,
      objectCollections: input.objectCollections,
      entities: {},
      metadata: buildMetadata({}, []),
      assembly: 0,
      listedFrom: Date.now(),
    };
    this.packages.set(pkg.id, pkg);
    return pkg;
  }

  /** POST /packages: ASSEMBLING now, DRAFT (or ASSEMBLING_FAILED) after `assemblyMs`; empty: DRAFT at once. */
  createPackage(input: CreateInput, via: EnvKey, extraDelayMs = 0): SimPackage {
    const pkg = this.newPackage(input, via);
    pkg.listedFrom = this.listedFrom();
    this.counters.packagesCreated++;
    this.counters.packagesByName[pkg.name] = (this.counters.packagesByName[pkg.name] ?? 0) + 1;
    if (input.objectCollections.length) this.startAssembly(pkg, extraDelayMs);
    return pkg;
  }

  /** A package assembled at once and put in `status`, for test set-ups; not counted as a request's. */
  makePackage(input: CreateInput, via: EnvKey, status: UserStatus | 'UNASSEMBLED'): SimPackage {
    const pkg = this.newPackage(input, via);
    if (status === 'UNASSEMBLED') {
      pkg.status = status;
      return pkg;
    }
    this.assemble(pkg);
    if (pkg.status === 'DRAFT') this.setStatus(pkg, status);
    return pkg;
  }

  private startAssembly(pkg: SimPackage, extraDelayMs: number): void {
    pkg.status = 'ASSEMBLING';
    const assembly = ++pkg.assembly;
    this.schedule(this.settings.assemblyMs + extraDelayMs, () => {
      if (this.packages.get(pkg.id) === pkg && pkg.assembly === assembly) this.assemble(pkg);
    });
  }

  /**
   * Extracts the requested records and their sub-objects from the source environment: children (records whose
   * parent is an included record) and referenced records, as far as the requested objCode's table allows.
   */
  assemble(pkg: SimPackage): void {
    const source = this.env(pkg.sourceEnv).records;
    const included = new Map<string, SimRecord>();
    let missing = false;
    for (const collection of pkg.objectCollections) {
      const allowed = new Set(PROMOTABLE[collection.objCode]);
      for (const { ID } of collection.entities) {
        const root = ID === undefined ? undefined : source.get(collection.objCode, ID);
        if (!root) {
          missing = true;
          continue;
        }
        const pending = [root];
        for (let record = pending.pop(); record; record = pending.pop()) {
          const recordKey = key(record.objCode, record.id);
          if (included.has(recordKey)) continue;
          included.set(recordKey, record);
          for (const child of source.childrenOf(record.id))
            if (allowed.has(child.objCode)) pending.push(child);
          for (const ref of record.references) {
            const target =
              ref.relation === 'uses' && allowed.has(ref.objCode) && source.get(ref.objCode, ref.id);
            if (target) pending.push(target);
          }
        }
      }
    }
    if (missing) {
      pkg.status = 'ASSEMBLING_FAILED';
      return;
    }
    const entities: Record<string, SimRecord[]> = {};
    for (const code of sortByInstallOrder([...included.values()].map((record) => record.objCode)))
      entities[code] = [];
    for (const record of included.values()) entities[record.objCode].push(record);
    this.setEntities(
      pkg,
      entities,
      pkg.objectCollections.map((collection) => collection.objCode),
    );
    pkg.status = 'DRAFT';
  }

  private setEntities(pkg: SimPackage, entities: Record<string, SimRecord[]>, requested?: string[]): void {
    pkg.entities = entities;
    const display = requested ?? (pkg.metadata.displayOrder as string[] | undefined) ?? [];
    pkg.metadata = buildMetadata(entities, display);
  }

  private checkTransition(pkg: SimPackage, from: PackageStatus, status: string): void {
    if (status === from) return;
    if (SYSTEM_ONLY.has(status))
      throw new ApiError(400, `Status ${status} is set by the system and cannot be set by a request`);
    if (!USER_SETTABLE.has(status))
      throw new ApiError(400, `Unknown status "${status}"; use one of ${[...USER_SETTABLE].join(', ')}`);
    if (from === 'ASSEMBLING')
      throw new ApiError(400, `Package ${pkg.id} is ASSEMBLING; its status can change once assembly ends`);
    if ((from === 'ASSEMBLING_FAILED' || from === 'UNASSEMBLED') && status !== 'DISABLED')
      throw new ApiError(
        400,
        `Package ${pkg.id} is ${from}; assemble it first (PATCH objectCollections with source)`,
      );
  }

  private setStatus(pkg: SimPackage, status: PackageStatus): void {
    if (status === pkg.status) return;
    pkg.status = status;
    if (status === 'ACTIVE') pkg.publishedAt = this.now();
    if (status === 'DISABLED') pkg.retiredAt = this.now();
  }

  /** PATCH, and PUT (which gives every field): validates everything before changing anything. */
  updatePackage(pkg: SimPackage, input: PatchInput, extraDelayMs = 0): void {
    const reassemble = input.objectCollections !== undefined;
    if ((reassemble || input.packageEntities !== undefined) && !EDITABLE.has(pkg.status))
      throw new ApiError(
        400,
        `Package ${pkg.id} is ${pkg.status}: its contents can only be edited in DRAFT; set the status to DRAFT first`,
      );
    if (reassemble && input.status !== undefined && input.status !== pkg.status)
      throw new ApiError(400, 'status cannot change in the request that starts a re-extraction');
    // Given contents make the package a DRAFT again; a status in the same request moves on from there.
    const from = input.packageEntities !== undefined ? 'DRAFT' : pkg.status;
    if (input.status !== undefined && !reassemble) this.checkTransition(pkg, from, input.status);
    if (input.name !== undefined) pkg.name = input.name;
    if (input.description !== undefined) pkg.description = input.description;
    if (input.version !== undefined) pkg.version = input.version;
    if (input.source !== undefined) pkg.source = input.source;
    if (input.packageEntities !== undefined) {
      this.setEntities(pkg, input.packageEntities);
      if (input.metadata) pkg.metadata = { ...pkg.metadata, ...input.metadata };
      pkg.status = 'DRAFT';
    }
    if (input.status !== undefined && !reassemble) this.setStatus(pkg, input.status as PackageStatus);
    if (reassemble) {
      pkg.sourceEnv = this.environmentFor(input.source, pkg.sourceEnv);
      pkg.objectCollections = input.objectCollections ?? [];
      this.startAssembly(pkg, extraDelayMs);
    }
  }

  deletePackage(id: string): void {
    this.getPackage(id);
    this.packages.delete(id);
  }

  /** `installationCounts`: finished installations per environment. */
  installationCounts(packageId: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const installation of this.installations.values())
      if (installation.packageId === packageId && installation.status === this.settings.completedWord) {
        const label = this.environmentLabel(installation.env);
        counts[label] = (counts[label] ?? 0) + 1;
      }
    return counts;
  }

  // Pre-run and installation

  /** DRAFT, DISABLED and unassembled packages install nowhere; TESTING only into sandboxes. */
  checkInstallable(pkg: SimPackage, target: EnvKey): void {
    const why: Partial<Record<string, string>> = {
      ASSEMBLING: 'wait until it is assembled',
      ASSEMBLING_FAILED: 're-assemble it (PATCH objectCollections with source)',
      UNASSEMBLED: 'assemble it first',
      DRAFT: 'set it to TESTING (sandboxes) or ACTIVE first',
      DISABLED: 'set it to TESTING or ACTIVE to install it again',
    };
    const hint = why[pkg.status];
    if (hint) throw new ApiError(400, `Package ${pkg.id} is ${pkg.status} and cannot be installed: ${hint}`);
    if (pkg.status === 'TESTING' && this.env(target).info.kind === 'production')
      throw new ApiError(
        400,
        `Package ${pkg.id} is TESTING and cannot be installed into Production; set it to ACTIVE first`,
      );
  }

  /**
   * Compares the package with the target: the same id, a record an earlier installation made from this one,
   * or the same name (children: the same name under the matched parent) → USEEXISTING; else CREATE.
   */
  translationMap(pkg: SimPackage, targetKey: EnvKey): TranslationMap {
    const target = this.env(targetKey).records;
    const map: TranslationMap = {};
    for (const objCode of sortByInstallOrder(Object.keys(pkg.entities))) {
      const records: Record<string, TranslationRecord> = {};
      map[objCode] = records;
      for (const record of pkg.entities[objCode]) {
        const existing = this.match(target, record, map);
        records[record.id] = {
          name: record.name,
          action: existing ? 'USEEXISTING' : 'CREATE',
          isValid: true,
          targetId: existing?.id ?? '',
        };
      }
      if (!pkg.entities[objCode].length) delete map[objCode];
    }
    return map;
  }

  /** `map` holds the records decided so far: parents come before their children in install order. */
  private match(target: RecordTable, record: SimRecord, map: TranslationMap): SimRecord | undefined {
    const found = target.get(record.objCode, record.id) ?? target.fromSource(record.objCode, record.id);
    if (found || !record.name) return found;
    const parent = parentOf(record);
    if (!parent) return target.findByName(record.objCode, record.name);
    const parentTarget = map[parent.objCode]?.[parent.id]?.targetId;
    return parentTarget ? target.findChildByName(parentTarget, record.objCode, record.name) : undefined;
  }

  /** A PREPARING installation of `pkg` into `target`, as the pre-run and the install with a map make one. */
  private newInstallation(
    pkg: SimPackage,
    target: EnvKey,
    translationMap: TranslationMap,
    updatedAt: string | null,
  ): SimInstallation {
    return {
      id: randomUUID(),
      packageId: pkg.id,
      packageVersion: pkg.version,
      userId: this.identity.userId,
      customerId: this.identity.customerId,
      status: 'PREPARING',
      env: target,
      registeredAt: this.now(),
      updatedAt,
      translationMap,
      listedFrom: this.listedFrom(),
    };
  }

  /** POST /packages/{id}/prepare-installation: the pre-run, kept as a PREPARING installation. */
  prepare(pkg: SimPackage, target: EnvKey): SimInstallation {
    this.checkInstallable(pkg, target);
    const installation = this.newInstallation(pkg, target, this.translationMap(pkg, target), this.now());
    this.installations.set(installation.id, installation);
    this.counters.preRuns++;
    return installation;
  }

  getInstallation(id: string): SimInstallation {
    const installation = this.installations.get(id);
    if (!installation) throw new ApiError(404, `Installation ${id} not found`);
    return installation;
  }

  /** POST /installations/{id}/install: runs a pre-run, through the environment it was prepared for. */
  installPrepared(installation: SimInstallation, via: EnvKey, extraDelayMs = 0): void {
    if (installation.status !== 'PREPARING')
      throw new ApiError(
        409,
        `Installation ${installation.id} is ${installation.status}; only a PREPARING pre-run can be installed, once`,
      );
    if (installation.env !== via)
      throw new ApiError(
        400,
        `Installation ${installation.id} was prepared for ${this.env(installation.env).info.host}; install it there or run a new pre-run here`,
      );
    const pkg = this.getPackage(installation.packageId);
    this.checkInstallable(pkg, via);
    this.start(installation, pkg, extraDelayMs);
  }

  /** POST /packages/{id}/install with a whole translation map; answers the new installation. */
  installWithMap(pkg: SimPackage, rawMap: unknown, target: EnvKey, extraDelayMs = 0): SimInstallation {
    this.checkInstallable(pkg, target);
    const translationMap = this.checkMap(pkg, rawMap, target);
    const installation = this.newInstallation(pkg, target, translationMap, null);
    this.installations.set(installation.id, installation);
    this.start(installation, pkg, extraDelayMs);
    return installation;
  }

  /**
   * A map sent by a client must cover exactly the package's records, with known actions, and a `targetId` of an
   * existing target record for USEEXISTING and OVERWRITING; anything else is a 400 listing every problem.
   */
  private checkMap(pkg: SimPackage, raw: unknown, targetKey: EnvKey): TranslationMap {
    if (!isObject(raw))
      throw new ApiError(400, 'translationMap is required: {OBJCODE: {sourceId: {action, targetId}}}');
    const index = this.entityIndex(pkg);
    const target = this.env(targetKey).records;
    const problems: string[] = [];
    let covered = 0;
    for (const [objCode, records] of Object.entries(raw)) {
      if (!isObject(records)) {
        problems.push(`${objCode}: expected {sourceId: {action, targetId}}`);
        continue;
      }
      for (const [sourceId, record] of Object.entries(records)) {
        const where = `${objCode} ${sourceId}`;
        if (!index.get(objCode)?.has(sourceId)) problems.push(`${where} is not a record of the package`);
        else covered++;
        if (!isObject(record) || typeof record.action !== 'string') {
          problems.push(`${where}: action is required`);
          continue;
        }
        if (!INSTALL_ACTIONS.has(record.action))
          problems.push(
            `${where}: unknown action "${record.action}" (one of ${[...INSTALL_ACTIONS].join(', ')})`,
          );
        else if (record.action === 'USEEXISTING' || record.action === 'OVERWRITING') {
          const targetId = typeof record.targetId === 'string' ? record.targetId : '';
          if (!targetId) problems.push(`${where}: ${record.action} needs a targetId`);
          else if (!target.get(objCode, targetId))
            problems.push(`${where}: targetId ${targetId} is no ${objCode} of this environment`);
        }
      }
    }
    const total = this.recordCount(pkg);
    if (covered < total)
      problems.push(`${total - covered} records of the package are missing from translationMap`);
    if (problems.length) throw new ApiError(400, `Invalid translationMap: ${listProblems(problems)}`);
    return raw as TranslationMap;
  }

  private start(installation: SimInstallation, pkg: SimPackage, extraDelayMs: number): void {
    installation.status = 'INSTALLING';
    installation.updatedAt = this.now();
    this.counters.installationsStarted++;
    const targetKey = `${pkg.id}@${this.env(installation.env).info.host}`;
    const byTarget = this.counters.installationsByTarget;
    byTarget[targetKey] = (byTarget[targetKey] ?? 0) + 1;
    const { installMs } = this.settings;
    const count = this.recordCount(pkg);
    const delay = (typeof installMs === 'function' ? installMs(count) : installMs) + extraDelayMs;
    const index = this.entityIndex(pkg);
    this.schedule(delay, () => this.execute(installation, index));
  }

  /** Applies the map in install order; records the outcome of every record in the installation's map. */
  private execute(installation: SimInstallation, index: EntityIndex): void {
    const input = installation.translationMap;
    const target = this.env(installation.env).records;
    const output: TranslationMap = {};
    let active = 0;
    let failed = 0;
    let orphans = 0;
    // A record of the map points at what the installation made of it so far; anything else at the target's own.
    const targetOf = (ref: Reference): string | undefined => {
      if (!input[ref.objCode]?.[ref.id]) return target.get(ref.objCode, ref.id) ? ref.id : undefined;
      const done = output[ref.objCode]?.[ref.id];
      return done?.installationStatus === 'INSTALLED' || done?.installationStatus === 'REGISTERED'
        ? done.targetId
        : undefined;
    };
    for (const objCode of sortByInstallOrder(Object.keys(input))) {
      output[objCode] = {};
      for (const [sourceId, entry] of Object.entries(input[objCode])) {
        const result: TranslationRecord = { ...entry };
        output[objCode][sourceId] = result;
        if (entry.action === 'IGNORE') continue;
        active++;
        const outcome = this.apply(target, objCode, sourceId, entry, index, input, targetOf);
        if ('reason' in outcome) {
          failed++;
          if (outcome.orphan) orphans++;
          result.installationStatus = 'FAILED';
          result.reason = outcome.reason;
        } else {
          result.targetId = outcome.targetId;
          result.installationStatus = entry.action === 'USEEXISTING' ? 'REGISTERED' : 'INSTALLED';
        }
      }
    }
    installation.translationMap = output;
    // Seed 000: ignoring a created parent but not its children "will result in a failed installation attempt".
    installation.status =
      orphans > 0 || (active > 0 && failed === active) ? 'FAILED' : this.settings.completedWord;
    installation.updatedAt = this.now();
  }

  private apply(
    target: RecordTable,
    objCode: string,
    sourceId: string,
    entry: TranslationRecord,
    index: EntityIndex,
    map: TranslationMap,
    targetOf: (ref: Reference) => string | undefined,
  ): { targetId: string } | { reason: string; orphan?: boolean } {
    if (entry.isValid === false) return { reason: 'The record is not valid' };
    const targetId = entry.targetId ?? '';
    if (entry.action === 'USEEXISTING')
      return target.get(objCode, targetId)
        ? { targetId }
        : { reason: `${objCode} ${targetId} does not exist in this environment` };
    const source = index.get(objCode)?.get(sourceId);
    if (!source) return { reason: `${objCode} ${sourceId} is not a record of the package` };
    const overwritten = entry.action === 'OVERWRITING' ? target.get(objCode, targetId) : undefined;
    if (entry.action === 'OVERWRITING' && !overwritten)
      return { reason: `${objCode} ${targetId} does not exist in this environment` };
    const parent = parentOf(source);
    if (parent && !overwritten && !targetOf(parent)) {
      const parentEntry = map[parent.objCode]?.[parent.id];
      const parentName = parentEntry?.name ? ` ("${parentEntry.name}")` : '';
      return parentEntry?.action === 'IGNORE'
        ? {
            reason: `its parent ${parent.objCode} ${parent.id}${parentName} is set to IGNORE; ignore this record too`,
            orphan: true,
          }
        : { reason: `its parent ${parent.objCode} ${parent.id}${parentName} was not installed` };
    }
    // References follow the map; an overwritten record keeps its own parent when the package's is not there.
    const fallback = (ref: Reference) =>
      ref.relation === 'parent'
        ? overwritten && parentOf(overwritten)?.id
        : ref.objCode === 'GROUP'
          ? this.defaultGroup(target)
          : undefined;
    const references: Reference[] = [];
    for (const ref of source.references) {
      const id = targetOf(ref) ?? fallback(ref);
      if (id) references.push({ ...ref, id });
    }
    const named = UNIQUE_NAME_OBJCODES.has(objCode) ? target.findByName(objCode, source.name) : undefined;
    if (overwritten) {
      if (named && named.id !== targetId)
        return { reason: `A ${objCodeLabel(objCode)} named "${source.name}" already exists` };
      target.put({ ...source, id: targetId, references }, sourceId);
      return { targetId };
    }
    let name = source.name;
    if (entry.action === 'CREATEWITHALTNAME') {
      for (let n = 2; target.findByName(objCode, name); n++) name = `${source.name} (${n})`;
    } else if (named) return { reason: `A ${objCodeLabel(objCode)} named "${name}" already exists` };
    const created: SimRecord = { ...source, id: newRecordId(), name, references };
    target.put(created, sourceId);
    return { targetId: created.id };
  }

  /** Seed 000: a dependant of an ignored group falls back to the system's default group. */
  private defaultGroup(target: RecordTable): string | undefined {
    return target.findByName('GROUP', 'Default Group')?.id;
  }

  /** The package's installations as its list shows them now. */
  installationsOf(packageId: string): SimInstallation[] {
    const now = Date.now();
    return [...this.installations.values()].filter(
      (installation) => installation.packageId === packageId && installation.listedFrom <= now,
    );
  }
}

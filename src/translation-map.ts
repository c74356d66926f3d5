// Translation-map overrides from the `map-file`: `{OBJCODE: {sourceId: {action, targetId?}}}`.
import { createHash } from 'node:crypto';
import {
  TRANSLATION_ACTIONS,
  type PackageDefinition,
  type PackageEntity,
  type TranslationAction,
  type TranslationMap,
  type TranslationRecord,
} from './api/types.js';
import { describeType, isRecord } from './files.js';
import {
  CHILD_OBJCODES,
  OBJCODE_PATTERN,
  PROMOTABLE_OBJCODES,
  SUB_OBJCODES,
  UNIQUE_NAME_OBJCODES,
} from './objcodes.js';
import { plain } from './report/text.js';
import type { Parsed } from './object-collections.js';

export interface Override {
  action: TranslationAction;
  targetId?: string;
  /** The target record's name: resolved to `targetId` in the target environment (names.ts). */
  targetName?: string;
}

export type MapOverrides = Record<string, Record<string, Override>>;

export function parseAction(raw: string): TranslationAction | undefined {
  const upper = raw.trim().toUpperCase();
  return (TRANSLATION_ACTIONS as readonly string[]).includes(upper)
    ? (upper as TranslationAction)
    : undefined;
}

const ACTION_LIST = TRANSLATION_ACTIONS.join(', ');
const NEEDS_TARGET: ReadonlySet<string> = new Set(['USEEXISTING', 'OVERWRITING']);
const OVERRIDE_FIELDS = new Set(['action', 'targetId', 'targetName', 'name']);
/** What a translation map the action wrote also holds per record: accepted so it can be given back, and ignored. */
const WRITTEN_FIELDS = new Set([
  'isValid',
  'installationStatus',
  'reason',
  'failureReason',
  'message',
  'error',
]);

function override(raw: unknown, where: string, errors: string[]): Override | undefined {
  // `sourceId: IGNORE` is shorthand for `sourceId: {action: IGNORE}`.
  const record = typeof raw === 'string' ? { action: raw } : raw;
  if (!isRecord(record)) {
    errors.push(`${where}: expected {action, targetId?}, found ${describeType(raw)}`);
    return undefined;
  }
  const unknown = Object.keys(record).filter((key) => !OVERRIDE_FIELDS.has(key) && !WRITTEN_FIELDS.has(key));
  if (unknown.length)
    errors.push(
      `${where}: unknown field ${unknown.join(', ')} (allowed: action, targetId, targetName, name)`,
    );
  if (record.isValid !== undefined && typeof record.isValid !== 'boolean') {
    errors.push(`${where}: isValid must be true or false, found ${describeType(record.isValid)}`);
  }
  if (record.installationStatus !== undefined && typeof record.installationStatus !== 'string') {
    errors.push(
      `${where}: installationStatus must be text, found ${describeType(record.installationStatus)}`,
    );
  }
  if (typeof record.action !== 'string') {
    errors.push(`${where}: action is required, one of ${ACTION_LIST}`);
    return undefined;
  }
  const action = parseAction(record.action);
  if (!action) {
    errors.push(
      `${where}: action "${record.action}" is unknown; use one of ${ACTION_LIST} (there is no UPDATE)`,
    );
    return undefined;
  }
  if (record.targetId !== undefined && typeof record.targetId !== 'string') {
    errors.push(`${where}: targetId must be text, found ${describeType(record.targetId)}`);
    return undefined;
  }
  if (record.targetName !== undefined) {
    if (typeof record.targetName !== 'string' || record.targetName.trim() === '') {
      errors.push(
        `${where}: targetName must be the name of the target record, found ${describeType(record.targetName)}`,
      );
      return undefined;
    }
    if (!NEEDS_TARGET.has(action)) {
      errors.push(`${where}: targetName is for USEEXISTING and OVERWRITING only, not ${action}`);
      return undefined;
    }
  }
  const out: Override = { action };
  if (record.targetId !== undefined) out.targetId = record.targetId;
  if (typeof record.targetName === 'string') out.targetName = record.targetName.trim();
  return out;
}

/** Checks the shape of a parsed map file; whether its objCodes and ids exist is checked against the map later. */
export function parseOverrides(raw: unknown, where: string): Parsed<MapOverrides> {
  const out: Parsed<MapOverrides> = { errors: [], warnings: [] };
  if (!isRecord(raw)) {
    out.errors.push(
      `${where}: expected a map {OBJCODE: {sourceId: {action, targetId?}}}, found ${describeType(raw)}`,
    );
    return out;
  }
  const overrides: MapOverrides = {};
  for (const [objCode, records] of Object.entries(raw)) {
    if (objCode === '$schema') continue;
    if (!OBJCODE_PATTERN.test(objCode)) {
      out.errors.push(`${where}: "${objCode}" is not an objCode (upper-case letters, e.g. GROUP, TMPL)`);
      continue;
    }
    if (!isRecord(records) || Object.keys(records).length === 0) {
      out.errors.push(
        `${where}: ${objCode} must map source ids to {action, targetId?}, found ${describeType(records)}`,
      );
      continue;
    }
    overrides[objCode] = {};
    for (const [sourceId, record] of Object.entries(records)) {
      const parsed = override(record, `${where} ${objCode}.${sourceId}`, out.errors);
      if (parsed) overrides[objCode][sourceId] = parsed;
    }
  }
  if (out.errors.length === 0 && Object.keys(overrides).length === 0)
    out.errors.push(`${where}: no overrides in it`);
  if (out.errors.length === 0) out.value = overrides;
  return out;
}

/** One record of a translation map, flattened for reports and checks. */
export interface MapRecord {
  objCode: string;
  sourceId: string;
  name?: string;
  action: string;
  targetId?: string;
  installationStatus?: string;
  reason?: string;
}

export function recordsOf(map: TranslationMap): MapRecord[] {
  const records: MapRecord[] = [];
  for (const [objCode, byId] of Object.entries(map)) {
    for (const [sourceId, record] of Object.entries(byId ?? {})) {
      records.push({
        objCode,
        sourceId,
        name: typeof record.name === 'string' ? record.name : undefined,
        action: String(record.action ?? ''),
        targetId: typeof record.targetId === 'string' && record.targetId ? record.targetId : undefined,
        installationStatus:
          typeof record.installationStatus === 'string' ? record.installationStatus : undefined,
        reason: reasonOf(record),
      });
    }
  }
  return records;
}

function reasonOf(record: TranslationRecord): string | undefined {
  for (const key of ['reason', 'failureReason', 'message', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value) return value;
    if (isRecord(value) && typeof value.message === 'string') return value.message;
  }
  return undefined;
}

/** Names come from the server: flattened, so no message a record appears in can carry a workflow command. */
export const describeRecord = (r: Pick<MapRecord, 'objCode' | 'sourceId' | 'name'>): string =>
  `${plain(r.objCode, 40)} ${plain(r.sourceId, 80)}${r.name ? ` "${plain(r.name, 120)}"` : ''}`;

/**
 * A copy whose objCode maps can be changed without touching the original's; records are replaced, never
 * edited in place. A deep clone of a 50,000-record map costs a quarter of a second.
 */
function shallowCopy(map: TranslationMap): TranslationMap {
  return Object.fromEntries(Object.entries(map).map(([objCode, byId]) => [objCode, { ...byId }]));
}

export interface AppliedOverrides {
  map: TranslationMap;
  /** Each record the map file changed: before and after. */
  changes: Array<{ record: MapRecord; from: string; to: string; fromTarget?: string; toTarget?: string }>;
  warnings: string[];
}

/**
 * Checks every override against the map (objCode and source id exist, targetId where the action needs one)
 * and returns the map with them applied, or every bad entry at once.
 */
export function applyOverrides(
  map: TranslationMap,
  overrides: MapOverrides,
): AppliedOverrides | { errors: string[] } {
  const errors: string[] = [];
  const result = shallowCopy(map);
  const changes: AppliedOverrides['changes'] = [];
  const warnings: string[] = [];
  for (const [objCode, byId] of Object.entries(overrides)) {
    const target = result[objCode];
    if (!target) {
      const known = Object.keys(map).sort().join(', ') || 'none';
      errors.push(`map-file: objCode ${objCode} is not in the package's translation map (it has ${known})`);
      continue;
    }
    for (const [sourceId, override] of Object.entries(byId)) {
      const record = target[sourceId];
      if (!record) {
        errors.push(`map-file: ${objCode} ${sourceId} is not a record of the package's translation map`);
        continue;
      }
      const targetId = override.targetId ?? (NEEDS_TARGET.has(override.action) ? record.targetId : '');
      if (NEEDS_TARGET.has(override.action) && !targetId) {
        errors.push(
          `map-file: ${describeRecord({ objCode, sourceId, name: record.name })} needs a targetId for ${override.action}: the id of the record in the target environment`,
        );
        continue;
      }
      if (!NEEDS_TARGET.has(override.action) && targetId) {
        errors.push(
          `map-file: ${describeRecord({ objCode, sourceId, name: record.name })} sets targetId with ${override.action}; targetId must be empty for any action but USEEXISTING and OVERWRITING`,
        );
        continue;
      }
      const before = { action: String(record.action), targetId: record.targetId || undefined };
      if (before.action === override.action && (before.targetId ?? '') === (targetId ?? '')) continue;
      target[sourceId] = { ...record, action: override.action, targetId: targetId ?? '' };
      const flat = {
        objCode,
        sourceId,
        name: record.name,
        action: override.action,
        targetId: targetId || undefined,
      };
      changes.push({
        record: flat,
        from: before.action,
        to: override.action,
        fromTarget: before.targetId,
        toTarget: targetId || undefined,
      });
      if (
        before.action === 'USEEXISTING' &&
        override.action === 'CREATE' &&
        UNIQUE_NAME_OBJCODES.has(objCode)
      ) {
        warnings.push(
          `${describeRecord(flat)}: USEEXISTING → CREATE fails for ${objCode}, whose names are unique in an environment`,
        );
      }
      if (before.action === 'USEEXISTING' && override.action === 'IGNORE') {
        warnings.push(
          `${describeRecord(flat)}: USEEXISTING → IGNORE makes records that refer to it fall back to defaults (a group: the default group)`,
        );
      }
    }
  }
  return errors.length ? { errors } : { map: result, changes, warnings };
}

export interface DependentIgnore {
  record: MapRecord;
  /** The ignored record it depends on. */
  because: MapRecord;
}

/** Ids a package entity refers to: string fields (nested a little) that are ids of other package records. */
function referencesOf(entity: PackageEntity, known: Map<string, string>, depth = 0, out = new Set<string>()) {
  for (const [key, value] of Object.entries(entity)) {
    if (depth === 0 && key === 'id') continue;
    if (typeof value === 'string') {
      if (known.has(value) && value !== entity.id) out.add(value);
    } else if (depth < 3 && value && typeof value === 'object') {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === 'string' && known.has(item)) out.add(item);
        else if (isRecord(item)) referencesOf(item as PackageEntity, known, depth + 1, out);
      }
    }
  }
  return out;
}

/**
 * The package records that depend on records ignored while the pre-run said CREATE: their sub-objects (template
 * tasks, assignments, predecessors, queue topics…) that refer to them, directly or through another such record.
 * A pair of objCodes counts as parent and child when the vendor's list says so, or, for objCodes it does not
 * name, when the referring record is a sub-object installed after the other (`metadata.installOrder`). Top-level
 * objects that merely use an ignored one are left alone: the installer lets those fall back to defaults.
 */
export function findDependents(
  original: TranslationMap,
  current: TranslationMap,
  definition: PackageDefinition,
): DependentIgnore[] {
  const entities = definition.packageEntities ?? {};
  const objCodeOf = new Map<string, string>();
  for (const [objCode, list] of Object.entries(entities)) {
    for (const entity of list ?? [])
      if (entity && typeof entity.id === 'string') objCodeOf.set(entity.id, objCode);
  }
  const order = definition.metadata?.installOrder;
  const rank = (objCode: string) => (Array.isArray(order) ? order.indexOf(objCode) : -1);
  const isChild = (child: string, parent: string): boolean => {
    const known = CHILD_OBJCODES[parent];
    if (known) return known.includes(child);
    // A documented objCode the list gives no children (a role, a group) has none: tasks merely use roles.
    if (parent in PROMOTABLE_OBJCODES || parent in SUB_OBJCODES) return false;
    return !(child in PROMOTABLE_OBJCODES) && rank(child) > rank(parent) && rank(parent) >= 0;
  };
  const dependentsOf = new Map<string, string[]>();
  for (const [objCode, list] of Object.entries(entities)) {
    for (const entity of list ?? []) {
      for (const ref of referencesOf(entity, objCodeOf)) {
        if (!isChild(objCode, objCodeOf.get(ref) as string)) continue;
        const list = dependentsOf.get(ref);
        if (list) list.push(entity.id);
        else dependentsOf.set(ref, [entity.id]);
      }
    }
  }
  const found: DependentIgnore[] = [];
  const seen = new Set<string>();
  for (const root of recordsOf(current)) {
    if (root.action !== 'IGNORE' || original[root.objCode]?.[root.sourceId]?.action !== 'CREATE') continue;
    const queue = [root.sourceId];
    while (queue.length) {
      const id = queue.shift() as string;
      for (const dependent of dependentsOf.get(id) ?? []) {
        if (seen.has(dependent)) continue;
        seen.add(dependent);
        queue.push(dependent);
        const objCode = objCodeOf.get(dependent) as string;
        const record = current[objCode]?.[dependent];
        if (record && record.action !== 'IGNORE') {
          found.push({
            record: { objCode, sourceId: dependent, name: record.name, action: String(record.action) },
            because: root,
          });
        }
      }
    }
  }
  return found;
}

/** Sets IGNORE (targetId empty) on the given records. */
export function ignoreRecords(map: TranslationMap, records: MapRecord[]): TranslationMap {
  const result = shallowCopy(map);
  for (const { objCode, sourceId } of records) {
    const record = result[objCode]?.[sourceId];
    if (record) result[objCode][sourceId] = { ...record, action: 'IGNORE', targetId: '' };
  }
  return result;
}

export interface Counts {
  byAction: Record<string, number>;
  byStatus: Record<string, number>;
  byObjCode: Record<string, { actions: Record<string, number>; statuses: Record<string, number> }>;
  total: number;
}

export function countRecords(records: MapRecord[]): Counts {
  // Keys come from the server: without a prototype, `__proto__` or `constructor` is a key like any other.
  const table = <T>() => Object.create(null) as Record<string, T>;
  const counts: Counts = { byAction: table(), byStatus: table(), byObjCode: table(), total: records.length };
  const bump = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  for (const record of records) {
    const perCode = (counts.byObjCode[record.objCode] ??= { actions: table(), statuses: table() });
    bump(counts.byAction, record.action);
    bump(perCode.actions, record.action);
    if (record.installationStatus) {
      bump(counts.byStatus, record.installationStatus);
      bump(perCode.statuses, record.installationStatus);
    }
  }
  return counts;
}

/** Records whose action is one of `denied`. */
export function deniedRecords(records: MapRecord[], denied: readonly string[]): MapRecord[] {
  const set = new Set(denied);
  return records.filter((record) => set.has(record.action));
}

/**
 * A stable hash of a plan: package id and version, target host, and every record's objCode, source id,
 * action and target id; independent of key order and of the pre-run's own id and times.
 */
export function planHash(
  packageId: string,
  version: number | undefined,
  host: string,
  records: MapRecord[],
): string {
  const lines = records.map((r) => [r.objCode, r.sourceId, r.action, r.targetId ?? ''].join('\t')).sort();
  const text = [
    `package\t${packageId}`,
    `version\t${version ?? ''}`,
    `host\t${host.toLowerCase()}`,
    ...lines,
  ].join('\n');
  return createHash('sha256').update(text).digest('hex');
}

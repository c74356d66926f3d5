// Translation-map overrides from the `map-file`: `{OBJCODE: {sourceId: {action, targetId?}}}`.
import { createHash } from 'node:crypto';
import {
  TRANSLATION_ACTIONS,
  type DefinitionIndex,
  type TranslationAction,
  type TranslationMap,
  type TranslationRecord,
} from './api/types.js';
import { isRecord } from './api/parse.js';
import { describeType } from './files.js';
import {
  CHILD_OBJCODES,
  OBJCODE_PATTERN,
  PROMOTABLE_OBJCODES,
  SUB_OBJCODES,
  UNIQUE_NAME_OBJCODES,
} from './objcodes.js';
import { plain } from './text.js';
import type { Parsed } from './object-collections.js';
import { ID_PATTERN } from './text.js';

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
  // A translation map written after an installation keeps the id of what a CREATE made: information, not
  // an instruction, so that map can be given back as it is.
  const written = record.installationStatus !== undefined && !NEEDS_TARGET.has(action);
  if (record.targetId !== undefined && !written) out.targetId = record.targetId;
  if (typeof record.targetName === 'string') out.targetName = record.targetName.trim();
  return out;
}

/** Checks the shape of a parsed map file; whether its objCodes and ids exist is checked against the map later. */
/** Past this many problems a map file is described no further: its size is what is wrong with it. */
const MAX_PARSE_ERRORS = 1000;

export function parseOverrides(raw: unknown, where: string): Parsed<MapOverrides> {
  const out: Parsed<MapOverrides> = { errors: [], warnings: [] };
  if (!isRecord(raw)) {
    out.errors.push(
      `${where}: expected a map {OBJCODE: {sourceId: {action, targetId?}}}, found ${describeType(raw)}`,
    );
    return out;
  }
  const overrides: MapOverrides = {};
  const entries = Object.entries(raw);
  for (const [index, [objCode, records]] of entries.entries()) {
    if (out.errors.length >= MAX_PARSE_ERRORS) {
      // A hostile file can hold a million bad entries: what is left is counted, not described.
      const left = entries
        .slice(index)
        .reduce((n, [, r]) => n + (isRecord(r) ? Object.keys(r).length : 1), 0);
      out.errors.push(`${where}: … and ${left.toLocaleString('en-US')} more entries not checked`);
      break;
    }
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
    const byId = Object.entries(records);
    for (const [i, [sourceId, record]] of byId.entries()) {
      if (out.errors.length >= MAX_PARSE_ERRORS) {
        out.errors.push(
          `${where}: … and ${(byId.length - i).toLocaleString('en-US')} more entries of ${objCode} not checked`,
        );
        break;
      }
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
  /** The target record's name, where the action looked it up (map-file targets, names.ts). */
  targetName?: string;
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
        ...(typeof record.targetName === 'string' ? { targetName: record.targetName } : {}),
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
 * A copy of `map` to change records in: an objCode's records are copied only when one of them is replaced
 * (`edit`), and records are replaced, never edited in place, so the original stays as it was. A 50,000-record
 * map is not copied whole for a few overrides.
 */
function copyOnWrite(map: TranslationMap) {
  const result: TranslationMap = { ...map };
  const copied = new Set<string>();
  const edit = (objCode: string, sourceId: string, record: TranslationRecord) => {
    if (!copied.has(objCode)) {
      copied.add(objCode);
      result[objCode] = { ...map[objCode] };
    }
    result[objCode][sourceId] = record;
  };
  return { result, edit };
}

export interface AppliedOverrides {
  map: TranslationMap;
  /** Each record the map file changed: before and after. */
  changes: Array<{
    record: MapRecord;
    from: string;
    to: string;
    fromTarget?: string;
    toTarget?: string;
    /** The name of `toTarget` in the target, when the map file named or checked it. */
    toTargetName?: string;
  }>;
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
  const { result, edit } = copyOnWrite(map);
  const changes: AppliedOverrides['changes'] = [];
  const warnings: string[] = [];
  for (const [objCode, byId] of Object.entries(overrides)) {
    const target = map[objCode];
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
      if (override.targetId && !ID_PATTERN.test(override.targetId)) {
        errors.push(
          `map-file: ${describeRecord({ objCode, sourceId, name: record.name })}: targetId "${plain(override.targetId, 80)}" is not a Workfront ID (the target record's ID, e.g. from its URL)`,
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
      edit(objCode, sourceId, { ...record, action: override.action, targetId: targetId ?? '' });
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
        ...(override.targetName && targetId === override.targetId
          ? { toTargetName: override.targetName }
          : {}),
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
  definition: DefinitionIndex,
): DependentIgnore[] {
  const objCodeOf = new Map<string, string>();
  for (const entity of definition.entities) objCodeOf.set(entity.id, entity.objCode);
  const order = definition.installOrder;
  const rank = (objCode: string) => (Array.isArray(order) ? order.indexOf(objCode) : -1);
  const isChild = (child: string, parent: string): boolean => {
    const known = CHILD_OBJCODES[parent];
    if (known) return known.includes(child);
    // A documented objCode the list gives no children (a role, a group) has none: tasks merely use roles.
    if (parent in PROMOTABLE_OBJCODES || parent in SUB_OBJCODES) return false;
    return !(child in PROMOTABLE_OBJCODES) && rank(child) > rank(parent) && rank(parent) >= 0;
  };
  const dependentsOf = new Map<string, string[]>();
  for (const { objCode, id, mentions } of definition.entities) {
    for (const ref of mentions) {
      const refObjCode = objCodeOf.get(ref);
      if (refObjCode === undefined || !isChild(objCode, refObjCode)) continue;
      const list = dependentsOf.get(ref);
      if (list) list.push(id);
      else dependentsOf.set(ref, [id]);
    }
  }
  const found: DependentIgnore[] = [];
  const seen = new Set<string>();
  const visitDependents = (root: MapRecord): void => {
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
  };
  for (const [objCode, byId] of Object.entries(current)) {
    for (const [sourceId, record] of Object.entries(byId ?? {})) {
      if (record.action !== 'IGNORE' || original[objCode]?.[sourceId]?.action !== 'CREATE') continue;
      visitDependents({ objCode, sourceId, name: record.name, action: 'IGNORE' });
    }
  }
  return found;
}

/** Sets IGNORE (targetId empty) on the given records. */
export function ignoreRecords(map: TranslationMap, records: MapRecord[]): TranslationMap {
  const { result, edit } = copyOnWrite(map);
  for (const { objCode, sourceId } of records) {
    const record = map[objCode]?.[sourceId];
    if (record) edit(objCode, sourceId, { ...record, action: 'IGNORE', targetId: '' });
  }
  return result;
}

export interface Counts {
  byAction: Record<string, number>;
  byStatus: Record<string, number>;
  byObjCode: Record<string, { actions: Record<string, number>; statuses: Record<string, number> }>;
  total: number;
}

/** A record's installation status as the API sets it. */
const RECORD_STATUSES = ['INSTALLED', 'REGISTERED', 'FAILED'];
/** Distinct words beyond the API's own that counts and tables name one by one; the rest are `other`. */
const MAX_OTHER_WORDS = 10;
const OTHER_WORD = 'other';

/**
 * How counts and tables name an action (`known`: the API's) or a record status: the API's own words as they
 * are, and the first 10 others a server sent; past those, `other`, so that a server sending thousands of distinct
 * words cannot make a table thousands of columns wide or a count thousands of keys long.
 */
function wordsOf(known: readonly string[]): (word: string) => string {
  const others = new Set<string>();
  return (word) => {
    if (known.includes(word) || others.has(word)) return word;
    if (others.size >= MAX_OTHER_WORDS) return OTHER_WORD;
    others.add(word);
    return word;
  };
}

/** How the counts and tables of one report name actions. */
export const actionWords = () => wordsOf(TRANSLATION_ACTIONS);

export function countRecords(records: MapRecord[]): Counts {
  // Keys come from the server: without a prototype, `__proto__` or `constructor` is a key like any other.
  const table = <T>() => Object.create(null) as Record<string, T>;
  const counts: Counts = { byAction: table(), byStatus: table(), byObjCode: table(), total: records.length };
  const bump = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  const actionOf = actionWords();
  const statusOf = wordsOf(RECORD_STATUSES);
  for (const record of records) {
    const perCode = (counts.byObjCode[record.objCode] ??= { actions: table(), statuses: table() });
    const action = actionOf(record.action);
    bump(counts.byAction, action);
    bump(perCode.actions, action);
    if (record.installationStatus) {
      const status = statusOf(record.installationStatus);
      bump(counts.byStatus, status);
      bump(perCode.statuses, status);
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
  // Line by line: the same digest as of the lines joined, without a 50,000-line text.
  const hash = createHash('sha256').update(
    `package\t${packageId}\nversion\t${version ?? ''}\nhost\t${host.toLowerCase()}`,
  );
  for (const line of lines) hash.update(`\n${line}`);
  return hash.digest('hex');
}

/** Actions that only a map file sets: an installation that used them is repeated only if the map file still does. */
const OVERRIDE_ACTIONS: ReadonlySet<string> = new Set(['IGNORE', 'OVERWRITING', 'CREATEWITHALTNAME']);

/** How a record is installed, as far as the skip rule compares it: the action, and the target id where it names one. */
function installedAs(record: TranslationRecord): string {
  const action = String(record.action ?? '');
  return NEEDS_TARGET.has(action) && record.targetId ? `${action} ${record.targetId}` : action;
}

/** The records whose action this run's map file decides: each override, and each dependant it ignores. */
export function recordsSetByMapFile(
  map: TranslationMap,
  overrides: MapOverrides,
  dependents: readonly DependentIgnore[] = [],
): Array<Pick<MapRecord, 'objCode' | 'sourceId'>> {
  const set = Object.entries(overrides).flatMap(([objCode, byId]) =>
    Object.keys(byId).map((sourceId) => ({ objCode, sourceId })),
  );
  for (const { record } of dependents) set.push({ objCode: record.objCode, sourceId: record.sourceId });
  return set.filter(({ objCode, sourceId }) => map[objCode]?.[sourceId] !== undefined);
}

export interface RecordDifference {
  record: Pick<MapRecord, 'objCode' | 'sourceId' | 'name'>;
  /** How the earlier installation installed it ("CREATE", "OVERWRITING {targetId}"); absent: not in it. */
  installed?: string;
  /** How this run installs it (as its plan has it); absent: not known, as without a map file no plan is made first. */
  now?: string;
}

/**
 * Where this run would install records differently from an earlier installation (its final translation map),
 * as far as the map file decides: each record the map file sets (`set`, read in this run's `map`) must have
 * been installed with that action and target id, and each record installed as IGNORE, OVERWRITING or
 * CREATEWITHALTNAME must be set the same way now. Without a map file `set` is empty.
 */
export function installedDifferently(
  installed: TranslationMap,
  map: TranslationMap,
  set: ReadonlyArray<Pick<MapRecord, 'objCode' | 'sourceId'>>,
): RecordDifference[] {
  const differences: RecordDifference[] = [];
  const decided = new Set<string>();
  for (const { objCode, sourceId } of set) {
    decided.add(`${objCode}\t${sourceId}`);
    const before = installed[objCode]?.[sourceId];
    const now = installedAs(map[objCode][sourceId]);
    const was = before && installedAs(before);
    if (was !== now)
      differences.push({
        record: { objCode, sourceId, name: map[objCode][sourceId].name },
        installed: was,
        now,
      });
  }
  for (const [objCode, byId] of Object.entries(installed)) {
    for (const [sourceId, record] of Object.entries(byId ?? {})) {
      if (!OVERRIDE_ACTIONS.has(String(record.action)) || decided.has(`${objCode}\t${sourceId}`)) continue;
      const current = map[objCode]?.[sourceId];
      differences.push({
        record: { objCode, sourceId, name: record.name },
        installed: installedAs(record),
        now: current && installedAs(current),
      });
    }
  }
  return differences;
}

/** The records of a translation map that ended FAILED. */
export function failedRecordCount(map: TranslationMap): number {
  let failed = 0;
  for (const byId of Object.values(map))
    for (const record of Object.values(byId ?? {})) if (record.installationStatus === 'FAILED') failed++;
  return failed;
}

/**
 * The text of `JSON.stringify(map, null, 2)`, in pieces of `batch` records, so a 50,000-record map is written to
 * its file without ever being one string.
 */
export function* translationMapJson(map: TranslationMap, batch = 1000): Generator<string> {
  const objCodes = Object.keys(map);
  if (!objCodes.length) return yield '{}';
  for (const [i, objCode] of objCodes.entries()) {
    const byId = map[objCode] ?? {};
    const sourceIds = Object.keys(byId);
    const key = `\n  ${JSON.stringify(objCode)}: `;
    const head = `${i ? ',' : '{'}${key}`;
    if (!sourceIds.length) yield `${head}{}`;
    for (let start = 0; start < sourceIds.length; start += batch) {
      // Prototype-less objects: a key such as "__proto__" stays a key. Stringified under its objCode, a batch
      // is indented as in the whole map: only the wrapping is cut off.
      const part: TranslationMap[string] = Object.create(null);
      for (const sourceId of sourceIds.slice(start, start + batch)) part[sourceId] = byId[sourceId];
      const wrapped: TranslationMap = Object.create(null);
      wrapped[objCode] = part;
      const text = JSON.stringify(wrapped, null, 2);
      const body = text.slice(`{${key}{`.length, -'\n  }\n}'.length);
      yield start ? `,${body}` : `${head}{${body}`;
    }
    if (sourceIds.length) yield '\n  }';
  }
  yield '\n}';
}

// Translation-map overrides from the `map-file`: `{OBJCODE: {sourceId: {action, targetId?}}}`.
import { TRANSLATION_ACTIONS, type TranslationAction } from './api/types.js';
import { describeType, isRecord } from './files.js';
import { OBJCODE_PATTERN } from './objcodes.js';
import type { Parsed } from './object-collections.js';

export interface Override {
  action: TranslationAction;
  targetId?: string;
}

export type MapOverrides = Record<string, Record<string, Override>>;

export function parseAction(raw: string): TranslationAction | undefined {
  const upper = raw.trim().toUpperCase();
  return (TRANSLATION_ACTIONS as readonly string[]).includes(upper)
    ? (upper as TranslationAction)
    : undefined;
}

const ACTION_LIST = TRANSLATION_ACTIONS.join(', ');
const OVERRIDE_FIELDS = new Set(['action', 'targetId', 'name']);

function override(raw: unknown, where: string, errors: string[]): Override | undefined {
  // `sourceId: IGNORE` is shorthand for `sourceId: {action: IGNORE}`.
  const record = typeof raw === 'string' ? { action: raw } : raw;
  if (!isRecord(record)) {
    errors.push(`${where}: expected {action, targetId?}, found ${describeType(raw)}`);
    return undefined;
  }
  const unknown = Object.keys(record).filter((key) => !OVERRIDE_FIELDS.has(key));
  if (unknown.length)
    errors.push(`${where}: unknown field ${unknown.join(', ')} (allowed: action, targetId, name)`);
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
  return record.targetId === undefined ? { action } : { action, targetId: record.targetId };
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

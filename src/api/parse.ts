// Tolerant reading of the API's answers: every shape the seeds show, normalised to the types in types.ts.
// Pure functions; a body none of them accepts raises a ShapeError the transport turns into a 'malformed' error.
import { isId } from '../text.js';
import type {
  Installation,
  PackageDefinition,
  PackageEntities,
  PackageEntity,
  PromotionPackage,
  TranslationMap,
} from './types.js';

/** A body that is not one of the documented shapes; `expected` says what was looked for. */
export class ShapeError extends Error {
  constructor(readonly expected: string) {
    super(`expected ${expected}`);
    this.name = 'ShapeError';
  }
}

export type Body =
  { type: 'empty' } | { type: 'json'; value: unknown; repaired: boolean } | { type: 'text'; text: string };

/** Default for `maxJsonDepth`: real answers nest about six levels. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a body as JSON when it looks like JSON, as text otherwise. A JSON body missing only its closing
 * brackets (the November 2023 create example) is completed; one nested deeper than `maxDepth` is refused,
 * because the normalisers below walk it recursively. Only a body JSON.parse refuses is scanned character by
 * character: a 50,000-record translation map is 8 MB.
 */
export function readBody(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): Body {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'null') return { type: 'empty' };
  if (!/^[[{"]/.test(trimmed)) return { type: 'text', text: trimmed };
  let value: unknown;
  let parsed = true;
  try {
    value = JSON.parse(trimmed);
  } catch {
    parsed = false;
  }
  if (parsed) {
    if (deeperThan(value, maxDepth)) throw new ShapeError(`JSON nested at most ${maxDepth} levels deep`);
    return { type: 'json', value, repaired: false };
  }
  const scan = scanJson(trimmed);
  if (scan.maxDepth > maxDepth) throw new ShapeError(`JSON nested at most ${maxDepth} levels deep`);
  if (scan.inString || scan.closers === '') throw new ShapeError('JSON');
  try {
    return { type: 'json', value: JSON.parse(trimmed + scan.closers), repaired: true };
  } catch {
    throw new ShapeError('JSON');
  }
}

/** Whether objects and arrays nest deeper than `max`; stops descending at `max`. */
function deeperThan(value: unknown, max: number, depth = 1): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > max) return true;
  for (const key in value)
    if (deeperThan((value as Record<string, unknown>)[key], max, depth + 1)) return true;
  return false;
}

/** Nesting depth and the brackets left open at the end, skipping string contents. */
function scanJson(text: string): { maxDepth: number; closers: string; inString: boolean } {
  const open: string[] = [];
  let maxDepth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      open.push(ch === '{' ? '}' : ']');
      maxDepth = Math.max(maxDepth, open.length);
    } else if (ch === '}' || ch === ']') open.pop();
  }
  return { maxDepth, closers: open.reverse().join(''), inString };
}

/** `{"data": x}` → x; anything else as it is. */
export function unwrap(value: unknown): unknown {
  if (isRecord(value) && 'data' in value && (isRecord(value.data) || Array.isArray(value.data)))
    return value.data;
  return value;
}

function bodyValue(body: Body): unknown {
  if (body.type === 'json') return unwrap(body.value);
  return body.type === 'text' ? body.text : undefined;
}

// The July 2023 draft's status names, one to one.
const LEGACY_STATUSES: Record<string, string> = {
  EXTRACTING: 'ASSEMBLING',
  BUILDING: 'DRAFT',
  PREVIEW: 'TESTING',
  PUBLIC: 'ACTIVE',
  RETIRED: 'DISABLED',
};

export function normaliseStatus(status: unknown): string | undefined {
  if (typeof status !== 'string' || status.trim() === '') return undefined;
  const upper = status.trim().toUpperCase();
  return LEGACY_STATUSES[upper] ?? upper;
}

export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * An id that names a package or an installation: it goes into outputs, URLs and file names, so one outside
 * the id pattern (`p1/../../x`, a line break) makes the answer unreadable rather than reaching them.
 */
function checkedId(value: unknown, what: string): string | undefined {
  const id = idOf(value);
  if (id !== undefined && !isId(id)) throw new ShapeError(`${what} of letters, digits, - and _ (at most 64)`);
  return id;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nullableString(value: unknown): string | null | undefined {
  return value === null ? null : stringOf(value);
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Drops undefined fields so a normalised object shows only what the API said. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function normaliseEntities(value: unknown): PackageEntities | undefined {
  if (!isRecord(value)) return undefined;
  // objCodes come from the server: without a prototype, `__proto__` is an objCode like any other.
  const out = Object.create(null) as PackageEntities;
  for (const objCode in value) {
    const list = value[objCode];
    if (!Array.isArray(list)) continue;
    const entities: PackageEntity[] = [];
    for (const raw of list) {
      const id = isRecord(raw) ? idOf(raw.id ?? raw.ID) : undefined;
      if (id === undefined) continue;
      // In place, like translation maps: a package's entities can number 50,000.
      (raw as Record<string, unknown>).id = id;
      entities.push(raw as PackageEntity);
    }
    out[objCode] = entities;
  }
  return out;
}

/** A package from any revision: `packageName` → name, old statuses → new, display/package entities both set. */
function toPackage(value: unknown): PromotionPackage {
  if (!isRecord(value)) throw new ShapeError('a package object');
  const id = checkedId(value.id ?? value.ID, 'a package id');
  if (id === undefined) throw new ShapeError('a package with an "id"');
  const entities = normaliseEntities(value.packageEntities ?? value.displayEntities);
  return compact({
    id,
    name: stringOf(value.name) ?? stringOf(value.packageName),
    description: nullableString(value.description),
    source: stringOf(value.source),
    status: normaliseStatus(value.status),
    version: numberOf(value.version),
    createdAt: stringOf(value.createdAt),
    createdById: stringOf(value.createdById),
    publishedAt: nullableString(value.publishedAt),
    retiredAt: nullableString(value.retiredAt),
    deletedAt: nullableString(value.deletedAt),
    customerId: stringOf(value.customerId),
    installationCounts: isRecord(value.installationCounts) ? value.installationCounts : undefined,
    // Older answers call the summary displayEntities, newer ones packageEntities: offer both names.
    packageEntities: entities,
    displayEntities: normaliseEntities(value.displayEntities) ?? entities,
    metadata: isRecord(value.metadata) ? value.metadata : undefined,
  });
}

function toList<T>(body: Body, item: (value: unknown) => T, what: string): T[] {
  const value = bodyValue(body);
  if (value === undefined || (isRecord(value) && Object.keys(value).length === 0)) return [];
  if (!Array.isArray(value)) throw new ShapeError(`a list of ${what}`);
  return value.map(item);
}

export function parsePackage(body: Body): PromotionPackage {
  return toPackage(bodyValue(body));
}

export function parsePackages(body: Body): PromotionPackage[] {
  return toList(body, toPackage, 'packages');
}

/** Bare `{packageEntities, metadata?}`, wrapped in `data`, or a whole package carrying its entities. */
export function parseDefinition(body: Body): PackageDefinition {
  const value = bodyValue(body);
  if (!isRecord(value)) throw new ShapeError('a definition object with "packageEntities"');
  const entities = normaliseEntities(value.packageEntities ?? value.displayEntities);
  if (!entities) throw new ShapeError('a definition object with "packageEntities"');
  return { ...value, packageEntities: entities };
}

/** Checked in place, not copied: the parsed answer is ours alone, and a 50,000-record map is large. */
function toTranslationMap(value: unknown): TranslationMap {
  if (!isRecord(value)) throw new ShapeError('a translation map {OBJCODE: {sourceId: record}}');
  for (const objCode in value) {
    const records = value[objCode];
    if (!isRecord(records)) throw new ShapeError(`translation map records under ${objCode}`);
    for (const sourceId in records) {
      const record = records[sourceId];
      if (!isRecord(record)) throw new ShapeError(`a translation map record at ${objCode}.${sourceId}`);
      if (typeof record.action !== 'string') record.action = String(record.action ?? '');
    }
  }
  return value as TranslationMap;
}

function toInstallation(value: unknown): Installation {
  if (!isRecord(value)) throw new ShapeError('an installation object');
  const id = checkedId(value.id ?? value.ID, 'an installation id');
  if (id === undefined) throw new ShapeError('an installation with an "id"');
  return compact({
    id,
    environmentPromotionPackageId: checkedId(value.environmentPromotionPackageId, 'a package id'),
    environmentPromotionPackageVersion: numberOf(value.environmentPromotionPackageVersion),
    userId: stringOf(value.userId),
    customerId: stringOf(value.customerId),
    status: normaliseStatus(value.status),
    environment: stringOf(value.environment),
    registeredAt: stringOf(value.registeredAt),
    updatedAt: nullableString(value.updatedAt),
    translationMap:
      value.translationMap === undefined || value.translationMap === null
        ? undefined
        : toTranslationMap(value.translationMap),
  });
}

export function parseInstallation(body: Body): Installation {
  return toInstallation(bodyValue(body));
}

export function parseInstallations(body: Body): Installation[] {
  return toList(body, toInstallation, 'installations');
}

/** Bare map (documented), wrapped in `data`, or under `translationMap`. */
export function parseTranslationMap(body: Body): TranslationMap {
  const value = bodyValue(body);
  return toTranslationMap(isRecord(value) && isRecord(value.translationMap) ? value.translationMap : value);
}

/** An installation's `environment` is a host in one example and a URL in another: the lower-case host either way. */
export function hostOfEnvironment(environment: string | undefined): string | undefined {
  const text = environment?.trim();
  if (!text) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The new installation's id: bare text, a JSON string, `{id}` or `{installationId}`, possibly in `data`. */
export function parseInstallationId(body: Body): string {
  const value = bodyValue(body);
  const id = isRecord(value) ? idOf(value.id ?? value.installationId) : idOf(value);
  if (id === undefined || !isId(id)) throw new ShapeError("the new installation's id");
  return id;
}

/**
 * The answer to `POST /installations/{id}/install`: `{}` or nothing (seeds 000, 002). Any other text (a login
 * page answered 200) is not taken as the installation started.
 */
export function parseAccepted(body: Body): void {
  if (body.type === 'text') throw new ShapeError('an empty answer or {}');
}

/** The answer to DELETE: plain text `Deleted`, a JSON value, or nothing; other text is not taken as deleted. */
export function parseDeleted(body: Body): void {
  if (body.type === 'text' && !/^deleted\.?$/i.test(body.text))
    throw new ShapeError('`Deleted`, {} or nothing');
}

/**
 * The API's message from an error body: `{error: {message}}`, `{message}`, `{error, error_description}`, text.
 * `redact` runs before the cut, so no fragment of an echoed credential survives it.
 */
export function apiMessageOf(
  body: Body,
  limit = 300,
  redact: (text: string) => string = (text) => text,
): string | undefined {
  const message =
    body.type === 'json' ? messageOf(unwrap(body.value)) : body.type === 'text' ? textOf(body.text) : '';
  if (!message) return undefined;
  const flat = redact(message).replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  const error = value.error;
  if (isRecord(error)) return messageOf(error);
  const description = stringOf(value.error_description) ?? stringOf(value.errorDescription);
  if (typeof error === 'string') return description ? `${error}: ${description}` : error;
  return (
    stringOf(value.message) ??
    stringOf(value.errorMessage) ??
    stringOf(value.detail) ??
    description ??
    (Array.isArray(value.errors) ? value.errors.map(messageOf).filter(Boolean).join('; ') : undefined)
  );
}

/** Plain text as it is; an HTML page (a proxy's or a login page) by its title, or its text without tags. */
function textOf(text: string): string {
  if (!/^\s*</.test(text)) return text;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  return (title ?? text.replace(/<[^>]*>/g, ' ')).trim();
}

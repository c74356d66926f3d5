// Workfront's core API (`/attask/api/{version}/{objCode}/…`) over the records each environment holds: search by
// name (`eq`, `cieq`, `contains`, `cicontains`), count, read by id; `fields`, `$$LIMIT`, `$$FIRST`, `ID_Sort`.
// Errors in the API's shape `{"error": {"class", "message"}}`, with the statuses the vendor's pages leave open
// chosen as a client would least like them: 404 for an unknown id, 400 for a bad query, 200 never with an error.
import { INSTALL_ORDER, PROMOTABLE } from './catalog.js';
import type { SimRecord } from './records.js';
import type { Reply } from './routes.js';
import type { EnvKey, Store } from './store.js';

const CORE_PREFIX = '/attask/api';
/** Each version is supported three years: v18 (April 2024) to v22 (May 2026) as of this writing. */
const CORE_VERSIONS: readonly string[] = ['v18.0', 'v19.0', 'v20.0', 'v21.0', 'v22.0'];
/** A call without a version goes to the newest. */
const DEFAULT_VERSION = 'v22.0';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 2000;
const DEFAULT_FIELDS = ['ID', 'name', 'objCode'];
const NAME_MODES = ['eq', 'cieq', 'ne', 'contains', 'cicontains'] as const;
type NameMode = (typeof NAME_MODES)[number];
/** Parameters that are not filters. */
const CONTROL = new Set(['fields', '$$LIMIT', '$$FIRST', 'apiKey', 'method']);

/** Every objCode the simulator keeps, as the core API spells it: a team is TEAMOB. */
const OBJCODES: ReadonlyMap<string, string> = new Map(
  [...new Set([...INSTALL_ORDER, ...Object.keys(PROMOTABLE)])].map((code) => [
    code === 'TEAM' ? 'TEAMOB' : code,
    code,
  ]),
);

export class CoreError extends Error {
  constructor(
    readonly status: number,
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
  }
}

export function coreErrorReply(error: CoreError): Reply {
  return { status: error.status, body: { error: { class: error.errorClass, message: error.message } } };
}

const badRequest = (message: string) => new CoreError(400, 'java.lang.IllegalArgumentException', message);

export function isCorePath(path: string): boolean {
  return path === CORE_PREFIX || path.startsWith(`${CORE_PREFIX}/`);
}

/** `v21.0/TMPL/search` → version, objCode, what; undefined parts are missing. */
function splitPath(path: string): { version: string; objCode: string; rest: string[] } {
  const parts = path.slice(CORE_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const version = /^v\d+\.\d+$/i.test(parts[0] ?? '') ? parts.shift()!.toLowerCase() : DEFAULT_VERSION;
  if (!CORE_VERSIONS.includes(version))
    throw new CoreError(404, 'com.attask.common.NotFoundException', `Unsupported API version ${version}`);
  const objCode = parts.shift();
  if (!objCode) throw badRequest('An objCode is required: /attask/api/{version}/{objCode}/search');
  return { version, objCode, rest: parts };
}

function storedObjCode(objCode: string): string {
  const upper = objCode.toUpperCase();
  if (upper === 'TEAM')
    throw new CoreError(
      422,
      'com.attask.common.InvalidObjCodeException',
      'TEAM is no objCode: teams are TEAMOB',
    );
  const stored = OBJCODES.get(upper);
  if (!stored)
    throw new CoreError(422, 'com.attask.common.InvalidObjCodeException', `Unknown objCode ${objCode}`);
  return stored;
}

/** The fields asked for; one that no record of the objCode has is refused, as the API refuses an unknown field. */
function fieldsOf(query: URLSearchParams, objCode: string, records: SimRecord[]): string[] {
  const raw = query.get('fields');
  if (raw === null || raw.trim() === '') return DEFAULT_FIELDS;
  const known = new Set([...DEFAULT_FIELDS, 'description', '*']);
  for (const record of records) {
    for (const field of Object.keys(record.fields)) known.add(field);
    for (const ref of record.references) known.add(ref.field);
  }
  return raw.split(',').map((field) => {
    const name = field.trim();
    if (!known.has(name)) throw badRequest(`Unknown field "${name}" for ${objCode}`);
    return name;
  });
}

function render(record: SimRecord, objCode: string, fields: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    ID: record.id,
    name: record.name,
    objCode,
    description: record.description,
    ...record.fields,
  };
  for (const ref of record.references) all[ref.field] = ref.id;
  if (fields.includes('*')) return all;
  const out: Record<string, unknown> = { ID: record.id, objCode };
  // A field other records of the objCode have is left out of one that lacks it.
  for (const field of fields) if (field in all) out[field] = all[field];
  return out;
}

function nameMatches(mode: NameMode, name: string, value: string): boolean {
  switch (mode) {
    case 'eq':
      return name === value;
    case 'ne':
      return name !== value;
    case 'cieq':
      return name.toLowerCase() === value.toLowerCase();
    case 'contains':
      return name.includes(value);
    case 'cicontains':
      return name.toLowerCase().includes(value.toLowerCase());
  }
}

/** The records a query's filters keep: `name` (with `name_Mod`) and `ID`; any other filter field is refused. */
function filtered(records: SimRecord[], query: URLSearchParams, objCode: string): SimRecord[] {
  let out = records;
  for (const key of new Set(query.keys())) {
    if (CONTROL.has(key) || key === 'name_Mod' || key === 'ID_Sort' || key === 'name_Sort') continue;
    if (key === 'name') {
      const rawMode = query.get('name_Mod') ?? 'eq';
      const mode = NAME_MODES.find((m) => m === rawMode);
      if (!mode) throw badRequest(`Unsupported modifier name_Mod=${rawMode}; use ${NAME_MODES.join(', ')}`);
      const value = query.get('name') ?? '';
      out = out.filter((record) => nameMatches(mode, record.name, value));
    } else if (key === 'ID') {
      const id = query.get('ID');
      out = out.filter((record) => record.id === id);
    } else throw badRequest(`Unknown field "${key}" for ${objCode}`);
  }
  const sort = query.get('ID_Sort') ?? query.get('name_Sort');
  if (sort) {
    const by = query.has('ID_Sort') ? (r: SimRecord) => r.id : (r: SimRecord) => r.name;
    const sign = sort.toLowerCase() === 'desc' ? -1 : 1;
    out = [...out].sort((a, b) => sign * (by(a) < by(b) ? -1 : by(a) > by(b) ? 1 : 0));
  }
  return out;
}

function numberParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw badRequest(`${name} must be a whole number, found "${raw}"`);
  return Number(raw);
}

/**
 * Answers one core-API request of environment `env`. `authenticate` checks the promotion API's credentials (the
 * same headers); the `apiKey` query parameter, which the vendor also accepts, is honoured here.
 */
export function serveCoreApi(
  store: Store,
  env: EnvKey,
  method: string,
  path: string,
  query: URLSearchParams,
  authenticate: (queryApiKey: string | undefined) => void,
): Reply {
  authenticate(query.get('apiKey') ?? undefined);
  if (method !== 'GET')
    throw new CoreError(
      405,
      'com.attask.common.MethodNotAllowedException',
      `Method ${method} is not offered here`,
    );
  const { objCode, rest } = splitPath(path);
  const stored = storedObjCode(objCode);
  const shown = stored === 'TEAM' ? 'TEAMOB' : stored;
  const records = store.env(env).records.all(stored);
  const [what, ...extra] = rest;
  if (extra.length || what === undefined) throw badRequest(`No such action: ${path}`);
  if (what === 'search') {
    const fields = fieldsOf(query, shown, records);
    const limit = Math.min(numberParam(query, '$$LIMIT', DEFAULT_LIMIT), MAX_LIMIT);
    const first = numberParam(query, '$$FIRST', 0);
    const page = filtered(records, query, shown).slice(first, first + limit);
    return { status: 200, body: { data: page.map((record) => render(record, shown, fields)) } };
  }
  if (what === 'count')
    return { status: 200, body: { data: { count: filtered(records, query, shown).length } } };
  const record = store.env(env).records.get(stored, what);
  if (!record)
    throw new CoreError(
      404,
      'com.attask.common.NotFoundException',
      `${shown} is not found: ${what.slice(0, 80)}`,
    );
  return { status: 200, body: { data: render(record, shown, fieldsOf(query, shown, records)) } };
}

// Naming objects instead of giving their ids: object-collections entries with a name (resolved in the source
// environment) and map-file targets (targetName resolved, every targetId checked, in the target environment).
// Pure but for the core client it is given; every problem is collected, none thrown.
import { CORE_CONCURRENCY, mapLimit, type CoreApi, type CoreObject } from './api/core.js';
import { isWorkfrontError } from './api/errors.js';
import type { ObjectCollection, TranslationMap } from './api/types.js';
import type { CollectionInput } from './object-collections.js';
import { isId, plain } from './text.js';
import type { MapOverrides, MapRecord, Override } from './translation-map.js';

/** Candidates listed in an error; one more is asked for, to know that there are more. */
const MAX_CANDIDATES = 10;

/** objCode → target id → the record's name in the target. */
export type TargetNames = Record<string, Record<string, string>>;

export interface Resolved {
  objCode: string;
  name: string;
  ID: string;
}

export type Lookup = { found: CoreObject } | { problem: string };

const quoted = (name: string | undefined) => `"${plain(name ?? '(no name)', 120)}"`;

/** `"Name" (id); …; … and N more` */
export function listCandidates(candidates: readonly CoreObject[], total = candidates.length): string {
  const shown = candidates.slice(0, MAX_CANDIDATES).map((c) => `${quoted(c.name)} (${c.ID})`);
  const more = total - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; … and ${more} more` : ''}`;
}

/** The lookups the API answers as failures of one entry rather than of the run (an objCode without names, say). */
function entryProblem(error: unknown): string | undefined {
  if (isWorkfrontError(error) && (error.kind === 'input' || error.kind === 'not-found'))
    return `the core API refused the lookup: ${plain(error.message, 600)}`;
  return undefined;
}

/** Exactly one object of `objCode` named `name` (exactly, ignoring case), or why not, with the candidates. */
export async function lookUpName(core: CoreApi, objCode: string, name: string): Promise<Lookup> {
  if (name.startsWith('$$')) {
    return {
      problem: `names starting with $$ are expanded by Workfront (as $$TODAY, $$USER) and cannot be looked up; give the ID`,
    };
  }
  try {
    const answered = await core.search(objCode, name, { mode: 'cieq', limit: MAX_CANDIDATES + 1 });
    // Checked here too: a server that ignored name_Mod must not make a near match count. Objects answered
    // without any name (an objCode whose name field is unverified) are taken as the server matched them.
    const named = answered.some((o) => o.name !== undefined);
    const exact = named ? answered.filter((o) => o.name?.toLowerCase() === name.toLowerCase()) : answered;
    if (exact.length === 1) return { found: exact[0] };
    if (exact.length > 1) {
      const total = answered.length > MAX_CANDIDATES ? await core.count(objCode, name, 'cieq') : exact.length;
      return {
        problem: `${Math.max(total, exact.length)} objects of ${objCode} are named ${quoted(name)} in ${core.host}: ${listCandidates(exact, Math.max(total, exact.length))}; give the ID of the one you mean`,
      };
    }
    const similar = await core.search(objCode, name, { mode: 'cicontains', limit: MAX_CANDIDATES + 1 });
    // The count can come short of what the search answered (a server without count): never below it.
    const total = Math.max(
      similar.length,
      similar.length > MAX_CANDIDATES ? await core.count(objCode, name, 'cicontains') : 0,
    );
    return {
      problem: `no ${objCode} is named ${quoted(name)} in ${core.host} (names match exactly, ignoring case)${
        similar.length ? `; names containing it: ${listCandidates(similar, total)}` : ''
      }`,
    };
  } catch (error) {
    const problem = entryProblem(error);
    if (problem) return { problem };
    throw error;
  }
}

const lowerKey = (objCode: string, name: string) => `${objCode}\u0000${name.toLowerCase()}`;

/** Whether any entry names its object instead of giving its id. */
export function hasNamedEntries(collections: readonly CollectionInput[]): boolean {
  return collections.some((c) => c.entities.some((e) => e.ID === undefined));
}

export interface ResolvedCollections {
  /** Undefined when any name was not resolved. */
  collections?: ObjectCollection[];
  resolved: Resolved[];
  problems: string[];
  warnings: string[];
}

/** Resolves every entry that has a name and no ID, in the environment of `core`; `where` names the input. */
export async function resolveCollections(
  core: CoreApi,
  collections: readonly CollectionInput[],
  where: string,
): Promise<ResolvedCollections> {
  const wanted = new Map<string, { objCode: string; name: string }>();
  for (const { objCode, entities } of collections)
    for (const { ID, name } of entities)
      if (ID === undefined && name !== undefined) wanted.set(lowerKey(objCode, name), { objCode, name });
  const asked = [...wanted.values()];
  const answers = await mapLimit(asked, CORE_CONCURRENCY, (w) => lookUpName(core, w.objCode, w.name));
  const found = new Map<string, CoreObject>();
  const problems: string[] = [];
  const resolved: Resolved[] = [];
  asked.forEach((w, i) => {
    const answer = answers[i];
    if ('found' in answer) {
      found.set(lowerKey(w.objCode, w.name), answer.found);
      resolved.push({ objCode: w.objCode, name: answer.found.name ?? w.name, ID: answer.found.ID });
    } else problems.push(`${where}: ${w.objCode} ${quoted(w.name)}: ${answer.problem}`);
  });
  if (problems.length) return { resolved, problems, warnings: [] };
  const warnings: string[] = [];
  const out = collections.map(({ objCode, entities }) => {
    const seen = new Set<string>();
    const refs: ObjectCollection['entities'] = [];
    for (const entity of entities) {
      const object = entity.ID === undefined ? found.get(lowerKey(objCode, entity.name ?? '')) : undefined;
      const ref = object
        ? { ID: object.ID, name: object.name ?? entity.name }
        : { ...entity, ID: entity.ID! };
      if (seen.has(ref.ID)) {
        if (object) warnings.push(`${where}: ${objCode} ${quoted(entity.name)} is ${ref.ID}, listed already`);
        continue;
      }
      seen.add(ref.ID);
      refs.push(ref.name === undefined ? { ID: ref.ID } : ref);
    }
    return { objCode, entities: refs };
  });
  return { collections: out, resolved, problems, warnings };
}

const NEEDS_TARGET: ReadonlySet<string> = new Set(['USEEXISTING', 'OVERWRITING']);

export interface CheckedTargets {
  /** The overrides with every targetName resolved to its targetId, and targetName the target's own name. */
  overrides: MapOverrides;
  names: TargetNames;
  /** Every target found, by name or by id, for the log. */
  resolved: Array<Resolved & { sourceId: string; by: 'name' | 'id' }>;
  /** How many target ids were checked. */
  checked: number;
  problems: string[];
  warnings: string[];
}

/**
 * In the environment of `core`: resolves each `targetName` without a `targetId`, and checks that every
 * `targetId` an override gives (or a name resolved to) is an object of its objCode there.
 */
export async function checkTargets(
  core: CoreApi,
  overrides: MapOverrides,
  where: string,
): Promise<CheckedTargets> {
  const entries: Array<{ objCode: string; sourceId: string; override: Override }> = [];
  for (const [objCode, byId] of Object.entries(overrides))
    for (const [sourceId, override] of Object.entries(byId))
      if (NEEDS_TARGET.has(override.action) && (override.targetId || override.targetName))
        entries.push({ objCode, sourceId, override });

  const byName = new Map<string, { objCode: string; name: string }>();
  const byId = new Map<string, { objCode: string; id: string }>();
  for (const { objCode, override } of entries) {
    if (override.targetId)
      byId.set(`${objCode}\u0000${override.targetId}`, { objCode, id: override.targetId });
    else if (override.targetName)
      byName.set(lowerKey(objCode, override.targetName), { objCode, name: override.targetName });
  }
  const names = [...byName.values()];
  const ids = [...byId.values()];
  const nameAnswers = await mapLimit(names, CORE_CONCURRENCY, (n) => lookUpName(core, n.objCode, n.name));
  const idAnswers = await mapLimit(ids, CORE_CONCURRENCY, async (t): Promise<Lookup> => {
    // Not an id at all (a name given as targetId, say): no request can find it.
    if (!isId(t.id)) return { problem: 'this is not a Workfront ID; to name the target, give targetName' };
    try {
      const object = await core.get(t.objCode, t.id);
      return object
        ? { found: object }
        : { problem: `no ${t.objCode} has the id ${plain(t.id, 80)} in ${core.host}` };
    } catch (error) {
      const problem = entryProblem(error);
      if (problem) return { problem };
      throw error;
    }
  });
  const nameOf = new Map(names.map((n, i) => [lowerKey(n.objCode, n.name), nameAnswers[i]]));
  const idOf = new Map(ids.map((t, i) => [`${t.objCode}\u0000${t.id}`, idAnswers[i]]));

  const result: CheckedTargets = {
    overrides: Object.fromEntries(Object.entries(overrides).map(([code, byId]) => [code, { ...byId }])),
    names: {},
    resolved: [],
    checked: ids.length,
    problems: [],
    warnings: [],
  };
  for (const { objCode, sourceId, override } of entries) {
    const label = `${where} ${objCode}.${plain(sourceId, 80)}`;
    const answer = override.targetId
      ? idOf.get(`${objCode}\u0000${override.targetId}`)!
      : nameOf.get(lowerKey(objCode, override.targetName!))!;
    if ('problem' in answer) {
      const what = override.targetId
        ? `targetId ${plain(override.targetId, 80)}`
        : `targetName ${quoted(override.targetName)}`;
      result.problems.push(`${label}: ${what}: ${answer.problem}`);
      continue;
    }
    const { ID, name } = answer.found;
    if (
      override.targetId &&
      override.targetName &&
      name !== undefined &&
      name.toLowerCase() !== override.targetName.toLowerCase()
    ) {
      result.warnings.push(
        `${label}: targetName ${quoted(override.targetName)}, but ${ID} is named ${quoted(name)} in ${core.host}; the targetId is used`,
      );
    }
    result.resolved.push({
      objCode,
      sourceId,
      name: name ?? override.targetName ?? '',
      ID,
      by: override.targetId ? 'id' : 'name',
    });
    result.overrides[objCode][sourceId] = {
      ...override,
      targetId: ID,
      ...(name !== undefined ? { targetName: name } : {}),
    };
    if (name !== undefined) (result.names[objCode] ??= {})[ID] = name;
  }
  return result;
}

/** Sets `targetName` on the records whose target the action looked up. */
export function nameTargets(records: MapRecord[], names: TargetNames | undefined): void {
  if (!names) return;
  for (const record of records) {
    const name = record.targetId ? names[record.objCode]?.[record.targetId] : undefined;
    if (name !== undefined) record.targetName = name;
  }
}

/** A copy of the map with `targetName` beside each looked-up target id: for the file a person reads. */
export function withTargetNames(map: TranslationMap, names: TargetNames | undefined): TranslationMap {
  if (!names || Object.keys(names).length === 0) return map;
  const out: TranslationMap = { ...map };
  for (const [objCode, byTarget] of Object.entries(names)) {
    const records = map[objCode];
    if (!records) continue;
    out[objCode] = { ...records };
    for (const [sourceId, record] of Object.entries(records)) {
      const name = typeof record.targetId === 'string' ? byTarget[record.targetId] : undefined;
      if (name !== undefined) out[objCode][sourceId] = { ...record, targetName: name };
    }
  }
  return out;
}

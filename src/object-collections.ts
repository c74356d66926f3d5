// The `object-collections` input: the API's array, or the shorthand map `{OBJCODE: [id | {ID, name}]}`.
import { isRecord } from './api/parse.js';
import { describeType } from './files.js';
import { OBJCODE_PATTERN, PROMOTABLE_OBJCODES } from './objcodes.js';
import { ID_PATTERN } from './text.js';

export interface Parsed<T> {
  value?: T;
  errors: string[];
  warnings: string[];
}

/** An entity as the input gives it: its ID, or only a name, resolved in the source environment (see names.ts). */
export interface EntityInput {
  ID?: string;
  name?: string;
}

export interface CollectionInput {
  objCode: string;
  entities: EntityInput[];
}

function entity(raw: unknown, where: string, errors: string[]): EntityInput | undefined {
  if (typeof raw === 'string') {
    if (ID_PATTERN.test(raw)) return { ID: raw };
    if (raw.trim() !== '') return { name: raw.trim() };
    errors.push(`${where}: an empty text is neither an ID nor a name`);
    return undefined;
  }
  if (typeof raw === 'number') {
    errors.push(`${where}: ${raw} is a number; quote the ID so it stays exact`);
    return undefined;
  }
  if (!isRecord(raw)) {
    errors.push(`${where}: expected an ID or {ID, name}, found ${describeType(raw)}`);
    return undefined;
  }
  const id = raw.ID ?? raw.id;
  if (id === undefined && typeof raw.name === 'string' && raw.name.trim() !== '') {
    const unknown = Object.keys(raw).filter((key) => key !== 'name');
    if (unknown.length)
      errors.push(`${where}: unknown field ${unknown.join(', ')} (an entity has ID and name)`);
    return { name: raw.name.trim() };
  }
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    errors.push(
      `${where}: ID must be a Workfront ID string, found ${describeType(id)} (or give only a name, resolved in the source environment)`,
    );
    return undefined;
  }
  if (raw.name !== undefined && typeof raw.name !== 'string') {
    errors.push(`${where}: name must be text, found ${describeType(raw.name)}`);
    return undefined;
  }
  const unknown = Object.keys(raw).filter((key) => !['ID', 'id', 'name'].includes(key));
  if (unknown.length)
    errors.push(`${where}: unknown field ${unknown.join(', ')} (an entity has ID and name)`);
  return raw.name === undefined ? { ID: id } : { ID: id, name: raw.name };
}

function collection(objCode: string, entities: unknown, where: string, out: Parsed<CollectionInput[]>) {
  if (!OBJCODE_PATTERN.test(objCode)) {
    out.errors.push(`${where}: "${objCode}" is not an objCode (upper-case letters, e.g. TMPL, PTLTAB)`);
    return undefined;
  }
  if (!(objCode in PROMOTABLE_OBJCODES)) {
    out.warnings.push(
      `${where}: objCode ${objCode} is not in the documented list; the service may refuse it`,
    );
  }
  if (!Array.isArray(entities) || entities.length === 0) {
    out.errors.push(`${where}: ${objCode} needs a non-empty list of entities`);
    return undefined;
  }
  const refs = entities
    .map((raw, index) => entity(raw, `${where} ${objCode}[${index}]`, out.errors))
    .filter((ref): ref is EntityInput => ref !== undefined);
  return { objCode, entities: refs };
}

/** Validates an already parsed JSON/YAML value; `where` names the input for messages. */
export function parseObjectCollections(raw: unknown, where: string): Parsed<CollectionInput[]> {
  const out: Parsed<CollectionInput[]> = { errors: [], warnings: [] };
  const collections: CollectionInput[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((item, index) => {
      if (!isRecord(item) || typeof item.objCode !== 'string') {
        out.errors.push(
          `${where}[${index}]: expected {objCode, entities: [{ID, name?} | {name}]}, found ${describeType(item)}`,
        );
        return;
      }
      const unknown = Object.keys(item).filter((key) => key !== 'objCode' && key !== 'entities');
      if (unknown.length) {
        out.errors.push(
          `${where}[${index}]: unknown field ${unknown.join(', ')} (an item has objCode and entities)`,
        );
      }
      const parsed = collection(item.objCode, item.entities, `${where}[${index}]`, out);
      if (parsed) collections.push(parsed);
    });
  } else if (isRecord(raw)) {
    for (const [objCode, entities] of Object.entries(raw)) {
      if (objCode === '$schema') continue;
      const parsed = collection(objCode, entities, where, out);
      if (parsed) collections.push(parsed);
    }
  } else {
    out.errors.push(
      `${where}: expected a list [{objCode, entities}] or a map {OBJCODE: [IDs]}, found ${describeType(raw)}`,
    );
  }
  if (out.errors.length === 0 && collections.length === 0) out.errors.push(`${where}: no objects to promote`);
  const seen = new Set<string>();
  for (const { objCode, entities } of collections) {
    for (const { ID } of entities) {
      if (ID === undefined) continue;
      const key = `${objCode}/${ID}`;
      if (seen.has(key)) out.warnings.push(`${where}: ${objCode} ${ID} is listed twice`);
      seen.add(key);
    }
  }
  if (out.errors.length === 0) out.value = collections;
  return out;
}

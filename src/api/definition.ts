// A package definition as dependants are found from it: each entity's id and the ids it mentions. A
// 50,000-record definition is 20 MB of JSON and about 100 MB once parsed whole; read entity by entity, only
// its index is kept.
import { isId } from '../text.js';
import { isRecord, parseDefinition, readBody, ShapeError, unwrap } from './parse.js';
import type { DefinitionIndex, IndexedEntity, PackageDefinition } from './types.js';

/** Placeholder of an entity in the skeleton: an object no entity position can otherwise hold after the scan. */
const SLOT = '#';

function mentionsOf(value: Record<string, unknown>, depth: number, out: Set<string>): Set<string> {
  for (const key in value) {
    if (depth === 0 && key === 'id') continue;
    const field = value[key];
    if (typeof field === 'string') {
      if (isId(field)) out.add(field);
    } else if (depth < 3 && field && typeof field === 'object') {
      for (const item of Array.isArray(field) ? field : [field]) {
        if (typeof item === 'string') {
          if (isId(item)) out.add(item);
        } else if (isRecord(item)) mentionsOf(item, depth + 1, out);
      }
    }
  }
  return out;
}

type Indexed = Omit<IndexedEntity, 'objCode'>;

/** An entity as the index keeps it; none for one without an id of the id pattern (nothing can refer to it). */
function indexed(raw: Record<string, unknown>): Indexed | undefined {
  const value = raw.id ?? raw.ID;
  const id = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (!isId(id)) return undefined;
  const mentions = mentionsOf(raw, 0, new Set());
  mentions.delete(id);
  return { id, mentions: [...mentions] };
}

function installOrderOf(definition: Record<string, unknown>): string[] | undefined {
  const order = isRecord(definition.metadata) ? definition.metadata.installOrder : undefined;
  return Array.isArray(order) ? order.filter((o): o is string => typeof o === 'string') : undefined;
}

/** The index of a definition parsed whole (the fallback, and what the scan must agree with). */
export function indexOfDefinition(definition: PackageDefinition): DefinitionIndex {
  const entities: IndexedEntity[] = [];
  for (const [objCode, list] of Object.entries(definition.packageEntities)) {
    for (const raw of list ?? []) {
      const entry = indexed(raw as Record<string, unknown>);
      if (entry) entities.push({ objCode, ...entry });
    }
  }
  return { entities, installOrder: installOrderOf(definition) };
}

/** The index of a definition's answer text: scanned entity by entity, or, when that declines, parsed whole. */
export function readDefinitionIndex(text: string, maxDepth: number): DefinitionIndex {
  return scanDefinition(text, maxDepth) ?? indexOfDefinition(parseDefinition(readBody(text, maxDepth)));
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;

/** The index of the closing quote of the string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

const tooDeep = (maxDepth: number) => new ShapeError(`JSON nested at most ${maxDepth} levels deep`);

/**
 * Every object in an array three containers deep (`{"packageEntities": {"TMPL": [{…}]}}`), or four under a
 * `data` wrapper, is parsed on its own and indexed at once; the rest, each such object replaced by a
 * placeholder, is parsed as one document, so the answer as a whole is still checked as JSON and read by the
 * same rules as `parseDefinition` (wrapper, `packageEntities` or `displayEntities`). Answers not read this way
 * (not JSON, cut short, an entity that does not parse) are left to the fallback, which refuses or repairs them.
 */
export function scanDefinition(text: string, maxDepth: number): DefinitionIndex | undefined {
  const start = text.search(/\S/);
  if (start < 0 || text.charCodeAt(start) !== OPEN_OBJECT) return undefined;
  const inArray: boolean[] = [];
  const pieces: string[] = [];
  // Indexed as soon as parsed: the parsed entity itself is left to the garbage collector at once.
  const slots: (Indexed | undefined)[] = [];
  let pieceStart = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return undefined;
    } else if (c === OPEN_OBJECT && (inArray.length === 3 || inArray.length === 4) && inArray.at(-1)) {
      const end = containerEnd(text, i, inArray.length, maxDepth);
      if (end < 0) return undefined;
      let entity: Record<string, unknown>;
      try {
        entity = JSON.parse(text.slice(i, end + 1)) as Record<string, unknown>;
      } catch {
        return undefined;
      }
      pieces.push(text.slice(pieceStart, i), `{"${SLOT}":${slots.length}}`);
      slots.push(indexed(entity));
      pieceStart = end + 1;
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      inArray.push(c === OPEN_ARRAY);
      if (inArray.length > maxDepth) throw tooDeep(maxDepth);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (inArray.pop() === undefined) return undefined;
    }
  }
  if (inArray.length) return undefined;
  pieces.push(text.slice(pieceStart));
  let skeleton: unknown;
  try {
    skeleton = JSON.parse(pieces.join(''));
  } catch {
    return undefined;
  }
  const value = unwrap(skeleton);
  if (!isRecord(value)) throw new ShapeError('a definition object with "packageEntities"');
  const lists = value.packageEntities ?? value.displayEntities;
  if (!isRecord(lists)) throw new ShapeError('a definition object with "packageEntities"');
  const entities: IndexedEntity[] = [];
  for (const objCode in lists) {
    const list = lists[objCode];
    if (!Array.isArray(list)) continue;
    for (const slot of list) {
      // Every object in these arrays was replaced by a placeholder; anything else is not an entity.
      if (!isRecord(slot) || typeof slot[SLOT] !== 'number') continue;
      const entry = slots[slot[SLOT]];
      if (entry) entities.push({ objCode, ...entry });
    }
  }
  return { entities, installOrder: installOrderOf(value) };
}

/** The index of the bracket closing the object opening at `start` at depth `depth`, or -1. */
function containerEnd(text: string, start: number, depth: number, maxDepth: number): number {
  let level = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      level++;
      if (depth + level > maxDepth) throw tooDeep(maxDepth);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      level--;
      if (level === 0) return i;
    }
  }
  return -1;
}

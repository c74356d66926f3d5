// A package definition as dependants are found from it: each entity's id and the ids it mentions. A
// 50,000-record definition is 20 MB of JSON and about 100 MB once parsed whole; read entity by entity, only
// its index is kept.
import { isId } from '../text.js';
import { idOf, isRecord, ShapeError, unwrap } from './parse.js';
import { mapReader, pieceOf, splitStream, type ReadLimits, type StreamReader } from './split.js';
import type { DefinitionIndex, IndexedEntity, PackageDefinition } from './types.js';

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
  const id = idOf(raw.id ?? raw.ID);
  if (!isId(id)) return undefined;
  const mentions = mentionsOf(raw, 0, new Set());
  mentions.delete(id);
  return { id, mentions: [...mentions] };
}

function installOrderOf(definition: Record<string, unknown>): string[] | undefined {
  const order = isRecord(definition.metadata) ? definition.metadata.installOrder : undefined;
  return Array.isArray(order) ? order.filter((o): o is string => typeof o === 'string') : undefined;
}

/** The entities of each objCode's list, as `entry` indexes each item (nothing for one it gives nothing for). */
function indexOfLists(
  definition: Record<string, unknown>,
  lists: Record<string, unknown>,
  entry: (item: unknown) => Indexed | undefined,
): DefinitionIndex {
  const entities: IndexedEntity[] = [];
  for (const objCode in lists) {
    const list = lists[objCode];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const indexedItem = entry(item);
      if (indexedItem) entities.push({ objCode, ...indexedItem });
    }
  }
  return { entities, installOrder: installOrderOf(definition) };
}

/** The index of a definition parsed whole (the fallback, and what the scan must agree with). */
export function indexOfDefinition(definition: PackageDefinition): DefinitionIndex {
  return indexOfLists(definition, definition.packageEntities, (raw) =>
    indexed(raw as Record<string, unknown>),
  );
}

/** More entities than any package has: the index of each is kept, so an answer of millions is refused. */
const MAX_ENTITIES = 1_000_000;

/**
 * Reads a definition's answer as it arrives: every object in an array three containers deep
 * (`{"packageEntities": {"TMPL": [{…}]}}`), or four under a `data` wrapper, is parsed on its own and indexed at
 * once; the rest is read by the same rules as `parseDefinition` (wrapper, `packageEntities` or
 * `displayEntities`). Ends undefined for an answer not read this way.
 */
export function definitionReader(limits: ReadLimits): StreamReader<DefinitionIndex> {
  // Indexed as soon as parsed: the parsed entity itself is left to the garbage collector at once.
  const split = splitStream({ maxPieces: MAX_ENTITIES, ...limits }, [3, 4], (json) =>
    indexed(JSON.parse(json) as Record<string, unknown>),
  );
  return mapReader(split, ({ skeleton, pieces }) => {
    const value = unwrap(skeleton);
    if (!isRecord(value)) throw new ShapeError('a definition object with "packageEntities"');
    const lists = value.packageEntities ?? value.displayEntities;
    if (!isRecord(lists)) throw new ShapeError('a definition object with "packageEntities"');
    // Every object in these arrays was replaced by a placeholder; anything else is not an entity.
    return indexOfLists(value, lists, (slot) => pieceOf(slot, pieces));
  });
}

// The configuration records of one environment (templates, groups, forms…), indexed so that a pre-run or an
// installation of 50,000 records does constant-time lookups per record.

/**
 * A record points at another one. `parent` marks ownership (a template task belongs to its template): a child
 * cannot be created without its parent. `uses` is a plain reference (a task's role, a template's group).
 */
export interface Reference {
  objCode: string;
  id: string;
  /** The record's field holding the id, e.g. `templateID`; a field ending in `IDs` holds a list. */
  field: string;
  relation: 'parent' | 'uses';
}

/** Records are never changed in place (an installation puts a new object), so packages can share them. */
export interface SimRecord {
  objCode: string;
  id: string;
  name: string;
  description: string | null;
  /** Plain attributes; reference fields are derived from `references`. */
  fields: Record<string, unknown>;
  references: Reference[];
}

const SEP = '\u0000';
const key = (...parts: string[]) => parts.join(SEP);

export function parentOf(record: SimRecord): Reference | undefined {
  return record.references.find((ref) => ref.relation === 'parent');
}

export class RecordTable {
  private readonly byCode = new Map<string, Map<string, SimRecord>>();
  /** objCode → lower-case name → ids, in insertion order. */
  private readonly byName = new Map<string, Map<string, string[]>>();
  /** parent id → its children. */
  private readonly children = new Map<string, SimRecord[]>();
  /** parent id, objCode, lower-case name → child id: children match by name only under their parent. */
  private readonly childByName = new Map<string, string>();
  /** objCode, source id → id of the record an earlier installation created or overwrote from it. */
  private readonly origins = new Map<string, string>();

  get(objCode: string, id: string): SimRecord | undefined {
    return this.byCode.get(objCode)?.get(id);
  }

  all(objCode: string): SimRecord[] {
    return [...(this.byCode.get(objCode)?.values() ?? [])];
  }

  objCodes(): string[] {
    return [...this.byCode.keys()];
  }

  count(): number {
    let total = 0;
    for (const table of this.byCode.values()) total += table.size;
    return total;
  }

  /** The first record of that objCode with that name (case-insensitive). */
  findByName(objCode: string, name: string): SimRecord | undefined {
    const id = this.byName.get(objCode)?.get(name.toLowerCase())?.[0];
    return id === undefined ? undefined : this.get(objCode, id);
  }

  findChildByName(parentId: string, objCode: string, name: string): SimRecord | undefined {
    const id = this.childByName.get(key(parentId, objCode, name.toLowerCase()));
    return id === undefined ? undefined : this.get(objCode, id);
  }

  childrenOf(parentId: string): readonly SimRecord[] {
    return this.children.get(parentId) ?? [];
  }

  /** The record an earlier installation made from `sourceId`, if it still exists. */
  fromSource(objCode: string, sourceId: string): SimRecord | undefined {
    const id = this.origins.get(key(objCode, sourceId));
    return id === undefined ? undefined : this.get(objCode, id);
  }

  /** Inserts or replaces a record; `sourceId` remembers which package record it was installed from. */
  put(record: SimRecord, sourceId?: string): void {
    const previous = this.get(record.objCode, record.id);
    if (previous) this.unindex(previous);
    let table = this.byCode.get(record.objCode);
    if (!table) this.byCode.set(record.objCode, (table = new Map()));
    table.set(record.id, record);
    this.index(record);
    if (sourceId !== undefined) this.origins.set(key(record.objCode, sourceId), record.id);
  }

  delete(objCode: string, id: string): boolean {
    const record = this.get(objCode, id);
    if (!record) return false;
    this.unindex(record);
    this.byCode.get(objCode)?.delete(id);
    return true;
  }

  private index(record: SimRecord): void {
    let names = this.byName.get(record.objCode);
    if (!names) this.byName.set(record.objCode, (names = new Map()));
    const lower = record.name.toLowerCase();
    const ids = names.get(lower);
    if (ids) ids.push(record.id);
    else names.set(lower, [record.id]);
    const parent = parentOf(record);
    if (parent) {
      const siblings = this.children.get(parent.id);
      if (siblings) siblings.push(record);
      else this.children.set(parent.id, [record]);
      const childKey = key(parent.id, record.objCode, lower);
      if (!this.childByName.has(childKey)) this.childByName.set(childKey, record.id);
    }
  }

  private unindex(record: SimRecord): void {
    const lower = record.name.toLowerCase();
    const names = this.byName.get(record.objCode);
    const ids = names?.get(lower)?.filter((id) => id !== record.id);
    if (ids?.length) names?.set(lower, ids);
    else names?.delete(lower);
    const parent = parentOf(record);
    if (parent) {
      const siblings = this.children.get(parent.id)?.filter((child) => child.id !== record.id);
      if (siblings?.length) this.children.set(parent.id, siblings);
      else this.children.delete(parent.id);
      const childKey = key(parent.id, record.objCode, lower);
      if (this.childByName.get(childKey) === record.id) this.childByName.delete(childKey);
    }
  }
}

/** A record as the definition shows it: `{id, name, description, …fields, …reference fields, references}`. */
export function recordToEntity(record: SimRecord): Record<string, unknown> {
  const entity: Record<string, unknown> = {
    id: record.id,
    name: record.name,
    description: record.description,
    ...record.fields,
  };
  for (const ref of record.references) {
    if (ref.field.endsWith('IDs')) {
      const list = Array.isArray(entity[ref.field]) ? (entity[ref.field] as unknown[]) : [];
      entity[ref.field] = [...list, ref.id];
    } else entity[ref.field] = ref.id;
  }
  entity.references = record.references.map((ref) => ({ ...ref }));
  return entity;
}

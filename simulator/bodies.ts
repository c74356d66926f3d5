// Request bodies, checked the way a strict service would: every problem becomes a 400 with a message.
import type { ObjectCollection, PackageMetadata } from '../src/api/types.js';
import { PROMOTABLE } from './catalog.js';
import { ApiError } from './errors.js';
import type { Reference, SimRecord } from './records.js';
import { statusFromRequest } from './statuses.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new ApiError(400, message);
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(`${field} must be a string`);
  return value;
}

/** `description` may also be null. */
function optionalDescription(body: Record<string, unknown>): string | null | undefined {
  return body.description === null ? null : optionalString(body, 'description');
}

function optionalSource(body: Record<string, unknown>): string | undefined {
  const source = optionalString(body, 'source');
  if (source === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    fail(`source "${source}" is not a URL; expected https://{domain}.{environment}.workfront.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail(`source "${source}" must be an http(s) URL`);
  return source;
}

function optionalVersion(body: Record<string, unknown>): number | undefined {
  const version = body.version;
  if (version === undefined) return undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    fail('version must be a positive integer');
  return version;
}

/** The older base (seed 001) names the package `packageName`. */
function packageName(body: Record<string, unknown>, legacy: boolean): string | undefined {
  const name = optionalString(body, legacy && body.packageName !== undefined ? 'packageName' : 'name');
  if (name !== undefined && !name.trim()) fail('name must not be empty');
  return name;
}

function objectCollections(raw: unknown): ObjectCollection[] {
  if (!Array.isArray(raw)) fail('objectCollections must be an array of {objCode, entities: [{ID, name?}]}');
  return raw.map((item, index) => {
    const where = `objectCollections[${index}]`;
    if (!isObject(item)) fail(`${where} must be an object {objCode, entities}`);
    const { objCode, entities } = item;
    if (typeof objCode !== 'string' || !PROMOTABLE[objCode])
      fail(
        `${where}.objCode ${JSON.stringify(objCode)} is not a promotable objCode (one of ${Object.keys(PROMOTABLE).join(', ')})`,
      );
    if (!Array.isArray(entities) || entities.length === 0)
      fail(`${where}.entities must be a non-empty array of {ID, name?}`);
    return {
      objCode,
      entities: entities.map((entity, at) => {
        if (!isObject(entity) || typeof entity.ID !== 'string' || !entity.ID)
          fail(`${where}.entities[${at}] needs an ID`);
        return typeof entity.name === 'string' ? { ID: entity.ID, name: entity.name } : { ID: entity.ID };
      }),
    };
  });
}

function references(raw: unknown, where: string): Reference[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(`${where}.references must be an array of {objCode, id, field, relation}`);
  return raw.map((ref, index) => {
    if (!isObject(ref) || typeof ref.objCode !== 'string' || typeof ref.id !== 'string')
      fail(`${where}.references[${index}] needs objCode and id`);
    return {
      objCode: ref.objCode,
      id: ref.id,
      field: typeof ref.field === 'string' ? ref.field : `${ref.objCode.toLowerCase()}ID`,
      relation: ref.relation === 'parent' ? 'parent' : 'uses',
    };
  });
}

/** `{OBJCODE: [{id, name, …fields, references?}]}` as a definition holds it. */
function packageEntities(raw: unknown): Record<string, SimRecord[]> {
  if (!isObject(raw)) fail('packageEntities must be an object {OBJCODE: [{id, name, …}]}');
  const out: Record<string, SimRecord[]> = {};
  for (const [objCode, list] of Object.entries(raw)) {
    if (!Array.isArray(list)) fail(`packageEntities.${objCode} must be an array`);
    out[objCode] = list.map((entity, index) => {
      const where = `packageEntities.${objCode}[${index}]`;
      if (!isObject(entity) || typeof entity.id !== 'string' || !entity.id) fail(`${where} needs an id`);
      const refs = references(entity.references, where);
      const refFields = new Set(refs.map((ref) => ref.field));
      const fields: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(entity))
        if (!['id', 'name', 'description', 'references'].includes(field) && !refFields.has(field))
          fields[field] = value;
      return {
        objCode,
        id: entity.id,
        name: typeof entity.name === 'string' ? entity.name : '',
        description: typeof entity.description === 'string' ? entity.description : null,
        fields,
        references: refs,
      };
    });
  }
  return out;
}

export interface CreateInput {
  name: string;
  description: string | null;
  source?: string;
  objectCollections: ObjectCollection[];
}

export function createInput(body: unknown, legacy: boolean): CreateInput {
  if (!isObject(body)) fail('expected a JSON object {name, description, source, objectCollections}');
  const name = packageName(body, legacy);
  if (name === undefined) fail(`${legacy ? 'packageName' : 'name'} is required`);
  return {
    name,
    description: optionalDescription(body) ?? null,
    source: optionalSource(body),
    objectCollections: body.objectCollections === undefined ? [] : objectCollections(body.objectCollections),
  };
}

export interface PatchInput {
  name?: string;
  description?: string | null;
  source?: string;
  /** In modern words. */
  status?: string;
  version?: number;
  objectCollections?: ObjectCollection[];
  packageEntities?: Record<string, SimRecord[]>;
  metadata?: PackageMetadata;
}

export function patchInput(body: unknown, legacy: boolean): PatchInput {
  if (!isObject(body)) fail('expected a JSON object with the fields to change');
  const status = optionalString(body, 'status');
  const input: PatchInput = {
    name: packageName(body, legacy),
    description: optionalDescription(body),
    source: optionalSource(body),
    status: status === undefined ? undefined : statusFromRequest(status, legacy),
    version: optionalVersion(body),
  };
  if (body.objectCollections !== undefined && body.packageEntities !== undefined)
    fail('give either objectCollections (re-extraction) or packageEntities, not both');
  if (body.objectCollections !== undefined) {
    if (input.source === undefined) fail('source is required when objectCollections is given');
    input.objectCollections = objectCollections(body.objectCollections);
  }
  if (body.packageEntities !== undefined) input.packageEntities = packageEntities(body.packageEntities);
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) fail('metadata must be an object');
    input.metadata = body.metadata as PackageMetadata;
  }
  return input;
}

/** PUT replaces everything: "the request expects all editable fields to be provided" (seed 000). */
export function replaceInput(body: unknown, legacy: boolean): PatchInput {
  if (!isObject(body)) fail('expected a JSON object with every editable field');
  const required = [legacy && body.packageName !== undefined ? 'packageName' : 'name'];
  required.push('description', 'source', 'status', 'version', 'packageEntities');
  const missing = required.filter((field) => body[field] === undefined);
  if (missing.length) fail(`PUT replaces the whole package; missing: ${missing.join(', ')}`);
  if (body.objectCollections !== undefined) fail('objectCollections is not accepted by PUT; use PATCH');
  return patchInput(body, legacy);
}

// The published JSON schemas (schemas/), checked at run time too: editors and the action judge a file alike.
import { Validator, type Schema } from '@cfworker/json-schema';
import mapFileSchema from '../schemas/map-file.schema.json' with { type: 'json' };
import objectCollectionsSchema from '../schemas/object-collections.schema.json' with { type: 'json' };
import { cutList } from './report/format.js';

const validators = {
  'map-file': new Validator(mapFileSchema as unknown as Schema, '2020-12', false),
  'object-collections': new Validator(objectCollectionsSchema as unknown as Schema, '2020-12', false),
};

export type SchemaName = keyof typeof validators;

/**
 * What the schema finds wrong with a parsed document, after the parser's own, friendlier checks passed
 * (a test keeps the two in agreement, so this is a second line, not the first).
 */

export function schemaErrors(schema: SchemaName, value: unknown, where: string): string[] {
  const result = validators[schema].validate(value);
  if (result.valid) return [];
  // One message per place, the most telling one: "A subschema had errors" says nothing a user can act on.
  const generic = /subschema/i;
  const byPlace = new Map<string, string>();
  for (const { instanceLocation, error } of result.errors) {
    const place = instanceLocation.replace(/^#/, '') || '/';
    if (!byPlace.has(place) || generic.test(byPlace.get(place) as string)) byPlace.set(place, error);
  }
  const places = [...byPlace.keys()];
  const inside = (outer: string, inner: string) =>
    inner !== outer && inner.startsWith(outer === '/' ? '/' : `${outer}/`);
  const deepest = places.filter((place) => !places.some((other) => inside(place, other)));
  const shown = cutList(
    deepest.map((place) => `${where}: ${place} ${byPlace.get(place)} (schemas/${schema}.schema.json)`),
    { max: 10 },
  );
  if (shown.length > 10) shown[10] = `${where}: ${shown[10]} places that do not fit the schema`;
  return shown;
}

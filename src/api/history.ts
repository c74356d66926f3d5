// A package's installations as the list answers them, without their translation maps. The list holds every
// installation and pre-run of the package in every environment, each with a map as large as the package: 100
// pre-runs of a 5,000-record package make 50 MB. Each installation is read on its own with its map left unread;
// a map that is needed is read by id (GET /installations/{id}).
import { parseInstallations, unwrap, type Body } from './parse.js';
import {
  mapReader,
  pieceOf,
  splitStream,
  withoutField,
  type ReadLimits,
  type StreamReader,
} from './split.js';
import type { Installation } from './types.js';

/** An installation without its translation map, which the records and the map file hold when it is needed. */
export const withoutMap = (i: Installation): Installation =>
  i.translationMap === undefined ? i : { ...i, translationMap: undefined };

/** The installations of a parsed list answer, without translation maps. */
export function parseInstallationList(body: Body): Installation[] {
  return parseInstallations(body).map(withoutMap);
}

/** More installations than a package has: each is kept (without its map), so a list of millions is refused. */
const MAX_INSTALLATIONS = 100_000;

/**
 * Reads a list answer as it arrives, each installation on its own with its map left unread: what it holds
 * grows with the number of installations, not with their maps, so the list may be larger than other answers.
 */
export function historyReader(limits: ReadLimits): StreamReader<Installation[]> {
  // The elements of a bare array (depth 1) or of a `data` array (depth 2).
  // The maps are passed over as they arrive; one that is not an object (a map in a string) is dropped here.
  const split = splitStream(
    { maxPieces: MAX_INSTALLATIONS, ...limits },
    [1, 2],
    (json) => JSON.parse(withoutField(json, 'translationMap')),
    'translationMap',
  );
  return mapReader(split, ({ skeleton, pieces }) => {
    const restore = (value: unknown): unknown => pieceOf(value, pieces) ?? value;
    const value = unwrap(skeleton);
    const body: Body = {
      type: 'json',
      value: Array.isArray(value) ? value.map(restore) : value,
      repaired: false,
    };
    return parseInstallationList(body);
  });
}

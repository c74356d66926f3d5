// Large answers read piece by piece: each object at a given depth inside an array is handed over on its own
// text, and the rest is parsed as one document with each such object replaced by a placeholder. A package
// definition (20 MB at 50,000 records) or an installation history (a translation map per installation) is then
// never parsed whole. Every piece is checked as JSON, and so is the rest: the answer as a whole is still JSON.
import { ShapeError } from './parse.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;

/** The key of a placeholder object: `{"#": n}` stands for the n-th piece. */
const SLOT = '#';

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

/** The index of the bracket closing the container opening at `start`, `depth` containers deep, or -1. */
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

/**
 * Splits an answer: every object that is an element of an array `depth` containers deep, for a depth in
 * `depths` (1: the elements of a top-level array), is given to `piece` as its text (it answers what to keep of
 * it); the rest is parsed with each such object replaced by `{"#": n}`, n its piece's number. Answers undefined
 * for what it does not read this way (not an object or array, cut short, a piece `piece` refuses by throwing a
 * SyntaxError), to be read whole instead; throws a ShapeError for an answer nested deeper than `maxDepth`.
 */
export function splitJson<T>(
  text: string,
  maxDepth: number,
  depths: readonly number[],
  piece: (json: string, depth: number) => T,
): { skeleton: unknown; pieces: T[] } | undefined {
  const start = text.search(/\S/);
  const first = start < 0 ? -1 : text.charCodeAt(start);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return undefined;
  const inArray: boolean[] = [];
  const parts: string[] = [];
  const pieces: T[] = [];
  let partStart = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return undefined;
    } else if (c === OPEN_OBJECT && inArray.at(-1) && depths.includes(inArray.length)) {
      const end = containerEnd(text, i, inArray.length, maxDepth);
      if (end < 0) return undefined;
      let kept: T;
      try {
        kept = piece(text.slice(i, end + 1), inArray.length);
      } catch (error) {
        if (error instanceof SyntaxError) return undefined;
        throw error;
      }
      // A piece kept nothing of (an entity without an id) stands as 0: no placeholder, nothing held for it.
      if (kept === undefined) parts.push(text.slice(partStart, i), '0');
      else parts.push(text.slice(partStart, i), `{"${SLOT}":${pieces.push(kept) - 1}}`);
      partStart = end + 1;
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      inArray.push(c === OPEN_ARRAY);
      if (inArray.length > maxDepth) throw tooDeep(maxDepth);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (inArray.pop() === undefined) return undefined;
    }
  }
  if (inArray.length) return undefined;
  parts.push(text.slice(partStart));
  try {
    return { skeleton: JSON.parse(parts.join('')), pieces };
  } catch {
    return undefined;
  }
}

/** The piece a placeholder stands for, if `value` is one. */
export function pieceOf<T>(value: unknown, pieces: readonly T[]): T | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const slot = (value as Record<string, unknown>)[SLOT];
  return typeof slot === 'number' ? pieces[slot] : undefined;
}

/**
 * The JSON text of an object with the value of its own field `field` replaced by null, so that a large value
 * (an installation's translation map) is never parsed. The object's text must be whole (from `splitJson`).
 */
export function withoutField(json: string, field: string): string {
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(json, i);
      if (end < 0) return json;
      if (depth === 1 && expectKey && json.slice(i + 1, end) === field) {
        const colon = json.indexOf(':', end + 1);
        let value = colon + 1;
        while (/\s/.test(json[value] ?? '')) value++;
        const open = json.charCodeAt(value);
        const valueEnd =
          open === OPEN_OBJECT || open === OPEN_ARRAY
            ? containerEnd(json, value, 1, Number.MAX_SAFE_INTEGER)
            : open === QUOTE
              ? stringEnd(json, value)
              : -1;
        if (valueEnd < 0) return json;
        return `${json.slice(0, value)}null${json.slice(valueEnd + 1)}`;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      expectKey = c === OPEN_OBJECT && depth === 1;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    } else if (depth === 1 && c === COMMA) {
      expectKey = true;
    } else if (depth === 1 && c === COLON) {
      expectKey = false;
    }
  }
  return json;
}

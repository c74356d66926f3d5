// Large answers read piece by piece: each object at a given depth inside an array is handed over on its own
// text, and the rest is parsed as one document with each such object replaced by a placeholder. A package
// definition (20 MB at 50,000 records) or an installation history (a translation map per installation) is then
// never parsed whole. Every piece is checked as JSON, and so is the rest: the answer as a whole is still JSON.
import { StringDecoder } from 'node:string_decoder';
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

/** Reads an answer as it arrives, piece by piece (http.ts): a fresh reader for each attempt of a call. */
export interface StreamReader<T> {
  /** The next bytes. Throws a ShapeError for an answer nested deeper than allowed. */
  write(chunk: Buffer): void;
  /** The whole answer's value; undefined for an answer not read this way, to be read whole instead. */
  end(): T | undefined;
}

/** A piece the answer does not read as: the answer is read whole instead. */
class NotSplit extends Error {}

/** What a reader may hold: how deep the answer nests, and how much it holds at a time. */
export interface ReadLimits {
  maxJsonDepth: number;
  /** Characters of one piece, and of the rest, held at a time. */
  maxHeldChars: number;
  /** Pieces kept. */
  maxPieces?: number;
}

const WHITESPACE = new Set([32, 9, 10, 13]);

/** An answer holding more than a reader's limits allow; its message says what (`an object of more than …`). */
export class TooLarge extends Error {}

/**
 * Splits an answer as it arrives: every object that is an element of an array `depth` containers deep, for a
 * depth in `depths` (1: the elements of a top-level array), is given to `piece` as its text as soon as it is
 * whole (it answers what to keep of it); the rest is parsed at the end with each such object replaced by
 * `{"#": n}`, n its piece's number. Neither the answer's bytes nor its text are ever held whole. Ends undefined
 * for what it does not read this way (not an object or array, cut short, a piece `piece` refuses by throwing a
 * SyntaxError), to be read whole instead; throws a ShapeError for an answer nested deeper than allowed, and
 * TooLarge for a piece or a rest larger than allowed, or more pieces. A piece's own field `skip` (an
 * installation's translation map), when its value is an object or array, is passed over as it arrives: the
 * piece's text has `null` in its place.
 */
export function splitStream<T>(
  { maxJsonDepth: maxDepth, maxHeldChars, maxPieces = Infinity }: ReadLimits,
  depths: readonly number[],
  piece: (json: string, depth: number) => T,
  skip?: string,
): StreamReader<{ skeleton: unknown; pieces: T[] }> {
  // Each chunk is decoded on its own (a character cut between two chunks waits for the next) and scanned as text.
  const decoder = new StringDecoder('utf8');
  const pieces: T[] = [];
  /** The answer outside its pieces, placeholders in their stead. */
  const rest: string[] = [];
  /** The text of the current piece gathered so far. */
  const begun: string[] = [];
  let restChars = 0;
  let begunChars = 0;
  const hold = (list: string[], part: string): void => {
    list.push(part);
    if (list === begun) begunChars += part.length;
    else restChars += part.length;
    if (begunChars > maxHeldChars) throw new TooLarge(`an object of more than ${maxHeldChars} characters`);
    if (restChars > maxHeldChars)
      throw new TooLarge(`more than ${maxHeldChars} characters outside the objects it lists`);
  };
  /** Per open container outside pieces: whether it is an array. */
  const inArray: boolean[] = [];
  let started = false;
  let declined = false;
  let inString = false;
  /** Backslashes just before the end of the last chunk, inside a string. */
  let backslashes = 0;
  /** Containers open inside the current piece (0: not in a piece), and where the piece began. */
  let level = 0;
  let pieceDepth = 0;
  // Passing over `skip`, directly inside a piece: whether a key comes next; the key being read (`keyHead` its
  // text from earlier chunks, null when it is not being read or is already longer than `skip`, `keyStart` where
  // it began in this chunk); whether the key just read is `skip` and its value is still to come; and whether that
  // value is being passed over.
  let expectKey = false;
  let keyHead: string | null = null;
  let keyStart = 0;
  let skipValue = false;
  let skipping = false;

  const scan = (text: string): void => {
    const n = text.length;
    let i = 0;
    /** Where the text of `rest` or of the current piece not yet gathered from this chunk begins. */
    let from = 0;
    if (!started) {
      i = text.search(/[^ \t\n\r]/);
      if (i < 0) return hold(rest, text);
      started = true;
      const first = text.charCodeAt(i);
      if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) throw new NotSplit();
    }
    // The state in locals while a chunk is scanned: this loop sees every character of the answer.
    let depth = level;
    let quoted = inString;
    for (; i < n; i++) {
      if (quoted) {
        // The closing quote is the first not escaped by an odd run of backslashes.
        const quote = text.indexOf('"', i);
        const to = quote < 0 ? n : quote;
        let run = 0;
        while (to - run - 1 >= i && text.charCodeAt(to - run - 1) === BACKSLASH) run++;
        if (to - run === i) run += backslashes;
        if (quote < 0) {
          backslashes = run;
          break;
        }
        backslashes = 0;
        if (run % 2 === 0) {
          quoted = false;
          if (keyHead !== null) skipValue = keyHead + text.slice(keyStart, quote) === skip;
          keyHead = null;
        }
        i = quote;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        quoted = true;
        if (depth === 1 && skip !== undefined) {
          if (expectKey) {
            keyHead = '';
            keyStart = i + 1;
          }
          skipValue = false;
        }
      } else if (skipping) {
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (pieceDepth + ++depth > maxDepth) throw tooDeep(maxDepth);
        } else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 1) {
          skipping = false;
          from = i + 1;
        }
      } else if (depth === 1 && skip !== undefined && (c === COMMA || c === COLON)) {
        expectKey = c === COMMA;
      } else if (depth === 1 && skipValue && (c === OPEN_OBJECT || c === OPEN_ARRAY)) {
        // The value of `skip`: its text is never held.
        hold(begun, `${text.slice(from, i)}null`);
        skipping = true;
        skipValue = false;
        if (pieceDepth + ++depth > maxDepth) throw tooDeep(maxDepth);
      } else if (depth > 0) {
        if (skipValue && !WHITESPACE.has(c)) skipValue = false;
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (pieceDepth + ++depth > maxDepth) throw tooDeep(maxDepth);
        } else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) {
          hold(begun, text.slice(from, i + 1));
          const json = begun.splice(0).join('');
          begunChars = 0;
          let kept: T;
          try {
            kept = piece(json, pieceDepth);
          } catch (error) {
            if (error instanceof SyntaxError) throw new NotSplit();
            throw error;
          }
          // A piece kept nothing of (an entity without an id) stands as 0: no placeholder, nothing held for it.
          hold(rest, kept === undefined ? '0' : `{"${SLOT}":${pieces.push(kept) - 1}}`);
          if (pieces.length > maxPieces) throw new TooLarge(`more than ${maxPieces} objects`);
          from = i + 1;
        }
      } else if (c === OPEN_OBJECT && inArray.at(-1) && depths.includes(inArray.length)) {
        hold(rest, text.slice(from, i));
        from = i;
        depth = 1;
        expectKey = true;
        skipValue = false;
        pieceDepth = inArray.length;
        if (pieceDepth + 1 > maxDepth) throw tooDeep(maxDepth);
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        inArray.push(c === OPEN_ARRAY);
        if (inArray.length > maxDepth) throw tooDeep(maxDepth);
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (inArray.pop() === undefined) throw new NotSplit();
      }
    }
    level = depth;
    inString = quoted;
    // A key cut between two chunks is read on in the next one.
    if (keyHead !== null) {
      keyHead += text.slice(keyStart);
      keyStart = 0;
      if (keyHead.length > (skip?.length ?? 0)) keyHead = null;
    }
    if (!skipping) hold(depth > 0 ? begun : rest, text.slice(from));
  };

  const read = (text: string): void => {
    if (declined) return;
    try {
      scan(text);
    } catch (error) {
      if (!(error instanceof NotSplit)) throw error;
      declined = true;
    }
  };

  return {
    write: (chunk) => read(decoder.write(chunk)),
    end() {
      read(decoder.end());
      if (declined || !started || inString || level > 0 || inArray.length) return undefined;
      try {
        return { skeleton: JSON.parse(rest.join('')), pieces };
      } catch {
        return undefined;
      }
    },
  };
}

/** A reader whose value is made of another's; an answer the other does not read, this one does not either. */
export function mapReader<A, B>(reader: StreamReader<A>, value: (read: A) => B): StreamReader<B> {
  return {
    write: (chunk) => reader.write(chunk),
    end: () => {
      const read = reader.end();
      return read === undefined ? undefined : value(read);
    },
  };
}

/** The piece a placeholder stands for, if `value` is one. */
export function pieceOf<T>(value: unknown, pieces: readonly T[]): T | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const slot = (value as Record<string, unknown>)[SLOT];
  return typeof slot === 'number' ? pieces[slot] : undefined;
}

/**
 * The JSON text of an object with the value of its own field `field` replaced by null, so that a large value
 * (an installation's translation map) is never parsed. The object's text must be whole (a piece of `splitStream`).
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

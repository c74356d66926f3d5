import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, Lexer, parseDocument, visit } from 'yaml';

/** Larger files are refused: a map file or an object-collections file is never this big. */
const MAX_USER_FILE_BYTES = 16 * 1024 * 1024;
/**
 * A map file or object collections: room for the translation map of a 60,000-record package, and read (parsed and
 * checked) in under a second, so that cancellation is never held up for long.
 */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

/** Reads a user's file as text; throws an Error whose message says what is wrong with it. */
export function readTextFile(path: string, maxBytes = MAX_USER_FILE_BYTES): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error(`${path} is not a file`);
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new Error(`file ${path} does not exist (paths are relative to the workspace)`, { cause: error });
    if (code === 'EACCES')
      throw new Error(`file ${path} cannot be read (permission denied)`, { cause: error });
    throw error;
  }
  if (size > maxBytes) throw new Error(`file ${path} has ${size} bytes, more than the ${maxBytes} allowed`);
  const buffer = readFileSync(path);
  if (buffer.includes(0)) throw new Error(`file ${path} is binary, not JSON or YAML text`);
  const text = buffer.toString('utf8');
  if (text.trim() === '') throw new Error(`file ${path} is empty`);
  return text;
}

/**
 * Bounds that keep a hostile document cheap to refuse. JSON gets one linear pass before JSON.parse (which is fast
 * but silently keeps the last of two equal keys); YAML, whose parser is much slower and recursive, is lexed first
 * with a token budget and a nesting limit, so that the parser only sees documents it reads in well under a second.
 */
const MAX_NESTING_DEPTH = 64;
const MAX_YAML_CHARS = 1024 * 1024;
const MAX_YAML_TOKENS = 20_000;
const MAX_ALIASES = 100;

/** Parses JSON or YAML (JSON is YAML); the message says where the syntax breaks or which bound was hit. */
export function parseStructured(text: string, what: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error(`${what} is empty`);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const scan = scanJson(trimmed);
    const at = scan && ` at line ${lineAt(trimmed, scan.at)}`;
    if (scan?.problem === 'depth')
      throw new Error(`${what} nests deeper than ${MAX_NESTING_DEPTH} levels${at}`);
    const value = parseJson(trimmed);
    if (value !== NOT_JSON) {
      if (scan) throw new Error(`${what} has a duplicate key ${scan.key}${at}`);
      return value;
    }
  }
  return parseYamlBounded(text, what);
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON; // flow-style YAML also starts with a brace: the YAML parser decides and explains
  }
}

/**
 * One pass over JSON text before JSON.parse builds anything: the first duplicate key in an object, or the place
 * where it nests deeper than MAX_NESTING_DEPTH (then JSON.parse is not even tried: on 4 MB of `[` it takes
 * seconds to fail). Text that is not JSON may mislead it; JSON.parse decides about that.
 */
function scanJson(
  text: string,
): { problem: 'duplicate'; key: string; at: number } | { problem: 'depth'; at: number } | undefined {
  const objects: Array<Set<string> | undefined> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const keys = objects.at(-1);
      if (keys && expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? parseJson(`"${raw}"`) : raw;
        if (typeof key !== 'string') return undefined;
        if (keys.has(key)) return { problem: 'duplicate', key: JSON.stringify(key.slice(0, 80)), at: i };
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (objects.length >= MAX_NESTING_DEPTH) return { problem: 'depth', at: i };
      objects.push(c === OPEN_BRACE ? new Set() : undefined);
      expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      objects.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = objects.at(-1) !== undefined;
    }
  }
  return undefined;
}

const [QUOTE, BACKSLASH, COMMA, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [...'"\\,{}[]'].map(
  (c) => c.charCodeAt(0),
);

/** The index of the quote that ends the string starting at `start` (or the text's length). */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * YAML within bounds: the lexer (linear, and stopped early) measures size, tokens and nesting before the parser
 * runs; duplicate keys are found on the parsed document with a set per mapping (the parser's own uniqueKeys
 * compares every pair, quadratic in the keys of a mapping).
 */
function parseYamlBounded(text: string, what: string): unknown {
  if (text.length > MAX_YAML_CHARS) {
    throw new Error(
      `${what} has ${text.length} characters of YAML, more than the ${MAX_YAML_CHARS} allowed; a larger document can be given as JSON`,
    );
  }
  checkYamlShape(text, what);
  const lineCounter = new LineCounter();
  const where = (offset: number | undefined) => {
    if (offset === undefined) return '';
    const { line, col } = lineCounter.linePos(offset);
    return ` at line ${line}, column ${col}`;
  };
  const document = parseDocument(text, {
    uniqueKeys: false,
    lineCounter,
    prettyErrors: false,
  });
  const [error] = document.errors;
  if (error) {
    throw new Error(
      `${what} is not valid JSON or YAML${where(error.pos[0])}: ${error.message.split('\n')[0]}`,
      {
        cause: error,
      },
    );
  }
  // A key is a name as written: an id such as 863345325853e20 must not become the number 8.63345325853e+31.
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value !== 'string')
        pair.key.value = pair.key.source ?? String(pair.key.value);
    },
  });
  const duplicate = findDuplicateKey(document.contents);
  if (duplicate) throw new Error(`${what} has a duplicate key ${duplicate.key}${where(duplicate.at)}`);
  try {
    return document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new Error(`${what} is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
}

/**
 * From the lexer's tokens, before any parsing: at most MAX_YAML_TOKENS, and a nesting (flow brackets, block
 * indentation levels and the `-`, `?`, `:` indicators of a line, an upper bound of the real depth) of at most
 * MAX_NESTING_DEPTH.
 */
function checkYamlShape(text: string, what: string): void {
  let tokens = 0;
  let flow = 0;
  let onLine = 0;
  let atLineStart = true;
  let indent = 0;
  let line = 1;
  const indents: number[] = [];
  for (const token of new Lexer().lex(text)) {
    if (++tokens > MAX_YAML_TOKENS) {
      throw new Error(
        `${what} has more than ${MAX_YAML_TOKENS} YAML tokens (the parser would take seconds); a larger document can be given as JSON`,
      );
    }
    if (token === '\n' || token === '\r\n') {
      atLineStart = true;
      indent = 0;
      onLine = 0;
      line++;
      continue;
    }
    if (atLineStart) {
      if (/^[ \t]+$/.test(token)) indent = token.length;
      // A comment line says nothing about nesting (and must not reset the levels counted so far).
      if (/^[ \t]+$/.test(token) || token.startsWith('#')) continue;
      atLineStart = false;
      while (indents.length && (indents.at(-1) as number) >= indent) indents.pop();
      indents.push(indent);
    }
    if (token === '{' || token === '[') flow++;
    else if (token === '}' || token === ']') flow = Math.max(0, flow - 1);
    else if (token === '-' || token === '?' || token === ':') onLine++;
    if (flow + indents.length + onLine > MAX_NESTING_DEPTH) {
      throw new Error(`${what} nests deeper than ${MAX_NESTING_DEPTH} levels at line ${line}`);
    }
  }
}
/** The first key that occurs twice in one mapping, at any level (aliases are not followed: they repeat a node). */
function findDuplicateKey(root: unknown): { key: string; at?: number } | undefined {
  const pending = [root];
  while (pending.length) {
    const node = pending.pop();
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          // As the value becomes a JS object: 1 and "1" are one key.
          const key = String(pair.key.value);
          if (keys.has(key)) return { key: JSON.stringify(key.slice(0, 80)), at: pair.key.range?.[0] };
          keys.add(key);
        }
        pending.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      pending.push(...node.items);
    } else if (isPair(node)) {
      pending.push(node.key, node.value);
    }
  }
  return undefined;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

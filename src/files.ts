import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/** Larger files are refused: a map file or an object-collections file is never this big. */
export const MAX_USER_FILE_BYTES = 16 * 1024 * 1024;

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

/** Parses JSON or YAML (JSON is YAML); the message says where the syntax breaks. */
export function parseStructured(text: string, what: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error(`${what} is empty`);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      // Flow-style YAML also starts with a brace: let the YAML parser decide and explain.
    }
  }
  try {
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0]
        ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`
        : '';
      throw new Error(`${what} is not valid JSON or YAML${where}: ${error.message.split('\n')[0]}`, {
        cause: error,
      });
    }
    throw new Error(`${what} is not valid JSON or YAML: ${(error as Error).message}`, { cause: error });
  }
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

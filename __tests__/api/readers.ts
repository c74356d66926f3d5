// The readers of answers read as they arrive, fed a whole text in chunks of any size, and the whole-text reading
// the transport falls back to when a reader declines (http.ts): what the tests compare the readers with.
import { definitionReader, indexOfDefinition } from '../../src/api/definition.js';
import { historyReader, parseInstallationList } from '../../src/api/history.js';
import { parseDefinition, readBody } from '../../src/api/parse.js';
import type { StreamReader } from '../../src/api/split.js';
import type { DefinitionIndex, Installation } from '../../src/api/types.js';

/** Feeds a whole text to a reader, in chunks of `chunkBytes` (cut anywhere, inside a character too). */
export function readAll<T>(reader: StreamReader<T>, text: string, chunkBytes = 64 * 1024): T | undefined {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += chunkBytes) reader.write(bytes.subarray(at, at + chunkBytes));
  return reader.end();
}

const unlimited = (maxDepth: number) => ({ maxJsonDepth: maxDepth, maxHeldChars: Infinity });

/** `definitionReader` over a whole text, in chunks of `chunkBytes`. */
export const scanDefinition = (text: string, maxDepth: number, chunkBytes?: number) =>
  readAll(definitionReader(unlimited(maxDepth)), text, chunkBytes);

/** The index of a definition's answer text: scanned entity by entity, or, when that declines, parsed whole. */
export function readDefinitionIndex(text: string, maxDepth: number): DefinitionIndex {
  return scanDefinition(text, maxDepth) ?? indexOfDefinition(parseDefinition(readBody(text, maxDepth)));
}

/** The installations of a list answer, without translation maps: read one by one, or whole when that declines. */
export function readInstallationList(text: string, maxDepth: number, chunkBytes?: number): Installation[] {
  return (
    readAll(historyReader(unlimited(maxDepth)), text, chunkBytes) ??
    parseInstallationList(readBody(text, maxDepth))
  );
}

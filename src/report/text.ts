// User text (names and messages from the server) made safe for the log, Markdown and HTML.

// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** One line of plain text: no control characters or ANSI escapes, no line breaks, no workflow commands. */
export function plain(text: unknown, max = 300): string {
  const flat = String(text ?? '')
    .replace(/\r?\n|\r|\t/g, ' ')
    .replace(CONTROL, '')
    .replace(/::/g, ':\u200b:');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const MARKDOWN = /[\\`*_{}[\]()#+!|<>&~]/g;
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '|': '&#124;' };

/** Text for a Markdown table cell or line: nothing in it renders as Markdown or HTML. */
export function md(text: unknown, max = 300): string {
  return plain(text, max).replace(MARKDOWN, (c) => ENTITIES[c] ?? `\\${c}`);
}

/** Several lines of plain text: each line made safe on its own, the breaks kept. */
export function plainLines(text: unknown, max = 4000): string {
  const joined = String(text ?? '')
    .split(/\r?\n/)
    .map((line) => plain(line, max))
    .join('\n');
  return joined.length > max ? `${joined.slice(0, max - 1)}…` : joined;
}

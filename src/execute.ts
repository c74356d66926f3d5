// One operation from a validated Config to its result: the client, the operation's descriptor, and every error
// turned into an outcome. What main.ts runs, and what the tests run in-process: never a copy of it.
import { createClient, type ClientOptions } from './api/client.js';
import { isWorkfrontError } from './api/errors.js';
import type { Config } from './config.js';
import { outcomeOf, StepError } from './errors.js';
import { partialReport, type Logger, type Progress, type Provenance } from './operations/context.js';
import { runOperation } from './operations/index.js';
import type { OperationResult } from './result.js';
import { plainLines } from './text.js';
import type { Clock } from './clock.js';

export interface ExecuteDeps {
  /** Every wait's time and pauses: the operation's polls and the client's retry backoffs alike. */
  clock: Clock;
  log: Logger;
  /** The action's version, for the User-Agent. */
  version: string;
  /** Aborted on SIGINT/SIGTERM: waits stop and the step reports `cancelled`. */
  signal?: AbortSignal;
  /** Where files the action writes go (the runner's temporary folder). */
  tempDir: string;
  provenance(): Promise<Provenance>;
  /** Called with the result so far whenever an id becomes known, so outputs carry it even if the step fails later. */
  publish?(result: OperationResult): void;
  /** Called with every credential, secret and token as soon as it exists. */
  onSecret?(value: string): void;
  /** Transport settings a test tunes (request timeout, jitter). */
  transport?: Pick<ClientOptions, 'requestTimeoutMs' | 'random'>;
}

/** Runs the operation of `config`; never throws for what the operation meets: the result says how it ended. */
export async function execute(config: Config, deps: ExecuteDeps): Promise<OperationResult> {
  const { clock, log, signal } = deps;
  const startedAt = clock.now();
  const result: OperationResult = {
    operation: config.operation,
    outcome: 'succeeded',
    changed: false,
    target: { url: config.url, host: config.api.host, kind: config.environmentKind },
    // Known from the start: a run cancelled or failed before the first answer still reports it.
    package: 'packageId' in config ? { id: config.packageId } : undefined,
    installationId: 'installationId' in config ? config.installationId : undefined,
    warnings: [],
    notes: [],
    phases: [],
    startedAt,
  };
  const deadline = startedAt + config.timeoutMs;
  const api = createClient({
    baseUrl: config.api,
    auth: config.credential,
    version: deps.version,
    deadline,
    signal,
    log: (level, message) =>
      level === 'debug' ? log.debug(message) : level === 'warning' ? log.warning(message) : log.info(message),
    onSecret: deps.onSecret,
    clock,
    ...deps.transport,
  });
  log.info(`Workfront ${config.api.base} (${config.environmentKind}), operation ${config.operation}`);
  try {
    const report = await runOperation(config.operation, {
      config,
      api,
      clock,
      log,
      signal,
      deadline,
      progress: progressOf(result, () => deps.publish?.(result)),
      tempDir: deps.tempDir,
      core: (origin) => api.core(config.coreApiVersion, origin),
      provenance: deps.provenance,
    });
    Object.assign(result, report);
  } catch (error) {
    Object.assign(result, partialReport(error));
    // A request cut short because the step's timeout ran out, or a retry or lookup the deadline left no room
    // for, is the step timing out, not failing.
    const outOfTime =
      isWorkfrontError(error) &&
      ((error.kind === 'timeout' && clock.now() >= deadline) || error.details.pastDeadline === true);
    result.outcome = signal?.aborted ? 'cancelled' : outOfTime ? 'timed-out' : outcomeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof StepError || isWorkfrontError(error)) result.error = plainLines(message);
    else {
      // Not a failure the action foresaw: say so, and keep the stack for the debug log.
      log.debug((error as Error | undefined)?.stack ?? message);
      result.error = plainLines(
        `Unexpected error (an answer the action cannot handle, or a bug): ${message}`,
      );
    }
  }
  if (result.skipped && result.outcome === 'succeeded') result.outcome = 'skipped';
  result.endedAt = clock.now();
  return result;
}

/** The progress an operation reports, kept on its result; ids are published at once. */
function progressOf(result: OperationResult, publish: () => void): Progress {
  return {
    package: (pkg) => {
      result.package = { ...result.package, ...pkg };
      publish();
    },
    installation: (id, installation) => {
      result.installationId = id;
      if (installation) result.installation = installation;
      publish();
    },
    warning: (...messages) => void result.warnings.push(...messages),
    note: (...messages) => void result.notes.push(...messages),
    phase: (entry) => void result.phases.push(entry),
  };
}

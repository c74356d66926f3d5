// docs/BENCHMARKS.md, rendered from the figures of one run. Verdicts are computed, never written by hand: the
// document is regenerated, not edited.
import type { FlowOptions, FlowStep } from './flow.js';
import type { LatencyOptions, LatencyTrial, Waiter } from './latency.js';
import type { Machine } from './machine.js';
import type { ScaleRun } from './scale.js';
import { LATENCY_TARGET, REQUEST_TARGET, type Candidate, type Overheads, type Verdict } from './schedule.js';
import type { StartupFigures } from './startup.js';
import { fixed, kib, mean, median, mib, quantile, seconds } from './stats.js';

export interface ScaleSeries {
  size: number;
  runs: ScaleRun[];
}

export interface ReportInput {
  machine: Machine;
  latency: LatencyTrial[];
  latencyOptions: LatencyOptions;
  /** The action's schedule today, and every explored one (best first), on the measured bands. */
  current: Candidate;
  candidates: Candidate[];
  /** Today's schedule and the best explored one, on long installations. */
  long: Candidate[];
  overheads: Overheads;
  scale: ScaleSeries[];
  startup: StartupFigures;
  flow: FlowStep[];
  flowOptions: FlowOptions;
}

const SCALE_TARGETS = { cpuMs: 2000, maxRssBytes: 256 * 1024 * 1024, summaryBytes: 1024 * 1024 };
const STARTUP_TARGET_MS = 150;
const BUNDLE_TARGET_BYTES = 2_000_000;

const table = (header: string[], rows: string[][]): string =>
  [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');

/** "0.62× (≤ 0.5×): **missed** by 24 %", or "holds, 12 % to spare". */
function against(value: number, limit: number, unit = '×', digits = 2): string {
  const shown = `${fixed(value, digits)}${unit}`;
  if (value <= limit) return `${shown}: holds, ${Math.round((1 - value / limit) * 100)} % to spare`;
  return `${shown}: **missed** by ${Math.round((value / limit - 1) * 100)} %`;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const nominal = (valueMs: number) => `${valueMs / 1000} s`;

function latencyGroups(input: ReportInput) {
  return input.latencyOptions.nominalMs.map((nominalMs) => {
    const of = (waiter: Waiter) =>
      input.latency.filter((trial) => trial.nominalMs === nominalMs && trial.waiter === waiter);
    const summary = (trials: LatencyTrial[]) => ({
      trials,
      latencyMs: mean(trials.map((t) => t.latencyMs)),
      requests: mean(trials.map((t) => t.requests)),
      polls: mean(trials.map((t) => t.polls)),
    });
    const action = summary(of('action'));
    const loop = summary(of('loop'));
    return {
      nominalMs,
      action,
      loop,
      latencyRatio: action.latencyMs / loop.latencyMs,
      requestRatio: action.requests / loop.requests,
      pollRatio: action.polls / loop.polls,
    };
  });
}

function scheduleName(candidate: Candidate): string {
  const { initialMs, backoff, capMs } = candidate.schedule;
  return `${seconds(initialMs, 2)}, ×${fixed(backoff, 2)}, cap ${seconds(capMs, 2)}`;
}

const ratios = (v: Verdict) => `${fixed(v.latencyRatio)} / ${fixed(v.pollRatio)} / ${fixed(v.requestRatio)}`;

function candidateRow(label: string, candidate: Candidate): string[] {
  return [
    label,
    scheduleName(candidate),
    ...candidate.expected.map(ratios),
    `${Math.round(candidate.margin * 100)} %`,
  ];
}

export function renderReport(input: ReportInput): string {
  const { machine, overheads, startup } = input;
  const groups = latencyGroups(input);
  const biggest = input.scale[input.scale.length - 1];
  const worstOf = (pick: (run: ScaleRun) => number) => Math.max(...biggest.runs.map(pick));
  const startupFirstRequest = median(startup.actionFirstRequest);
  const best = input.candidates[0];
  const fastStart = input.candidates.find((c) => c.schedule.initialMs <= 1000);
  const totalRequests = input.flow.reduce((sum, step) => sum + step.requests.length, 0);
  const minimumRequests = input.flow.reduce((sum, step) => sum + step.minimumRequests, 0);
  const totalWall = input.flow.reduce((sum, step) => sum + step.wallMs, 0);
  const minimumWall = input.flow.reduce((sum, step) => sum + step.minimumWallMs, 0);
  const opts = input.latencyOptions;

  const lines: string[] = [];
  const add = (...text: string[]) => lines.push(...text, '');

  add(
    '# Benchmarks',
    `Measured by \`npm run bench\` on ${machine.date.slice(0, 10)} (${machine.date}): ${machine.cpu}, ` +
      `${machine.cores} cores, ${machine.memory} memory, ${machine.platform}, Node ${machine.node}. The bundled ` +
      'action (`dist/index.js`, not rebuilt by the benchmark) runs as the runner runs it, against the simulator. ' +
      'These machines are noisy: only figures of the same run are compared, side by side. This page is ' +
      'generated; run the benchmark again rather than edit it. It is not a test and CI does not run it.',
  );

  add('## Targets');
  add(
    table(
      ['target', 'measured', 'verdict'],
      [
        ...groups.flatMap((g) => [
          [
            `${nominal(g.nominalMs)} installs: mean latency after completion ≤ ${LATENCY_TARGET}× the fixed loop's`,
            `${seconds(g.action.latencyMs)} vs ${seconds(g.loop.latencyMs)}`,
            against(g.latencyRatio, LATENCY_TARGET),
          ],
          [
            `${nominal(g.nominalMs)} installs: all requests of the step ≤ ${REQUEST_TARGET}× the loop's`,
            `${fixed(g.action.requests, 1)} vs ${fixed(g.loop.requests, 1)}`,
            against(g.requestRatio, REQUEST_TARGET),
          ],
          [
            `${nominal(g.nominalMs)} installs: polls ≤ ${REQUEST_TARGET}× the loop's`,
            `${fixed(g.action.polls, 1)} vs ${fixed(g.loop.polls, 1)}`,
            against(g.pollRatio, REQUEST_TARGET),
          ],
        ]),
        [
          `${biggest.size.toLocaleString('en')} records: action's CPU time < 2 s (worst of ${biggest.runs.length})`,
          ms(worstOf((r) => r.cpuMs)),
          against(worstOf((r) => r.cpuMs) / 1000, SCALE_TARGETS.cpuMs / 1000, ' s'),
        ],
        [
          `${biggest.size.toLocaleString('en')} records: peak RSS < 256 MB`,
          mib(worstOf((r) => r.maxRssBytes)),
          against(worstOf((r) => r.maxRssBytes) / 2 ** 20, SCALE_TARGETS.maxRssBytes / 2 ** 20, ' MiB', 0),
        ],
        [
          `${biggest.size.toLocaleString('en')} records: job summary < 1 MiB`,
          kib(worstOf((r) => r.summaryBytes)),
          against(worstOf((r) => r.summaryBytes) / 1024, SCALE_TARGETS.summaryBytes / 1024, ' KiB', 0),
        ],
        [
          `start-up on Node ${startup.node}: spawn to first request < ${STARTUP_TARGET_MS} ms (median)`,
          ms(startupFirstRequest),
          against(startupFirstRequest, STARTUP_TARGET_MS, ' ms', 0),
        ],
        [
          'bundle `dist/index.js` and the chunks it loads < 2 MB',
          `${(startup.bundleBytes / 1e6).toFixed(2)} MB`,
          against(startup.bundleBytes / 1e6, BUNDLE_TARGET_BYTES / 1e6, ' MB'),
        ],
        [
          'release flow: requests beside the API minimum (no target)',
          `${totalRequests} vs ${minimumRequests}`,
          `${fixed(totalRequests / minimumRequests)}×`,
        ],
      ],
    ),
  );

  add(
    `## Detection latency and requests, \`poll-interval: ${opts.pollIntervalMs / 1000}s\``,
    `${opts.trialsPerDuration} trials per installation length, each drawn uniformly within ±${opts.jitter * 100} % ` +
      `(seed ${opts.seed}), so that no poll schedule lines up with the durations by luck. Each trial runs the action ` +
      `(\`operation: install\`, own package, sandbox target) and, on its own package of the same duration, a ` +
      `fixed-interval loop as people script it today (pre-run, install, then \`sleep ${opts.pollIntervalMs / 1000}; GET\` ` +
      'until the status is final, with fetch). All trials run side by side, started ' +
      `${opts.staggerMs} ms apart. Latency: from the installation's end (its \`updatedAt\` in the simulator) to the ` +
      "action's process exit, or to the loop seeing the end. Requests: from the simulator's log, all those naming " +
      "the trial's package or installation; polls: its `GET /installations/{id}`.",
  );
  add(
    table(
      ['installation', 'waiter', 'latency mean', 'median', 'max', 'requests (all)', 'polls'],
      groups.flatMap((g) =>
        (['action', 'loop'] as const).map((waiter) => {
          const s = g[waiter];
          const latencies = s.trials.map((t) => t.latencyMs);
          return [
            `${nominal(g.nominalMs)} ±${opts.jitter * 100} %`,
            waiter === 'action' ? 'action' : `fixed ${opts.pollIntervalMs / 1000} s loop`,
            seconds(s.latencyMs),
            seconds(median(latencies)),
            seconds(Math.max(...latencies)),
            fixed(s.requests, 1),
            fixed(s.polls, 1),
          ];
        }),
      ),
    ),
  );
  add(
    `Besides its polls the action sends ${fixed(overheads.actionRequests, 1)} requests per install (read the package, ` +
      `read its installation history, pre-run, install), the loop ${fixed(overheads.loopRequests, 1)} (pre-run, ` +
      `install). Latency beyond the poll schedule itself (median): action ${ms(overheads.actionExtraMs)} (process ` +
      `exit, report, summary), loop ${ms(overheads.loopExtraMs)}.`,
  );

  add(
    '## The poll schedule on a simulated clock',
    'The real poller (`src/wait.ts`, options `initialIntervalMs`, `backoff`, `maxIntervalMs`) driven by a simulated ' +
      'clock against the fixed loop, over the same bands: exact expectations over the uniform jitter, plus the ' +
      'overheads measured above. Cells: latency ratio / poll ratio / all-requests ratio against the loop (targets ' +
      `≤ ${LATENCY_TARGET} / ≤ ${REQUEST_TARGET} / ≤ ${REQUEST_TARGET}). Margin: how far inside all targets the worst band is, ` +
      "the worse of the expectation and the trials' own durations; negative means a target missed.",
  );
  add(
    "Model check, today's schedule on the trials' own durations: " +
      input.current.sampled
        .map((v, i) => {
          const g = groups[i];
          return (
            `${nominal(v.nominalMs)}: latency ${seconds(v.action.latencyMs + overheads.actionExtraMs)} modelled, ` +
            `${seconds(g.action.latencyMs)} measured; polls ${fixed(v.action.polls, 2)} modelled, ${fixed(g.action.polls, 2)} measured`
          );
        })
        .join('; ') +
      '.',
  );
  const bandHeaders = input.current.expected.map((v) => `${nominal(v.nominalMs)} ±${opts.jitter * 100} %`);
  add(
    table(
      ['schedule', 'first pause, factor, cap', ...bandHeaders, 'margin'],
      [
        candidateRow("today's", input.current),
        ...input.candidates.slice(0, 5).map((c, i) => candidateRow(`best #${i + 1}`, c)),
        ...(fastStart && input.candidates.indexOf(fastStart) >= 5
          ? [candidateRow('best with a first pause ≤ 1 s', fastStart)]
          : []),
      ],
    ),
  );
  add(
    `${input.candidates.length} distinct schedules explored (first pause 0.5–8 s, factor 1–2, cap up to ` +
      `${opts.pollIntervalMs / 1000} s). ` +
      (best.margin >= 0
        ? `The best one meets every target at all three lengths, with ${Math.round(best.margin * 100)} % to spare at its worst.`
        : `None meets every target at all three lengths; the best misses its worst target by ${Math.round(-best.margin * 100)} %.`),
  );
  add('Long installations (expectations, same ratios):');
  add(
    table(
      [
        'schedule',
        'first pause, factor, cap',
        ...input.long[0].expected.map((v) => `${nominal(v.nominalMs)} ±${opts.jitter * 100} %`),
      ],
      input.long.map((c, i) => [i === 0 ? "today's" : 'best #1', scheduleName(c), ...c.expected.map(ratios)]),
    ),
  );
  add(
    'Why the two targets pull against each other: when an installation may end anywhere between two polls, the ' +
      'mean wait past its end is Σg²/(2Σg) ≥ ḡ/2 for the gaps g between polls, with equality for even gaps; the ' +
      `fixed loop waits T/2 = ${opts.pollIntervalMs / 2000} s with D/T polls. Halving that needs gaps of T/2 at most, ` +
      'so at least 2D/T polls: exactly the request budget, with nothing left for faster polls at the start. A ' +
      'fast start buys latency only where the loop is badly placed (installs much shorter than T, where it waits ' +
      'about T − D); from a few poll intervals on, both targets can only be met together on the boundary.',
  );

  add(...scaleSection(input.scale));

  add(
    `## Start-up on Node ${startup.node}`,
    `${startup.floorExit.length} trials each, interleaved. The action runs \`operation: get\` (its first request is ` +
      '`GET /packages/{id}`); the time of a request is its arrival in the simulator.',
  );
  const row = (label: string, values: number[]) => [
    label,
    ms(median(values)),
    ms(quantile(values, 0.9)),
    ms(Math.min(...values)),
  ];
  add(
    table(
      ['', 'median', 'p90', 'min'],
      [
        row('`node -e 0`, spawn to exit (floor)', startup.floorExit),
        row('`node -e "fetch(…)"`, spawn to first request', startup.fetchFirstRequest),
        row('`node dist/index.js`, spawn to first request', startup.actionFirstRequest),
        row('`node dist/index.js`, spawn to exit (one GET, outputs, summary)', startup.actionExit),
        row(
          'first request of the action beyond the floor (median of pairs)',
          startup.actionFirstRequest.map((value, i) => value - startup.floorExit[i]),
        ),
      ],
    ),
  );
  add(
    `Bundle: \`dist/index.js\` and the chunks it loads, ${startup.bundleBytes.toLocaleString('en')} bytes (${(startup.bundleBytes / 1e6).toFixed(2)} MB).`,
  );

  add(
    '## A whole release flow',
    `Four steps as a workflow runs them, \`poll-interval: ${input.flowOptions.pollInterval}\`, assembly ` +
      `${seconds(input.flowOptions.assemblyMs, 0)}, installations ${seconds(input.flowOptions.installMs, 0)} each. ` +
      'The minimum counts each wait as one poll: create, one package read, PATCH to TESTING; pre-run, install, one ' +
      'installation read; PATCH to ACTIVE; pre-run, install, one read. Least wall time: the assembly and the two ' +
      'installations themselves.',
  );
  add(
    table(
      ['step', 'requests', 'minimum', 'wall', 'least wall', 'requests sent'],
      [
        ...input.flow.map((step) => [
          step.name,
          String(step.requests.length),
          String(step.minimumRequests),
          seconds(step.wallMs),
          seconds(step.minimumWallMs),
          step.requests.map((r) => `\`${r}\``).join(', '),
        ]),
        [
          '**whole flow**',
          `**${totalRequests}**`,
          `**${minimumRequests}**`,
          `**${seconds(totalWall)}**`,
          `**${seconds(minimumWall)}**`,
          `${fixed(totalRequests / minimumRequests)}× the requests, ${seconds(totalWall - minimumWall)} over the least wall time`,
        ],
      ],
    ),
  );
  add('## Where a target is missed, and why');
  add(
    '**Requests at 10 s and 30 s (by a few per cent).** The schedule (`pollSchedule` in `src/wait.ts`: a quarter ' +
      'of `poll-interval` first, ×1.75, never more than half of it) is chosen for the latency target, which it ' +
      "meets at every length. As the section on the simulated clock shows, halving the fixed loop's wait needs " +
      "gaps of half its interval, which is already twice its polls; the first, shorter pauses and the action's " +
      'own reads before an install (package, installation history) are what goes over. Schedules tuned to these ' +
      'three bands exist, but they miss the latency target on longer installations, so the action keeps the ' +
      'simple rule.',
  );
  add(
    '**Peak memory at 50,000 records.** What is live stays small: about 30–50 MB of heap after a ' +
      'collection (the package definition and the installation history are read as they arrive and never held ' +
      'whole, the map streamed to its file, the plan dropped before the wait, the maps of running polls and of ' +
      'older installations not kept). Left to itself, V8 grows its young generation to its default maximum (two ' +
      '64 MB semi-spaces) while the translation maps and the definition are parsed: the same build peaks at ' +
      '302–314 MiB that way. So `install`, `prepare` and `installation` re-execute node once at start with ' +
      '`--max-semi-space-size=4` (`src/heap.ts`; `process.execve` keeps the process, its streams and its ' +
      'environment, so the runner sees one process), for about 35 ms of start-up; the figures above are with ' +
      'it. The same build with 4, 8 and 16 MB semi-spaces peaked at 195–212, 196–200 and 224–230 MiB, at about ' +
      "the same CPU time. Where node cannot re-execute itself (Windows runners), the peak is the default's, " +
      'about 310 MiB; runners have 7 GB and more.',
  );
  return `${lines.join('\n').trim()}\n`;
}

/** The scale table, also printed alone by `npm run bench -- scale`. */
export function scaleSection(scale: ScaleSeries[]): string[] {
  return [
    '## Scale',
    `Packages of generated templates (99 tasks each) with their group and role, ACTIVE, installed into a sandbox with ` +
      '`map-file` (3 overrides: a template created under another name, a template ignored, which ignores its 99 ' +
      'tasks as dependants and so reads the package definition, and a task ignored): translation map, overrides, ' +
      `install, wait (\`poll-interval: 1s\`, installMs 200), report. ${scale[0]?.runs.length} runs each; CPU time and peak ` +
      "RSS of the action's own process (`process.resourceUsage()` at exit), the simulator excluded.",
    '',
    table(
      [
        'records',
        'CPU time (median, min–max)',
        'peak RSS (median, max)',
        'job summary',
        'wall (median)',
        'requests',
      ],
      scale.map(({ runs }) => {
        const cpu = runs.map((r) => r.cpuMs);
        const rss = runs.map((r) => r.maxRssBytes);
        return [
          runs[0].records.toLocaleString('en'),
          `${ms(median(cpu))} (${ms(Math.min(...cpu))}–${ms(Math.max(...cpu))})`,
          `${mib(median(rss))} (${mib(Math.max(...rss))})`,
          kib(Math.max(...runs.map((r) => r.summaryBytes))),
          ms(median(runs.map((r) => r.wallMs))),
          String(runs[0].requests),
        ];
      }),
    ),
  ];
}

import { describe, expect, it, jest } from '@jest/globals';
import { OPERATION_NAMES } from '../src/operations/index.js';
import {
  cappedArgs,
  capYoungGeneration,
  MAP_OPERATIONS,
  SEMI_SPACE_MB,
  youngGenerationNote,
  youngGenerationSet,
} from '../src/heap.js';

const CAP = `--max-semi-space-size=${SEMI_SPACE_MB}`;

/** A process as `capYoungGeneration` sees it; `execve` records its call instead of replacing anything. */
function fakeProcess(
  more: { execve?: unknown; execArgv?: string[]; env?: NodeJS.ProcessEnv; execPath?: string } = {},
) {
  return {
    execPath: more.execPath ?? '/opt/node24/bin/node',
    execArgv: more.execArgv ?? [],
    argv: ['/opt/node24/bin/node', '/runner/_actions/acme/wf/v1/dist/index.js'],
    env: more.env ?? { INPUT_OPERATION: 'install' },
    version: 'v24.21.0',
    ...('execve' in more ? { execve: more.execve } : {}),
  } as unknown as NodeJS.Process;
}

describe('the young generation', () => {
  it('is capped by re-executing the same node with the same arguments, environment and options', () => {
    const execve = jest.fn();
    const proc = fakeProcess({ execve, execArgv: ['--enable-source-maps'] });
    capYoungGeneration(proc, () => true);
    expect(execve).toHaveBeenCalledWith(
      '/opt/node24/bin/node',
      ['/opt/node24/bin/node', '--enable-source-maps', CAP, '/runner/_actions/acme/wf/v1/dist/index.js'],
      proc.env,
    );
  });

  it.each([
    ['re-executed already', [CAP], ''],
    ['set on the command line', ['--max-semi-space-size=32'], ''],
    ['set with underscores', ['--max_semi_space_size=16'], ''],
    ['set for the whole young generation', ['--max-young-generation-size=48'], ''],
    ['set in NODE_OPTIONS', [], '--enable-source-maps --max-semi-space-size=64'],
  ])('is left as it is when %s', (_name, execArgv, nodeOptions) => {
    expect(youngGenerationSet(execArgv, nodeOptions)).toBe(true);
    expect(cappedArgs('/node', execArgv, ['/node', 'dist/index.js'], nodeOptions)).toBeUndefined();
    const execve = jest.fn();
    capYoungGeneration(
      fakeProcess({ execve, execArgv, env: { NODE_OPTIONS: nodeOptions, INPUT_OPERATION: 'install' } }),
      () => true,
    );
    expect(execve).not.toHaveBeenCalled();
  });

  it('is capped for the operations that read a translation map only: the others start once', () => {
    expect([...MAP_OPERATIONS].every((name) => (OPERATION_NAMES as string[]).includes(name))).toBe(true);
    for (const operation of OPERATION_NAMES) {
      const execve = jest.fn();
      const proc = fakeProcess({ execve, env: { INPUT_OPERATION: ` ${operation.toUpperCase()} ` } });
      capYoungGeneration(proc, () => true);
      expect([operation, execve.mock.calls.length]).toEqual([
        operation,
        MAP_OPERATIONS.has(operation) ? 1 : 0,
      ]);
      if (!MAP_OPERATIONS.has(operation))
        expect(youngGenerationNote(proc)).toBe(
          "node v24.21.0: young generation at V8's default (this operation reads no translation map)",
        );
    }
  });

  it('does not take a look-alike option for the size', () => {
    expect(youngGenerationSet(['--max-semi-space-sizes=4', '--max-old-space-size=4096'], '')).toBe(false);
  });

  it('stays at the default where node cannot re-execute itself, or re-executing fails', () => {
    const without = fakeProcess();
    expect(() => capYoungGeneration(without)).not.toThrow();
    expect(youngGenerationNote(without)).toBe(
      "node v24.21.0: young generation at V8's default (node cannot re-execute itself here)",
    );
    const failing = jest.fn(() => {
      throw new Error('EACCES');
    });
    expect(() => capYoungGeneration(fakeProcess({ execve: failing }), () => true)).not.toThrow();
    expect(failing).toHaveBeenCalled();
    // Node 24 aborts rather than throw when execve fails: a node binary that is gone is not re-executed.
    const execve = jest.fn();
    capYoungGeneration(fakeProcess({ execve }));
    expect(execve).not.toHaveBeenCalled();
    capYoungGeneration(fakeProcess({ execve, execPath: process.execPath }));
    expect(execve).toHaveBeenCalledTimes(1);
  });

  it('is stated in the debug log as the run has it', () => {
    expect(youngGenerationNote(fakeProcess({ execArgv: [CAP] }))).toBe(
      `node v24.21.0: young generation capped (${CAP})`,
    );
    expect(youngGenerationNote(fakeProcess({ execArgv: ['--max-semi-space-size=32'] }))).toBe(
      'node v24.21.0: young generation as node was started',
    );
  });
});

// The CLI starts the simulator, prints where it listens and a credential, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';

/** Starts the CLI, waits until it says it listens, and returns its output and a stop function. */
async function started(args: string[]) {
  // One process (node with tsx's loader), so the signal reaches the CLI itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killed = setTimeout(() => child.kill('SIGKILL'), 20_000);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  while (!output.includes('Press Ctrl+C')) {
    if (child.exitCode !== null) throw new Error(`the CLI exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      const code = await exited;
      clearTimeout(killed);
      return code;
    },
  };
}

describe('simulator/cli.ts', () => {
  it('serves the printed URLs with the printed API key until SIGTERM', async () => {
    const cli = await started(['--install-ms', '5']);
    try {
      const apiBase = /production\s.*?(http:\/\/127\.0\.0\.1:\d+\/environment-promotion\/api\/v1)/.exec(
        cli.output(),
      )?.[1];
      const apiKey = /apikey: (\S+)/.exec(cli.output())?.[1];
      expect(apiBase).toBeDefined();
      const answer = await fetch(`${apiBase}/packages`, { headers: { apikey: apiKey ?? '' } });
      expect(answer.status).toBe(200);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
    expect(cli.output()).toContain('Simulator stopped.');
  });

  it('listens on fixed ports from --port: production, preview, sandbox, then IMS', async () => {
    const base = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const cli = await started(['--port', String(base)]);
    try {
      expect(cli.output()).toMatch(new RegExp(`production\\s.*127\\.0\\.0\\.1:${base}/`));
      expect(cli.output()).toMatch(new RegExp(`preview\\s.*127\\.0\\.0\\.1:${base + 1}/`));
      expect(cli.output()).toMatch(new RegExp(`sandbox\\s.*127\\.0\\.0\\.1:${base + 2}/`));
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('refuses a --port that leaves no room for the four ports', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', '--port', '65535'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(errors).toContain('--port must be between 1 and 65532');
  });
});

// The CLI starts the simulator, prints where it listens and a credential, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

describe('simulator/cli.ts', () => {
  it('serves the printed URLs with the printed API key until SIGTERM', async () => {
    // One process (node with tsx's loader), so the signal reaches the CLI itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', '--install-ms', '5'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killed = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      while (!output.includes('Press Ctrl+C')) {
        if (child.exitCode !== null) throw new Error(`the CLI exited: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const apiBase = /production\s.*?(http:\/\/127\.0\.0\.1:\d+\/environment-promotion\/api\/v1)/.exec(
        output,
      )?.[1];
      const apiKey = /apikey: (\S+)/.exec(output)?.[1];
      expect(apiBase).toBeDefined();
      const answer = await fetch(`${apiBase}/packages`, { headers: { apikey: apiKey ?? '' } });
      expect(answer.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    clearTimeout(killed);
    expect(output).toContain('Simulator stopped.');
  });
});

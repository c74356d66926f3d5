// Orchestration: inputs → operation → outputs and summary. The only place that sets outputs or fails the step.
import * as core from '@actions/core';
import { readInputs, SECRET_INPUTS, normalisePrivateKey } from './inputs.js';

export interface RunOptions {
  /** Aborted on SIGINT/SIGTERM: waits stop and the step reports `cancelled`. */
  signal?: AbortSignal;
}

const masked = new Set<string>();

/** Masks a secret, line by line too: the runner matches masks per log line. */
export function maskSecret(value: string): void {
  const text = value.trim();
  const lines = text.split(/\r?\n|\\n/).map((line) => line.trim());
  for (const part of [
    text,
    ...lines.filter((line) => line.length >= 8 && !/^-----(BEGIN|END) /.test(line)),
  ]) {
    if (!part || masked.has(part)) continue;
    masked.add(part);
    core.setSecret(part);
  }
}

export async function run(_options: RunOptions = {}): Promise<void> {
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name);
    maskSecret(value);
    if (name === 'private-key') maskSecret(normalisePrivateKey(value));
  }
  const { config, errors, warnings } = readInputs((name) => core.getInput(name));
  for (const warning of warnings) core.warning(warning);
  if (!config) {
    core.setOutput('outcome', 'failed');
    const count = errors.length === 1 ? '1 input error' : `${errors.length} input errors`;
    core.setFailed(`${count}, nothing was sent to Workfront:\n${errors.map((e) => `- ${e}`).join('\n')}`);
    return;
  }
  core.setOutput('outcome', 'failed');
  core.setFailed(`Operation ${config.operation} is not implemented yet`);
}

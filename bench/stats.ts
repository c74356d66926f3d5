// Small numeric helpers for the benchmark: summaries of samples, a seeded PRNG, and number formatting.
export { seededRandom } from '../simulator/faults.js';

export const mean = (values: readonly number[]): number =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : NaN;

/** The `q` quantile (0–1) by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Seconds with one or two decimals, from milliseconds. */
export const seconds = (ms: number, digits = 2): string => `${(ms / 1000).toFixed(digits)} s`;

export const fixed = (value: number, digits = 2): string => value.toFixed(digits);

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

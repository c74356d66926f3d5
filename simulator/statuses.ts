// Package statuses, and the July 2023 names (seed 001) the older API base speaks.
import type { PackageStatus } from '../src/api/types.js';

export const USER_SETTABLE: ReadonlySet<string> = new Set(['DRAFT', 'TESTING', 'ACTIVE', 'DISABLED']);
export const SYSTEM_ONLY: ReadonlySet<string> = new Set(['ASSEMBLING', 'ASSEMBLING_FAILED', 'UNASSEMBLED']);

const TO_LEGACY: Readonly<Record<string, string>> = {
  ASSEMBLING: 'EXTRACTING',
  DRAFT: 'BUILDING',
  TESTING: 'PREVIEW',
  ACTIVE: 'PUBLIC',
  DISABLED: 'RETIRED',
};
const FROM_LEGACY: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TO_LEGACY).map(([modern, legacy]) => [legacy, modern]),
);

export function statusForBase(status: PackageStatus, legacy: boolean): string {
  return legacy ? (TO_LEGACY[status] ?? status) : status;
}

/** A status as a request wrote it, in modern words; the older base accepts both vocabularies. */
export function statusFromRequest(raw: string, legacy: boolean): string {
  const upper = raw.trim().toUpperCase();
  return legacy ? (FROM_LEGACY[upper] ?? upper) : upper;
}

// Counting words, cut lists, short ids and times: the same wording in the log, errors, annotations and reports.

/** `1 record`, `2 records`, `20,000 records`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

export const andMore = (left: number): string => `… and ${left.toLocaleString('en-US')} more`;

export interface CutOptions {
  /** At most this many items. */
  max?: number;
  /** At most about this many characters in all (each item counted with a separator of 3). */
  chars?: number;
}

/**
 * The items that fit, then `… and N more` as a last item when any were left out; the caller joins them. At least
 * one item is kept, so a cut list always shows what it is a list of.
 */
export function cutList(items: readonly string[], { max = 50, chars = Infinity }: CutOptions = {}): string[] {
  const kept: string[] = [];
  let size = 0;
  for (const item of items) {
    size += item.length + 3;
    if (kept.length >= max || (kept.length > 0 && size > chars)) break;
    kept.push(item);
  }
  const left = items.length - kept.length;
  return left > 0 ? [...kept, andMore(left)] : kept;
}

/**
 * A long id as its first and last 4 characters: Workfront ids begin with a time, so objects made together share
 * their first 8 characters and differ at the end. Full ids are in the outputs and the translation map file.
 */
export const shortId = (id: string): string => (id.length > 12 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id);

/** `2026-12-01 10:04 UTC`; a value that is no date is returned as given (the caller escapes it). */
export function when(value: string | number | null | undefined): string {
  if (value === undefined || value === null || value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? String(value)
    : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

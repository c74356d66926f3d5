import parse from 'parse-duration';

/** Parses `90s`, `15m`, `1h30m` or bare seconds into milliseconds; null when it is none of those. */
export function parseDuration(raw: string): number | null {
  const text = raw.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // parse-duration reads many spellings; insist on digits and units only so "soon" or "-5m" are refused.
  if (!/^(\d+(\.\d+)?\s*[a-zµ]+\s*)+$/i.test(text)) return null;
  const ms = parse(text);
  return typeof ms === 'number' && Number.isFinite(ms) ? Math.round(ms) : null;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return [
    hours ? `${hours}h` : '',
    minutes ? `${minutes}m` : '',
    seconds || (!hours && !minutes) ? `${seconds}s` : '',
  ]
    .filter(Boolean)
    .join('');
}

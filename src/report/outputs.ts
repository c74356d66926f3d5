// The step's outputs, from the result: names exactly as action.yml declares them.
import type { OperationResult } from '../result.js';
import { cut } from '../text.js';

export type Outputs = Record<string, string>;

function count(result: OperationResult, ...actions: string[]): string {
  if (!result.counts) return '';
  return String(actions.reduce((sum, action) => sum + (result.counts?.byAction[action] ?? 0), 0));
}

/**
 * The most characters `result` holds. GitHub allows 1 MB of outputs per job, counted as UTF-16 (two bytes a
 * character): `result` keeps to a quarter of that, so it can be passed on as a job output beside others.
 */
export const RESULT_LIMIT_CHARS = 256 * 1024;

/** The most characters of any other output: a name or status from a server can be of any length. */
export const OUTPUT_LIMIT_CHARS = 2_000;

/**
 * `result`, its lists (`packages`, `installations`) cut from the end until it fits, with how many were left
 * out (`packagesOmitted`, `installationsOmitted`); ids and totals come first and are never cut. Counts per
 * objCode (as many as a server sends objCodes) go when nothing else is left to cut (`byObjCodeOmitted`).
 */
function resultJson(json: Record<string, unknown>, lists: Record<string, unknown[]>): string {
  const text = listsCut(json, lists);
  const counts = json.counts as OperationResult['counts'];
  if (text.length <= RESULT_LIMIT_CHARS || !counts) return text;
  const byObjCodeOmitted = Object.keys(counts.byObjCode).length;
  return listsCut({ ...json, counts: { ...counts, byObjCode: {} }, byObjCodeOmitted }, lists);
}

function listsCut(json: Record<string, unknown>, lists: Record<string, unknown[]>): string {
  const withLists = (kept: number) => {
    const out: Record<string, unknown> = { ...json };
    for (const [name, list] of Object.entries(lists)) {
      out[name] = list.slice(0, kept);
      if (list.length > kept) out[`${name}Omitted`] = list.length - kept;
    }
    return JSON.stringify(out);
  };
  const longest = Math.max(0, ...Object.values(lists).map((l) => l.length));
  const whole = withLists(longest);
  if (whole.length <= RESULT_LIMIT_CHARS) return whole;
  // The most items of each list that fit: found by halving, each try one JSON.stringify.
  let low = 0;
  let high = longest;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (withLists(mid).length <= RESULT_LIMIT_CHARS) low = mid;
    else high = mid - 1;
  }
  return withLists(low);
}

export function outputsOf(result: OperationResult): Outputs {
  const pkg = result.package;
  const installation = result.installation;
  const outputs: Outputs = {
    outcome: result.outcome,
    'package-id': pkg?.id ?? '',
    'package-name': pkg?.name ?? '',
    'package-status': pkg?.status ?? '',
    'previous-status': result.previousStatus ?? '',
    changed: String(result.changed),
    'package-version': pkg?.version === undefined ? '' : String(pkg.version),
    'published-at': pkg?.publishedAt ?? '',
    'installation-id': result.installationId ?? installation?.id ?? '',
    'installation-status': installation?.status ?? '',
    'created-count': count(result, 'CREATE', 'CREATEWITHALTNAME'),
    'registered-count': count(result, 'USEEXISTING'),
    'overwritten-count': count(result, 'OVERWRITING'),
    'ignored-count': count(result, 'IGNORE'),
    'failed-count': result.counts ? String(result.counts.byStatus.FAILED ?? 0) : '',
    skipped: String(result.skipped ?? false),
    'plan-hash': result.planHash ?? '',
    'translation-map-file': result.translationMapFile ?? '',
    'definition-file': result.definitionFile ?? '',
  };
  for (const name of Object.keys(outputs)) outputs[name] = cut(outputs[name], OUTPUT_LIMIT_CHARS);
  const json: Record<string, unknown> = { ...outputs, operation: result.operation };
  // The error holds cut lists (input errors, refused records) of a few thousand characters.
  if (result.error) json.error = result.error.slice(0, 4 * OUTPUT_LIMIT_CHARS);
  if (result.counts) json.counts = result.counts;
  const lists: Record<string, unknown[]> = {};
  if (result.packages)
    lists.packages = result.packages.map(({ id, name, status, createdAt }) => ({
      id,
      name,
      status,
      createdAt,
    }));
  if (result.installations) {
    lists.installations = result.installations.map(
      ({ id, status, environment, registeredAt, environmentPromotionPackageVersion }) => ({
        id,
        status,
        environment,
        registeredAt,
        version: environmentPromotionPackageVersion,
      }),
    );
  }
  return { ...outputs, result: resultJson(json, lists) };
}

// The step's outputs, from the result: names exactly as action.yml declares them.
import type { OperationResult } from '../result.js';

export type Outputs = Record<string, string>;

function count(result: OperationResult, ...actions: string[]): string {
  if (!result.counts) return '';
  return String(actions.reduce((sum, action) => sum + (result.counts?.byAction[action] ?? 0), 0));
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
  const json: Record<string, unknown> = { ...outputs, operation: result.operation };
  if (result.error) json.error = result.error;
  if (result.counts) json.counts = result.counts;
  if (result.packages)
    json.packages = result.packages.map(({ id, name, status, createdAt }) => ({
      id,
      name,
      status,
      createdAt,
    }));
  if (result.installations) {
    json.installations = result.installations.map(
      ({ id, status, environment, registeredAt, environmentPromotionPackageVersion }) => ({
        id,
        status,
        environment,
        registeredAt,
        version: environmentPromotionPackageVersion,
      }),
    );
  }
  return { ...outputs, result: JSON.stringify(json) };
}

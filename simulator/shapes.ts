// Answers in the seeds' shapes. `current` is seed 002 (June 2024); `prerelease` is seed 000 (November 2023);
// the older base always answers seed 001's shapes (the 000 fields, `isPrivate`, July 2023 status names).
import { recordToEntity, type SimRecord } from './records.js';
import { statusForBase } from './statuses.js';
import type { SimInstallation, SimPackage, Store } from './store.js';

export type PackageView = 'created' | 'listed' | 'full' | 'replaced';

function displayEntities(entities: Record<string, SimRecord[]>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [objCode, list] of Object.entries(entities))
    out[objCode] = list.map((record) => ({
      id: record.id,
      name: record.name,
      description: record.description,
    }));
  return out;
}

export function renderPackage(
  store: Store,
  pkg: SimPackage,
  view: PackageView,
  legacy: boolean,
): Record<string, unknown> {
  const status = statusForBase(pkg.status, legacy);
  const retired = pkg.retiredAt ? { retiredAt: pkg.retiredAt } : {};
  if (!legacy && store.settings.packageShape === 'current' && view !== 'replaced') {
    if (view === 'listed')
      return {
        id: pkg.id,
        name: pkg.name,
        description: pkg.description,
        status,
        createdAt: pkg.createdAt,
        deletedAt: null,
      };
    const common = { id: pkg.id, name: pkg.name, description: pkg.description, source: pkg.source, status };
    if (view === 'created')
      return {
        ...common,
        version: pkg.version,
        createdAt: pkg.createdAt,
        createdById: pkg.createdById,
        publishedAt: pkg.publishedAt,
        ...retired,
        customerId: pkg.customerId,
      };
    return {
      ...common,
      version: pkg.version,
      createdAt: pkg.createdAt,
      publishedAt: pkg.publishedAt,
      ...retired,
      customerId: pkg.customerId,
      packageEntities: displayEntities(pkg.entities),
    };
  }
  const summary = {
    id: pkg.id,
    name: pkg.name,
    description: pkg.description,
    status,
    version: pkg.version,
    installationCounts: store.installationCounts(pkg.id),
    createdAt: pkg.createdAt,
    createdById: pkg.createdById,
    publishedAt: pkg.publishedAt,
    ...retired,
    ...(legacy ? { isPrivate: true } : {}),
    customerId: pkg.customerId,
  };
  return view === 'created' || view === 'listed'
    ? summary
    : { ...summary, displayEntities: displayEntities(pkg.entities) };
}

/**
 * `GET /packages/{id}/definition`: bare `{packageEntities}` (seed 000) with every field and each record's
 * `references`, plus `metadata` (installOrder…) so that a definition can be PUT back as it is.
 */
export function renderDefinition(pkg: SimPackage): Record<string, unknown> {
  const packageEntities: Record<string, unknown[]> = {};
  for (const [objCode, list] of Object.entries(pkg.entities))
    packageEntities[objCode] = list.map(recordToEntity);
  return { packageEntities, metadata: pkg.metadata };
}

export function renderInstallation(store: Store, installation: SimInstallation): Record<string, unknown> {
  return {
    id: installation.id,
    environmentPromotionPackageId: installation.packageId,
    environmentPromotionPackageVersion: installation.packageVersion,
    userId: installation.userId,
    customerId: installation.customerId,
    status: installation.status,
    environment: store.environmentLabel(installation.env),
    registeredAt: installation.registeredAt,
    updatedAt: installation.updatedAt,
    translationMap: installation.translationMap,
  };
}

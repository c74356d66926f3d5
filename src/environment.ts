// What kind of environment a host is, from Workfront's naming: {domain}.{environment}.workfront.com.

export type EnvironmentKind = 'production' | 'sandbox' | 'unknown';

const WORKFRONT_HOST = /^[a-z0-9-]+\.([a-z0-9-]+)\.workfront(?:\.adobe)?\.com$/;

export function detectEnvironmentKind(hostname: string): EnvironmentKind {
  const match = WORKFRONT_HOST.exec(hostname.toLowerCase().replace(/:\d+$/, ''));
  if (!match) return 'unknown';
  const environment = match[1];
  if (environment === 'my') return 'production';
  if (environment === 'preview' || /^sb\d{2}$/.test(environment)) return 'sandbox';
  return 'unknown';
}

import type { ReportedOrigin } from '../core/types.js';

/**
 * Names where a finding's object came from, in its source's own terms. File origins are named by
 * the finding's location instead, so they get none here.
 */
export function originLabel(origin: ReportedOrigin | undefined): string | undefined {
  if (!origin) return undefined;
  switch (origin.kind) {
    case 'file':
      return undefined;
    case 'cluster':
      return `cluster context ${origin.context}${origin.resourceVersion ? `, resourceVersion ${origin.resourceVersion}` : ''}`;
    case 'admission':
      return `admission ${origin.operation} by ${origin.user} (uid ${origin.uid}${origin.dryRun ? ', dry run' : ''})`;
    case 'audit':
      return [
        `audit event ${origin.auditID}: ${origin.verb}${origin.objectRef ? ` ${origin.objectRef}` : ''} by ${origin.user}`,
        origin.impersonatedBy ? ` (impersonated by ${origin.impersonatedBy})` : '',
        origin.groups && origin.groups.length > 0 ? ` [${origin.groups.join(', ')}]` : '',
        ` from ${origin.sourceIPs.join(', ') || 'an unknown address'}`,
        origin.userAgent ? ` with ${origin.userAgent}` : '',
        ` at ${origin.timestamp}`,
        origin.door ? ` via ${origin.door}` : '',
      ].join('');
    case 'api':
      return [
        `${origin.api} API ${origin.endpoint}${origin.id ? ` (${origin.id})` : ''}`,
        origin.displayName ? ` "${origin.displayName}"` : '',
        origin.createdAt ? ` created ${origin.createdAt}` : '',
        origin.status ? ` status ${origin.status}` : '',
        origin.uiLink ? ` · ${origin.uiLink}` : '',
      ].join('');
    case 'probe':
      return `probe of ${origin.url}`;
  }
}

/**
 * A non-file origin as flat string properties (`origin.user`, `origin.sourceIPs`, ...), for formats
 * whose fields are strings (PolicyReport result properties). Lists are joined with ", ". A cluster
 * object's resourceVersion is left out: it changes on every write to the object, and `watch` would
 * rewrite an unchanged finding's PolicyReport each time.
 */
export function originProperties(reported: ReportedOrigin | undefined): Record<string, string> | undefined {
  const origin = reported?.kind === 'cluster' ? { kind: reported.kind, context: reported.context } : reported;
  const label = originLabel(origin);
  if (!origin || label === undefined) return undefined;
  const properties: Record<string, string> = { origin: label };
  for (const [key, value] of Object.entries(origin)) {
    if (typeof value === 'string') properties[`origin.${key}`] = value;
    else if (typeof value === 'boolean' || typeof value === 'number') properties[`origin.${key}`] = String(value);
    else if (Array.isArray(value)) properties[`origin.${key}`] = value.map(String).join(', ');
  }
  return properties;
}

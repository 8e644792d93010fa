/**
 * The literal path prefix of an Ingress path, a Gateway API path match or an OpenShift Route
 * path, in the form the target catalogue's `routes` patterns read (`/pipeline/`): the part before
 * any regex or wildcard (ingress-nginx `/pipeline(/|$)(.*)`, `/pipeline/.*`, `/pipeline/*`),
 * ending in a slash. Undefined when nothing literal is left to go on.
 */
export function routePrefixOf(path: string | undefined): string | undefined {
  if (path === undefined || !path.startsWith('/')) return undefined;
  const literal = path.split(/[()[\]*?+|$^\\{]|\.\*/)[0] ?? '';
  if (literal === '') return undefined;
  return literal.endsWith('/') ? literal : `${literal}/`;
}

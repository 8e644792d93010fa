/**
 * The kinds whose objects make up the authentication in front of the Istio ingress gateway, as
 * `gatewayAuth` (auth-chain.ts) reads them: the oauth2-proxy CUSTOM AuthorizationPolicy and the
 * DENY or ALLOW policies that require a principal, the RequestAuthentication that grants one, and
 * the older oidc-authservice EnvoyFilter. Deleting one can expose the gateway, so the webhook
 * judges their deletion. The oauth2-proxy and authservice Deployments and Services are not here:
 * Istio fails closed when an ext_authz provider cannot be reached, so deleting them is an outage,
 * not a way in.
 */
export const AUTH_CHAIN_KINDS: readonly string[] = ['AuthorizationPolicy', 'RequestAuthentication', 'EnvoyFilter'];

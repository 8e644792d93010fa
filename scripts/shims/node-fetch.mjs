// Stands in for node-fetch inside @kubernetes/client-node's bundled code (see clientNodeTrim in
// scripts/build.mjs). kfguard uses only client-node's KubeConfig, and makes its own requests with
// node:https (src/sources/cluster/api-client.ts): client-node's fetch is never called. node-fetch
// v2 brings whatwg-url and tr46 (about 320 KB, with a Unicode table built at load) into the chunk
// every `scan --cluster` loads before its first request.
// KubeConfig.applyToFetchOptions (not called by kfguard) builds Headers: Node's own are the same API.
export const Headers = globalThis.Headers;

/** client-node's generated API client and Watch would call this; kfguard uses neither. */
export default function fetch() {
  throw new Error("kfguard's bundle has no node-fetch: @kubernetes/client-node's HTTP client is not used (src/sources/cluster/api-client.ts makes the requests)");
}

// Re-exported by client-node's index; nothing kfguard runs throws them.
export class AbortError extends Error {}
export class FetchError extends Error {}

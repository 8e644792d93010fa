/**
 * The one part of @kubernetes/client-node kfguard uses, re-exported statically so the bundler keeps
 * only it and what it needs. `await import('@kubernetes/client-node')` kept every export of the
 * package (a dynamic import's namespace cannot be tree-shaken): a 5.3 MB chunk read, decoded and
 * parsed before the first request of every `scan --cluster`, where KubeConfig needs about 1.2 MB.
 */
export { KubeConfig } from '@kubernetes/client-node';

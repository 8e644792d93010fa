// The esbuild plugin both bundles use: the shipped one (scripts/build.mjs) and the profiling one
// (bench/profile.mjs), so a profile loads what users load.
import { fileURLToPath } from 'node:url';

/**
 * @kubernetes/client-node declares no `sideEffects`, so esbuild kept every module its KubeConfig
 * reaches, used or not (the generated models and their ObjectSerializer, WebSocket, tar, Watch):
 * a 1.1 MB chunk compiled and run before the first request of every `scan --cluster`, `watch` and
 * `snapshot`. Its modules only define classes and functions, so they are marked side-effect free
 * and only what is used stays. node-fetch, which KubeConfig imports for a method kfguard never
 * calls, is replaced by scripts/shims/node-fetch.mjs. The chunk: 1.1 MB → about 0.2 MB.
 */
export function clientNodeTrim() {
  const insideClientNode = /node_modules\/@kubernetes\/client-node\//;
  return {
    name: 'client-node-trim',
    setup(build) {
      build.onResolve({ filter: /^node-fetch$/ }, (args) => (insideClientNode.test(args.importer) ? { path: fileURLToPath(new URL('shims/node-fetch.mjs', import.meta.url)) } : undefined));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'client-node-trim' || !insideClientNode.test(args.importer) && !args.path.startsWith('@kubernetes/client-node')) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'client-node-trim' });
        return resolved.errors.length === 0 && insideClientNode.test(resolved.path) ? { ...resolved, sideEffects: false } : resolved;
      });
    },
  };
}

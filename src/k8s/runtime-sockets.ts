import { shippedValues } from '../data/list-file.js';

let shipped: readonly string[] | undefined;

/**
 * Container runtime API sockets (`data/lists/runtime-sockets.yaml`) plus those a user appends under
 * `lists.runtime-sockets`: mounting one, or a directory holding one, gives the pod the node's
 * container runtime, i.e. root on the node.
 */
function runtimeSockets(appended: readonly string[]): readonly string[] {
  shipped ??= shippedValues('runtime-sockets').map(normalizeHostPath);
  return appended.length === 0 ? shipped : [...shipped, ...appended.map(normalizeHostPath)];
}

export function normalizeHostPath(path: string): string {
  const collapsed = path.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** The runtime socket a host path exposes (itself or inside it), or undefined. */
export function runtimeSocketExposedBy(path: string, appended: readonly string[] = []): string | undefined {
  const normalized = normalizeHostPath(path);
  if (normalized === '/') return 'every runtime socket (the whole host filesystem)';
  return runtimeSockets(appended).find((socket) => socket === normalized || socket.startsWith(`${normalized}/`));
}

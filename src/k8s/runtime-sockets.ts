/**
 * Container runtime API sockets, and the directories that hold them: mounting either gives the pod
 * the node's container runtime, i.e. root on the node.
 */
const RUNTIME_SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
  '/run/k3s/containerd/containerd.sock',
  '/var/run/dockershim.sock',
  '/var/snap/microk8s/common/run/containerd.sock',
  '/run/podman/podman.sock',
  '/var/run/podman/podman.sock',
  '/run/buildkit/buildkitd.sock',
  '/var/run/buildkit/buildkitd.sock',
];

export function normalizeHostPath(path: string): string {
  const collapsed = path.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** The runtime socket a host path exposes (itself or inside it), or undefined. */
export function runtimeSocketExposedBy(path: string): string | undefined {
  const normalized = normalizeHostPath(path);
  if (normalized === '/') return 'every runtime socket (the whole host filesystem)';
  return RUNTIME_SOCKETS.find((socket) => socket === normalized || socket.startsWith(`${normalized}/`));
}

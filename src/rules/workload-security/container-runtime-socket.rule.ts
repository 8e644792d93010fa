import { runtimeSocketExposedBy } from '../../k8s/runtime-sockets.js';
import { workloadSecurityRule } from './workload-security-template.js';

export default workloadSecurityRule({
  meta: {
    id: 'container-runtime-socket',
    title: 'Pod mounts the container runtime socket',
    severity: 'critical',
    description:
      'A `hostPath` volume mounts the Docker, containerd or CRI-O socket, or a directory that contains it (`/var/run`, `/run/containerd`, `/`).',
    rationale:
      "The runtime socket is an unauthenticated root API on the node: through it a pod can start a privileged container with the host's filesystem and take over the node and every pod on it. Mounting the Docker socket into notebooks or pipeline steps to build images is a common shortcut, and a favourite of cryptojacking campaigns that look for exactly that.",
    remediation:
      'Build images with a daemonless builder (Kaniko, BuildKit rootless, Buildah) or a remote build service instead of the node\'s runtime; never mount the socket into user workloads.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
      'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
      'https://attack.mitre.org/techniques/T1611/',
    ],
    mitre: ['T1611', 'T1610', 'MS-TA9008'],
  },
  scope: 'hostPathVolume',
  *judge(volume, ctx) {
    const socket = runtimeSocketExposedBy(volume.hostPath, ctx.config.lists['runtime-sockets']);
    if (!socket) return;
    yield {
      message: `Volume "${volume.name}" mounts ${volume.hostPath} from the node, which exposes ${socket}: root on the node for anyone in this pod.`,
      path: volume.path,
      severity: 'critical',
      evidence: `hostPath ${volume.hostPath}`,
    };
  },
});

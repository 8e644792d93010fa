import { runtimeSocketExposedBy } from '../../k8s/runtime-sockets.js';
import { workloadSecurityRule } from './workload-security-template.js';

export default workloadSecurityRule({
  meta: {
    id: 'pod-host-path',
    title: 'Pod mounts a directory or file from the node',
    severity: 'medium',
    description:
      'A pod spec (or an Argo workflow spec) has a `hostPath` volume (Pod Security Standards baseline, "HostPath Volumes"). Host paths that expose a container runtime socket are reported by `container-runtime-socket` instead, so one mount never yields two findings.',
    rationale:
      "A host path gives the pod the node's files: other pods' volumes and logs under `/var/lib/kubelet`, kubelet credentials, or, when writable, a place to plant binaries that the node runs. ML workloads sometimes mount host paths for datasets or GPU drivers; a PersistentVolume or the device plugin does the same without opening the node.",
    remediation:
      'Use a PersistentVolumeClaim, `emptyDir`, a CSI driver or the NVIDIA device plugin instead. If a host path is unavoidable, mount it `readOnly: true`, as narrow as possible, in a namespace exempted from the baseline profile.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
      'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
      'https://attack.mitre.org/techniques/T1611/',
    ],
    mitre: ['T1611', 'T1552.001', 'MS-TA9008'],
  },
  scope: 'hostPathVolume',
  *judge(volume, ctx) {
    // Runtime sockets are container-runtime-socket's, so one mount never yields two findings.
    if (runtimeSocketExposedBy(volume.hostPath, ctx.config.lists['runtime-sockets'])) return;
    yield {
      message: `Volume "${volume.name}" mounts ${volume.hostPath} from the node.`,
      path: volume.path,
      severity: 'medium',
      evidence: `hostPath ${volume.hostPath}`,
    };
  },
});

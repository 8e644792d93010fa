import { defineRule, type Violation } from '../../core/rule.js';
import { hostPathVolumesOf } from '../../k8s/pod-level.js';
import { ANY_KIND, SPEC_SOURCES } from '../rule-defaults.js';
import { NODE_AGENT_NOTE, NODE_AGENT_SEVERITY_NOTE, isNodeAgentNamespace, pssSeverity } from '../../k8s/system-namespaces.js';
import { runtimeSocketExposedBy } from '../../k8s/runtime-sockets.js';

export default defineRule({
  meta: {
    id: 'pod-host-path',
    title: 'Pod mounts a directory or file from the node',
    severity: 'medium',
    category: 'workload-security',
    description:
      'A pod spec (or an Argo workflow spec) has a `hostPath` volume (Pod Security Standards baseline, "HostPath Volumes"). Host paths that expose a container runtime socket are reported by `container-runtime-socket` instead, so one mount never yields two findings.' + NODE_AGENT_SEVERITY_NOTE,
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
    match: ANY_KIND,
    sources: SPEC_SOURCES,
  },
  *check(object, ctx): Iterable<Violation> {
    for (const volume of hostPathVolumesOf(object)) {
      if (runtimeSocketExposedBy(volume.hostPath, ctx.config.lists['runtime-sockets'])) continue;
      yield {
        message: `Volume "${volume.name}" mounts ${volume.hostPath} from the node.`,
        path: volume.path,
        severity: pssSeverity(object, 'medium'),
        evidence: [`hostPath ${volume.hostPath}`, ...(isNodeAgentNamespace(object) ? [NODE_AGENT_NOTE] : [])],
        discriminator: volume.path,
      };
    }
  },
});

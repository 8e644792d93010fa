import { asArray, asRecord } from '../../core/object.js';
import { joinPath } from '../../core/path.js';
import { workloadSecurityRule } from './workload-security-template.js';

/** Capabilities the Pod Security Standards baseline profile allows containers to add. */
const BASELINE_ALLOWED = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
/** Capabilities that are one step from root on the node. */
const NODE_ESCAPE = new Set(['ALL', 'SYS_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'BPF', 'NET_ADMIN', 'SYS_BOOT']);

export default workloadSecurityRule({
  meta: {
    id: 'container-added-capabilities',
    title: 'Container adds Linux capabilities beyond the baseline',
    severity: 'medium',
    description:
      'A container lists in `securityContext.capabilities.add` a capability outside the Pod Security Standards baseline allowed list (`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT`). `ALL`, `SYS_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `NET_ADMIN`, `BPF` and similar are `high`; others (`NET_RAW`, `IPC_LOCK` …) `medium`.',
    rationale:
      '`SYS_ADMIN` is nearly privileged: it mounts filesystems and is the usual route out of a container; `SYS_PTRACE` reads other processes\' memory; `NET_ADMIN` rewrites the pod network. `IPC_LOCK` and `SYS_RESOURCE` are common in GPU and RDMA training images and are lower risk, but still outside the baseline, so they need an explicit exemption.',
    remediation:
      'Drop the capability (start from `drop: [ALL]` and add back only what the program needs). Training jobs that need `IPC_LOCK` for RDMA belong in a namespace with a documented Pod Security exemption.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
      'https://man7.org/linux/man-pages/man7/capabilities.7.html',
      'https://attack.mitre.org/techniques/T1611/',
    ],
    mitre: ['T1611', 'T1068', 'MS-TA9008'],
  },
  scope: 'container',
  *judge(ref) {
    const added = asArray(asRecord(asRecord(ref.container.securityContext)?.capabilities)?.add);
    for (const [i, raw] of added.entries()) {
      if (typeof raw !== 'string') continue;
      const capability = raw.trim().toUpperCase().replace(/^CAP_/, '');
      if (BASELINE_ALLOWED.has(capability)) continue;
      const path = joinPath(ref.path, 'securityContext', 'capabilities', 'add', i);
      yield {
        message: `Container "${ref.name}" adds capability ${capability}, which the baseline Pod Security profile forbids.`,
        path,
        severity: NODE_ESCAPE.has(capability) ? 'high' : 'medium',
        evidence: `${path}: ${raw}`,
      };
    }
  },
});

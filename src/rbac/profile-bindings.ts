import { asRecord, nameOf } from '../core/object.js';
import type { ScannedObject } from '../core/types.js';
import type { BindingSpec } from './grant.js';
import { readSubject, type Subject } from './subjects.js';

/**
 * The RoleBindings the Kubeflow profile controller creates in a Profile's namespace: the owner
 * as `kubeflow-admin` (`namespaceAdmin`), and the `default-editor` / `default-viewer` service
 * accounts as `kubeflow-edit` / `kubeflow-view`. They never appear in manifests, yet they are
 * what notebooks and pipeline runs (`default-editor` in multi-user KFP) act with. Bindings the
 * scan already holds (a cluster scan sees the real ones) are not implied twice.
 * https://github.com/kubeflow/kubeflow/blob/master/components/profile-controller/controllers/profile_controller.go
 */
export function profileBindingsOf(scanned: ScannedObject, alreadyScanned: (namespace: string, binding: string) => boolean): BindingSpec[] {
  const namespace = nameOf(scanned.object);
  const owner = readSubject(asRecord(asRecord(scanned.object.spec)?.owner), namespace);
  const implied: [binding: string, subject: Subject | undefined, role: string, subjectPath: string][] = [
    ['namespaceAdmin', owner, 'kubeflow-admin', 'spec.owner'],
    ['default-editor', { kind: 'ServiceAccount', name: 'default-editor', namespace }, 'kubeflow-edit', 'metadata.name'],
    ['default-viewer', { kind: 'ServiceAccount', name: 'default-viewer', namespace }, 'kubeflow-view', 'metadata.name'],
  ];
  return implied.flatMap(([binding, subject, role, subjectPath]) =>
    subject && !alreadyScanned(namespace, binding)
      ? [
          {
            subject,
            namespace,
            roleRef: { kind: 'ClusterRole', name: role },
            source: scanned,
            via: `Profile ${namespace} (RoleBinding ${binding})`,
            subjectPath,
          },
        ]
      : [],
  );
}

import type { AuditDetection } from '../detection.js';
import { anonymousProfile } from './anonymous-profile.js';
import { anonymousRequestAllowed } from './anonymous-request.js';
import { authChainRemoved } from './auth-chain-removed.js';
import { execIntoMlPod } from './exec-into-ml-pod.js';
import { mlUiExposed } from './ml-ui-exposed.js';
import { pipelineServiceAccount } from './pipeline-service-account.js';
import { podBurst } from './pod-burst.js';
import { clusterAdminBinding, rbacGrantsAnonymous } from './rbac-bindings.js';

/** Every request-level detection `kfguard audit` runs beside the object rules. */
export const AUDIT_DETECTIONS: readonly AuditDetection[] = [
  mlUiExposed,
  authChainRemoved,
  anonymousRequestAllowed,
  rbacGrantsAnonymous,
  clusterAdminBinding,
  pipelineServiceAccount,
  podBurst,
  execIntoMlPod,
  anonymousProfile,
];

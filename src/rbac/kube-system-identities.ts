import { shippedValues } from '../data/list-file.js';

let trusted: ReadonlySet<string> | undefined;

/**
 * Names of the kube-system service accounts of Kubernetes' controllers and common add-ons
 * (`data/lists/kube-system-identities.yaml`). Anything else in kube-system is not part of the
 * platform, whatever it is called: attackers pick names like `kube-system-admin` for backdoors.
 */
export function isKnownKubeSystemServiceAccount(name: string): boolean {
  trusted ??= new Set(shippedValues('kube-system-identities'));
  return trusted.has(name);
}

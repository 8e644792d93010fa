/**
 * Passwords published as defaults: Kubeflow's `user@example.com` / `12341234`
 * (https://github.com/kubeflow/manifests#change-default-user-password) and Dex's example `password`
 * (https://github.com/dexidp/dex/blob/master/examples/config-dev.yaml).
 */
export const DOCUMENTED_DEFAULT_PASSWORDS: readonly string[] = ['12341234', 'password'];

import { spawnSync } from 'node:child_process';

/**
 * A test that needs a program besides Node (kubectl for kustomize renders, zip(1) to build an
 * archive the way users do) skips with a visible reason where it is missing: `npm test` must pass
 * on a machine with only Node and npm.
 */
export function skipWithout(...commands: readonly string[]): false | string {
  const found = commands.some((command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).error === undefined);
  return found ? false : `${commands.join(' or ')} is not installed`;
}

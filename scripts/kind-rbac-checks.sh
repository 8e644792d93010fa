# Sourced by scripts/kind-e2e.sh (and test/cluster/kind-rbac-checks.test.ts, with a stand-in
# kubectl): the deploy/scanner RBAC, asked of the API server with `kubectl auth can-i --as`.
#
# `kubectl auth can-i` prints "no" and exits 1 when the answer is no (cani.go: os.Exit(1)), so its
# answer is read from its output, never through a pipe: under `set -o pipefail` a pipeline holding
# it fails exactly when the answer is the "no" these checks require.

# The answer ("yes" or "no"), with any " - reason" kubectl adds cut off; empty when it could not ask.
can_i() {
  local answer
  answer=$(kubectl auth can-i "$@" 2>/dev/null) || true
  echo "${answer%% *}"
}

# Fails (through `fail`, which the caller defines) on the first answer that differs.
expect_can_i() {
  local want=$1; shift
  local got
  got=$(can_i "$@")
  [ "$got" = "$want" ] || fail "kubectl auth can-i $* answered '${got:-nothing}', expected '$want'"
}

check_scanner_rbac() {
  local scanner=system:serviceaccount:kfguard:kfguard-scanner
  local watcher=system:serviceaccount:kfguard:kfguard-watch
  expect_can_i yes get pods --as "$scanner" -A
  expect_can_i yes list pods --as "$scanner" -A
  expect_can_i no watch pods --as "$scanner" -A
  expect_can_i yes watch pods --as "$watcher" -A
  expect_can_i no create pods --as "$scanner" -A
  expect_can_i no delete secrets --as "$scanner" -A
  # The watch writes Events and PolicyReports with its own account; the scan's stays read-only.
  expect_can_i yes create events.events.k8s.io --as "$watcher" -A
  expect_can_i no create events.events.k8s.io --as "$scanner" -A
}

#!/usr/bin/env bash
# The live-cluster suite against a real API server: a throwaway kind cluster. Outside this repo's
# CI (no Docker engine where its tests run); run it by hand or through
# .github/workflows/kind-e2e.yml (workflow_dispatch). Needs docker, kind, kubectl, node 20 and the
# dev dependencies (npm ci); it builds kfguard itself, as the suite runs the built binary. One
# parity test uses only the repository's examples/ and always runs; the corpus parity tests also
# need ../shared (the corpus), and without it they skip.
#
# 1. The test/cluster files that declare `// live-suite: portable` (PORTABLE_FILES below; a test
#    keeps the list in step), run with KFGUARD_LIVE_KUBECONFIG: the same tests that run against the
#    in-repo fake API server, each creating its objects through the API and deleting them after.
#    Tests that need what only the fake can do (injected 403s, 410s, drops) skip, saying why.
# 2. The scanner ClusterRole in deploy/scanner grants get and list and nothing that writes; the
#    watch's account may also watch.
#
# The suite creates miner Pods. Nothing it creates may run: the scheduler is stopped before the
# suite starts, so its Pods stay Pending (the test helper refuses any object naming a node, which
# would skip the scheduler), and the images are never pulled.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLUSTER=${KIND_CLUSTER:-kfguard-e2e}
NODE="$CLUSTER-control-plane"
WORK=$(mktemp -d)
KUBECONFIG_FILE="$WORK/kubeconfig"
PORTABLE_FILES=(
  test/cluster/bin.test.ts
  test/cluster/parity.test.ts
  test/cluster/watch-bin.test.ts
)
trap 'kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

fail() { echo "kind-e2e: FAIL: $*" >&2; exit 1; }
scheduler_running() { kubectl -n kube-system get pod "kube-scheduler-$NODE" >/dev/null 2>&1; }

kind create cluster --name "$CLUSTER" --kubeconfig "$KUBECONFIG_FILE" --wait 120s
export KUBECONFIG="$KUBECONFIG_FILE"

echo '--- 0. stop the scheduler: no Pod the suite creates is ever bound to a node'
docker exec "$NODE" mv /etc/kubernetes/manifests/kube-scheduler.yaml /etc/kubernetes/kube-scheduler.yaml.stopped
for _ in $(seq 1 120); do scheduler_running || break; sleep 1; done
scheduler_running && fail "the scheduler still runs"

echo '--- 1. the portable live-cluster suite'
cd "$ROOT"
npm run build
# One file at a time: the files share namespace names (team-a), and a real cluster is shared state.
KFGUARD_LIVE_KUBECONFIG="$KUBECONFIG_FILE" node --import tsx --test --test-concurrency=1 "${PORTABLE_FILES[@]}"
scheduler_running && fail "the scheduler came back during the suite"
leftovers=$(kubectl get pods -A --no-headers -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name | grep -v -e '^kube-system ' -e '^local-path-storage ' || true)
[ -z "$leftovers" ] || fail "Pods left after the suite: $leftovers"

echo '--- 2. deploy/scanner RBAC'
kubectl apply -k "$ROOT/deploy/scanner"
# shellcheck source=scripts/kind-rbac-checks.sh
source "$ROOT/scripts/kind-rbac-checks.sh"
check_scanner_rbac

echo 'kind-e2e: all checks passed'

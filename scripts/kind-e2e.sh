#!/usr/bin/env bash
# The live-cluster suite against a real API server: a throwaway kind cluster. Outside this repo's
# CI (no Docker engine where its tests run); run it by hand or through
# .github/workflows/kind-e2e.yml (workflow_dispatch). Needs docker, kind, kubectl, node 20, and a
# built kfguard (npm ci && npm run build).
#
# Checks, against what a real API server does (the fake one in src/testing/fake-apiserver is
# modelled on it):
#   1. scan --cluster finds a miner Pod and exits 1; a refused kind (secrets) is a named gap;
#   2. kfguard watch reports a miner Pod created after its sync within 2 s, folds a miner
#      Deployment's Pods into the Deployment's finding, and resolves it on delete;
#   3. the scanner ClusterRole in deploy/scanner grants exactly get, list, watch.
# The "miner" only sleeps: its command line carries the indicators, nothing mines.
set -euo pipefail

CLUSTER=${KIND_CLUSTER:-kfguard-e2e}
KFGUARD="node $(cd "$(dirname "$0")/.." && pwd)/bin/kfguard.js"
WORK=$(mktemp -d)
KUBECONFIG_FILE="$WORK/kubeconfig"
trap 'kill ${WATCH_PID:-} 2>/dev/null || true; kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

fail() { echo "kind-e2e: FAIL: $*" >&2; exit 1; }

kind create cluster --name "$CLUSTER" --kubeconfig "$KUBECONFIG_FILE" --wait 120s
export KUBECONFIG="$KUBECONFIG_FILE"
kubectl create namespace team-a

miner_pod() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: team-a}
spec:
  containers:
    - name: c
      image: busybox:1.36
      command: [sh, -c, "sleep 3600 || xmrig -o stratum+tcp://pool.supportxmr.com:3333 --donate-level=1"]
YAML
}

echo '--- 1. scan --cluster'
miner_pod existing | kubectl apply -f -
set +e
$KFGUARD scan --cluster -f json > "$WORK/scan.json"
code=$?
set -e
[ "$code" = 1 ] || fail "scan --cluster exited $code, expected 1"
grep -q '"name": "existing"' "$WORK/scan.json" || fail "no finding on the miner Pod"

echo '--- 2. watch'
$KFGUARD watch --resync 2 > "$WORK/watch.jsonl" 2> "$WORK/watch.err" &
WATCH_PID=$!
for _ in $(seq 1 120); do grep -q 'synced:' "$WORK/watch.err" && break; sleep 0.5; done
grep -q 'synced:' "$WORK/watch.err" || fail "watch did not sync: $(cat "$WORK/watch.err")"
start=$(date +%s%3N)
miner_pod fresh | kubectl apply -f -
for _ in $(seq 1 100); do grep -q '"state":"open".*"name":"fresh"' "$WORK/watch.jsonl" && break; sleep 0.05; done
grep -q '"state":"open".*"name":"fresh"' "$WORK/watch.jsonl" || fail "no open finding for the new miner Pod"
echo "finding within $(( $(date +%s%3N) - start )) ms of kubectl apply (includes kubectl's own start-up)"
kubectl -n team-a create deployment farm --image=busybox:1.36 -- sh -c "sleep 3600 || xmrig -o stratum+tcp://pool.supportxmr.com:3333"
sleep 10
grep -q '"state":"open".*"kind":"Deployment".*"name":"farm"' "$WORK/watch.jsonl" || fail "no finding on the Deployment"
if grep '"state":"open"' "$WORK/watch.jsonl" | grep -q '"name":"farm-[a-z0-9]*-[a-z0-9]*"'; then fail "the Deployment's Pod was reported besides the Deployment"; fi
kubectl -n team-a delete pod fresh --wait=true
for _ in $(seq 1 100); do grep -q '"state":"resolved".*"name":"fresh"' "$WORK/watch.jsonl" && break; sleep 0.1; done
grep -q '"state":"resolved".*"name":"fresh"' "$WORK/watch.jsonl" || fail "deleting the miner did not resolve its finding"
kill -TERM "$WATCH_PID"; wait "$WATCH_PID" || fail "watch did not exit 0 on SIGTERM"; WATCH_PID=

echo '--- 3. deploy/scanner RBAC'
kubectl apply -k "$(dirname "$0")/../deploy/scanner"
sa=system:serviceaccount:kfguard:kfguard-scanner
for verb in get list watch; do kubectl auth can-i "$verb" pods --as "$sa" -A | grep -q yes || fail "scanner cannot $verb pods"; done
kubectl auth can-i create pods --as "$sa" -A | grep -q no || fail "scanner can create pods"
kubectl auth can-i delete secrets --as "$sa" -A | grep -q no || fail "scanner can delete secrets"

echo 'kind-e2e: all checks passed'

import { describeObject } from '../../core/object.js';
import { defineRule, NO_VIOLATIONS, type Violation } from '../../core/rule.js';
import { describeSignal, labelOf, scoreSignals, type Verdict } from '../../threat/signals.js';
import { minerOptionsSchema } from '../../threat/miner-options.js';
import { scanWorkload, type WorkloadScan } from '../../threat/workload-scan.js';
import type { K8sObject } from '../../core/types.js';

const MAX_EVIDENCE_LINES = 12;

const HEADLINES = {
  critical: 'runs a crypto miner',
  high: 'shows a strong crypto-mining chain',
  medium: 'shows weak crypto-mining signals',
} as const;

export default defineRule({
  meta: {
    id: 'crypto-miner-workload',
    title: 'Workload runs or fetches a crypto miner',
    severity: 'critical',
    category: 'threat',
    description:
      'Finds crypto-miner workloads in every workload shape (Pods, controllers, Argo and Kubeflow Pipelines, notebooks, training jobs, KServe models and runtimes, Spark drivers and executors, OpenShift Templates with their parameters substituted, MachineConfig static Pods and systemd units, unknown CRDs and the text of their specs), in container commands, scripts, env, lifecycle hooks and exec probes: ' +
      'known miner images, miner binaries, Stratum URLs, pool hosts, wallets in pool logins, miner flags, miner configs in mounted ConfigMaps and Secrets, ' +
      'download-and-execute chains, and the 2021 Kubeflow campaign pattern of a clean ML image whose pipeline step downloads and runs a binary. ' +
      'Encoded layers are undone as a shell or interpreter would (base64, base32, hex, percent, gzip/zlib/deflate, rev, tr ciphers, Python, perl and awk decoders, ANSI-C quoting, pipelines of filters) and `$(VAR)` references resolved, then rescanned. ' +
      'A pool endpoint (`host:port`) and a checksum-valid wallet (Monero, Kaspa, Nexa, Ravencoin, Ergo, Bitcoin bech32/bech32m, Zephyr, Zano, Iron Fish, EVM, Dero) on one command line are critical whatever the binary is called and whether or not the pool is listed. ' +
      'An image whose repository path names a miner (`someone/xmrig`, `x/lolminer-cuda`; not `minio`, `determined` or `log-miner`) is high; a known-compromised package version pinned in a step (`pip install ultralytics==8.3.41`, a requirements line, `npm i ua-parser-js@0.7.29`) is high; ' +
      'a download from a paste site, anonymous file host, IPFS gateway, out-of-band callback host or raw public IP that is then run is high, and a CronJob, CronWorkflow or crontab line repeating it (in a container command, an Argo script source or a Ray job entrypoint) is said in the evidence. Killing rival miners by name (`pkill -f xmrig`, `killall -9 kdevtmpfsi`, `ps aux | grep kinsing | xargs kill`), as ShadowRay 2.0 did (MITRE C0045), is medium alone and high beside a download-and-run. ' +
      'Well-known installers fetched from their own project domain (uv, Miniforge, pixi, Docker, Trivy; `data/indicators/trusted-installers.yaml`) add nothing. ' +
      'Signals combine into one finding per workload; text left unexamined by a budget makes the workload at least medium. ' +
      'Comments, docstrings, notebook markdown and detection-rule files are not read; a pool named only in a ConfigMap or a custom resource spec is at most medium unless it is a miner config, is passed with `--config`, or sits beside a wallet or miner arguments.',
    rationale:
      'In 2020 and 2021 attackers used exposed Kubeflow dashboards to start pipelines that ran XMRig and Ethminer from clean `tensorflow/tensorflow` ' +
      'images, so an image allow-list alone missed them. Mining burns CPU and GPU budget and shows that someone outside can run code in the cluster.\n\n' +
      '**What no manifest scanner sees.** A miner baked into an innocently named image and started by the image\'s own entrypoint, with no command, args, pool or wallet in the manifest, leaves nothing here to read: ' +
      'the workload looks like any other. Two things catch it: admission that checks image reputation (an allow-list of registries and digests, `image-registry-not-allowed` and `image-not-pinned-digest`, or a registry scanner that inspects the layers), ' +
      'and runtime detection (process names, Stratum traffic and pool DNS lookups, e.g. Falco\'s miner rules). The same holds for a package that mines only when imported at run time from an unpinned install.',
    remediation:
      '1. Treat a `critical` finding as an incident: stop the workload (`kubectl delete` the pipeline run, workflow or pod) and find who created it.\n' +
      '2. Close the way in: put authentication in front of the Kubeflow dashboard and Argo server, and keep `istio-ingressgateway` off the internet.\n' +
      '3. Pin images by digest and download tools at build time, not in the container command.\n' +
      '4. For a known-good workload, suppress the finding with a reason.',
    references: [
      'https://sysdig.com/blog/crypto-mining-kubeflow-tensorflow-falco/',
      'https://github.com/falcosecurity/rules/blob/main/rules/falco-sandbox_rules.yaml',
      'https://github.com/SigmaHQ/sigma/blob/master/rules/linux/process_creation/proc_creation_lnx_crypto_mining.yml',
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/',
    ],
    mitre: ['T1496', 'T1610', 'T1105', 'MS-TA9039', 'MS-TA9008'],
    match: [{ apiGroups: '*', kinds: '*' }],
    sources: ['manifest', 'cluster', 'admission', 'audit', 'api'],
    needs: { reads: ['ConfigMap', 'Secret'], snapshot: 'optional', request: false, cost: 'moderate' },
    options: minerOptionsSchema,
  },
  check(object, ctx): Iterable<Violation> {
    // The scan draws on the object's budget; what it could not read is said in the evidence.
    const scan = scanWorkload(object, ctx);
    const verdict = scoreSignals(scan.signals);
    // Nearly every workload gives no verdict: no generator for those.
    return verdict ? minerViolation(object, scan, verdict) : NO_VIOLATIONS;
  },
});

function* minerViolation(object: K8sObject, scan: WorkloadScan, verdict: Verdict): Generator<Violation> {
  const strongest = verdict.signals[0];
  const kinds = [...new Set(verdict.signals.map((s) => labelOf(s.kind)))];
  yield {
    message: `${describeObject(object)} ${HEADLINES[verdict.severity as keyof typeof HEADLINES] ?? HEADLINES.medium}: ${kinds.join(', ')}`,
    ...(strongest ? { path: strongest.site.path } : {}),
    severity: verdict.severity,
    evidence: [...verdict.signals.slice(0, MAX_EVIDENCE_LINES).map(describeSignal), ...scan.cutShort.map((reason) => `scan cut short: ${reason}`)],
  };
}

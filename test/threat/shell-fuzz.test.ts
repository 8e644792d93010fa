import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseShell } from '../../src/threat/shell.js';

/**
 * Differential fuzzing of the shell lexer against bash: random command lines with every quoting
 * form (plain, '…', "…" with its escapes, backslash escapes outside quotes, comments), joined by
 * `;`, `&&`, `||`, `|` and newlines. bash says what the words of each simple command are after
 * quote removal; the lexer must give the same words and the same pipes. Only what the lexer claims
 * to model is generated: no expansions ($, backticks, globs, braces, tilde), which it leaves as
 * text on purpose.
 */

const bashAvailable = spawnSync('bash', ['-c', 'exit 0']).status === 0;

const plainChar = fc.constantFrom(...'abcxyz019./:-_=@,+%#'.split(''));
// A word that starts with # starts a comment; inside a word, # is a plain character.
const plain = fc.tuple(plainChar.filter((c) => c !== '#'), fc.array(plainChar, { maxLength: 5 })).map(([first, rest]) => `${first}${rest.join('')}`);
const singleQuoted = fc.array(fc.constantFrom(...'ab $`"\\|;&#*~{} \t'.split('')), { maxLength: 6 }).map((chars) => `'${chars.join('')}'`);
const doubleQuoted = fc
  .array(fc.oneof(fc.constantFrom(...'ab \'|;&#*~{}'.split('')), fc.constantFrom('\\"', '\\\\', '\\a')), { maxLength: 6 })
  .map((parts) => `"${parts.join('')}"`);
const escaped = fc.constantFrom('\\ ', '\\;', '\\|', '\\&', '\\a', "\\'", '\\"', '\\\\', '\\#');
/** A word is parts written next to each other: `a'b c'"d"\ e` is one word. */
const word = fc.array(fc.oneof({ weight: 3, arbitrary: plain }, singleQuoted, doubleQuoted, escaped), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
const commandName = fc.constantFrom('curl', 'wget', 'xmrig', 'python3', 'chmod', 'tar');
const command = fc.tuple(commandName, fc.array(word, { maxLength: 4 }), fc.constantFrom('', ' ', '  ', '\t'), fc.constantFrom('', ' # trailing comment')).map(([name, args, gap, comment]) => ({
  text: `${name}${args.map((a) => `${gap || ' '}${a}`).join('')}`,
  comment,
}));
const operator = fc.constantFrom(';', ' && ', ' || ', ' | ', '\n', ' ; ');

/** The words bash gives each simple command, by running `set --` on it. */
function bashWords(commands: readonly string[]): string[][] {
  const script = commands.map((text) => `set -- ${text}\nprintf '%s\\037' "$@"; printf '\\036'`).join('\n');
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, `bash refused the generated script (a generator bug):\n${script}\n${result.stderr}`);
  return result.stdout
    .split('\u001e')
    .slice(0, -1)
    .map((record) => record.split('\u001f').slice(0, -1));
}

describe('the shell lexer agrees with bash', { skip: bashAvailable ? false : 'bash not installed' }, () => {
  test('words after quote removal, command boundaries and pipes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(command, operator), { minLength: 1, maxLength: 4 }), (parts) => {
        // A comment runs to the end of its line: only a newline may follow one.
        const source = parts.map(([c, op], i) => `${c.text}${op === '\n' || i === parts.length - 1 ? c.comment : ''}${i === parts.length - 1 ? '' : op}`).join('');
        const expectedWords = bashWords(parts.map(([c]) => c.text));
        const expectedPiped = parts.map((_, i) => i > 0 && parts[i - 1]?.[1].trim() === '|');
        const script = parseShell(source);
        assert.deepEqual(script.commands.map((c) => c.words), expectedWords, source);
        assert.deepEqual(script.commands.map((c) => c.piped), expectedPiped, source);
      }),
      { numRuns: 100 },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hereDocumentsAsStrings } from '../../src/threat/decoders/heredocs.js';
import { followedScripts } from '../../src/threat/decoders/script-files.js';

const plenty = { take: () => true, remainingBytes: 1 << 20 };
const stepsOf = (script: string): string[] => followedScripts(script, plenty).followed.map((f) => `${f.steps.join(' → ')}: ${f.text}`);

describe('heredocs as here-strings', () => {
  it('moves each body onto its command line, with <<- tabs stripped and quotes kept literal', () => {
    const doc = hereDocumentsAsStrings("rev <<-'END' | sh\n\tab'c\n\tEND\necho done");
    assert.equal(doc?.text, "rev <<< 'ab'\\''c' | sh\necho done");
    assert.equal(doc?.count, 1);
  });

  it('leaves here-strings and shifts alone', () => {
    assert.equal(hereDocumentsAsStrings('cat <<< x; echo $((1<<2))'), undefined);
  });

  it('takes the rest of the script as the body when the delimiter never comes', () => {
    assert.equal(hereDocumentsAsStrings('sh <<EOF\necho a\necho b')?.text, "sh <<< 'echo a\necho b'");
  });
});

describe('scripts written to a file and then run', () => {
  it('follows a decoded file to the command that runs it, and only then', () => {
    assert.deepEqual(stepsOf("echo 'cba' | rev > /tmp/x; sh /tmp/x"), ['rev → file /tmp/x run by sh: abc']);
    assert.deepEqual(stepsOf("echo 'cba' | rev > /tmp/x; cat /tmp/x"), []);
  });

  it('appends with >>, copies with cp, and runs ./f as the same file as f', () => {
    assert.deepEqual(stepsOf("echo a > f\necho b >> f\ncp f g\n./g"), ['file g run by exec: a\nb']);
  });

  it('a later write replaces what the file held', () => {
    assert.deepEqual(stepsOf("echo 'niamod' | rev > f; echo 'ok' > f; sh f"), ['file f run by sh: ok']);
  });

  it('a heredoc read by an interpreter is followed; one run through plain echo | sh is left to the shell reader', () => {
    assert.deepEqual(stepsOf("python3 - <<'EOF'\nprint(1)\nEOF"), ['heredoc → read by python3: print(1)']);
    assert.deepEqual(stepsOf("echo 'id' | sh"), []);
  });

  it('reports, not drops, what is past the file cap', () => {
    const many = Array.from({ length: 70 }, (_, i) => `echo x > /tmp/f${i}`).join('\n');
    assert.equal(followedScripts(`${many}\nsh /tmp/f69`, plenty).exhausted, true);
  });
});

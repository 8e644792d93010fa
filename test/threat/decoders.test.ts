import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { unlimitedBudget } from '../../src/core/budget.js';
import { decodeEmbeddedText } from '../../src/threat/decode.js';
import { compressionOf, decodeBase32, decodePercent, expandTrSet, inflate, isLetterCipher, reverseLines, rot13, translate } from '../../src/threat/decoders/codecs.js';
import { decodeAnsiCQuoting, interpretEscapes } from '../../src/threat/decoders/escapes.js';
import { oneLinerDecoded } from '../../src/threat/decoders/one-liners.js';
import { pipelineOutputs } from '../../src/threat/decoders/pipeline.js';
import { pythonDecodedExpressions } from '../../src/threat/decoders/python-expr.js';
import { base64Runs, escapedHexRuns, hexRuns, octalRuns } from '../../src/threat/decoders/runs.js';
import { parseShell } from '../../src/threat/shell.js';
import { cpuMs } from '../helpers/cpu-time.js';

const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');
const rev = (text: string): string => [...text].reverse().join('');
const MINER = './xmrig -o stratum+tcp://pool.example.org:3333';
const pipelines = (script: string) => pipelineOutputs(parseShell(script).commands, unlimitedBudget());

describe('codecs', () => {
  it('rev reverses each line, as util-linux rev does', () => {
    assert.equal(reverseLines('abc\ndef'), 'cba\nfed');
  });

  it('tr expands ranges, classes and escapes, and maps by position with the last character repeated', () => {
    assert.equal(expandTrSet('a-e'), 'abcde');
    assert.equal(expandTrSet('[:digit:]'), '0123456789');
    assert.equal(expandTrSet('\\n\\101'), '\nA');
    assert.equal(translate('hello', 'a-z', 'n-za-m'), 'uryyb');
    assert.equal(translate('abc', 'abc', 'x'), 'xxx');
    assert.equal(expandTrSet('z-a'), undefined, 'a reversed range is refused, as tr refuses it');
  });

  it('tells a letter cipher from a case change', () => {
    assert.equal(isLetterCipher('A-Za-z', 'N-ZA-Mn-za-m'), true);
    assert.equal(isLetterCipher('a-z', 'A-Z'), false);
    assert.equal(isLetterCipher('[:lower:]', '[:upper:]'), false);
    assert.equal(rot13(rot13(MINER)), MINER);
  });

  it('decodes base32 with and without padding and refuses foreign characters', () => {
    assert.equal(decodeBase32('NBSWY3DP')?.toString(), 'hello');
    assert.equal(decodeBase32('NBSWY3DPEE======')?.toString(), 'hello!');
    assert.equal(decodeBase32('NBSW1'), undefined);
  });

  it('decodes percent-encoding and keeps malformed escapes', () => {
    assert.equal(decodePercent('%78mr%69g%20-o+x%zz').toString(), 'xmrig -o x%zz');
  });

  it('recognises gzip and zlib by header and inflates raw deflate, bounded', () => {
    assert.equal(compressionOf(gzipSync('x')), 'gzip');
    assert.equal(compressionOf(deflateSync('x')), 'zlib');
    assert.equal(compressionOf(Buffer.from('plain text')), undefined);
    assert.equal(inflate(deflateRawSync(MINER), 'deflate', 1_000)?.toString(), MINER);
    assert.equal(inflate(deflateSync(Buffer.alloc(100_000)), 'zlib', 1_000), 'too large');
    assert.equal(inflate(Buffer.from('not compressed at all'), 'zlib', 1_000), undefined);
  });
});

describe('escapes', () => {
  it('reads hex, octal, \\0NNN and Unicode escapes and says when one was numeric', () => {
    assert.deepEqual(interpretEscapes('\\x78\\155\\0162\\u0069\\U00000067'), { text: 'xmrig', changed: true });
    assert.deepEqual(interpretEscapes('a\\tb\\n'), { text: 'a\tb\n', changed: false });
  });

  it("replaces $'…' by what bash decodes it to, quoted so the shell reader sees one word", () => {
    assert.equal(decodeAnsiCQuoting(`$'\\x2e\\x2f\\x78mrig' -o $'it\\x27s'`), `'./xmrig' -o 'it'\\''s'`);
    assert.equal(decodeAnsiCQuoting(`echo $'plain\\n'`), undefined, 'only formatting escapes: nothing hidden');
    assert.deepEqual(parseShell(decodeAnsiCQuoting(`$'\\x78mrig' --donate-level 1`) as string).commands[0]?.words, ['xmrig', '--donate-level', '1']);
  });
});

describe('pipelines', () => {
  it('applies each filter in pipeline order and names every step', () => {
    const [output] = pipelines(`echo ${b64(rev(rot13(MINER)))} | base64 -d | rev | tr 'A-Za-z' 'N-ZA-Mn-za-m' | sh`);
    assert.deepEqual(output?.steps, ['base64', 'rev', 'rot13']);
    assert.equal(output?.output, MINER);
    assert.equal(output?.complete, true);
  });

  it('reads here-strings, xxd -r -p, openssl, basenc and zlib-flate', () => {
    assert.equal(pipelines(`base64 -d <<< ${b64(MINER)} | sh`)[0]?.output, MINER);
    assert.equal(pipelines(`echo ${Buffer.from(MINER).toString('hex')} | xxd -r -p | sh`)[0]?.output, MINER);
    assert.equal(pipelines(`echo ${b64(MINER)} | openssl enc -base64 -d -A | sh`)[0]?.output, MINER);
    assert.equal(pipelines(`echo ${b64(MINER)} | basenc --base64 -d | sh`)[0]?.output, MINER);
    assert.deepEqual(pipelines(`echo ${b64(deflateSync(MINER))} | base64 -d | zlib-flate -uncompress | sh`)[0]?.steps, ['base64', 'zlib']);
  });

  it('stops at a filter it does not know, keeping what was decoded before it', () => {
    const [output] = pipelines(`echo ${b64(MINER)} | base64 -d | sed s/a/b/ | sh`);
    assert.equal(output?.output, MINER);
    assert.equal(output?.complete, false);
  });

  it('does not name case changes or deleted newlines as layers, and ignores plain echo | sh', () => {
    assert.deepEqual(pipelines(`echo hello | tr a-z A-Z | tr -d '\\n' | sh`), []);
    assert.deepEqual(pipelines('echo ls | sh'), []);
    assert.deepEqual(pipelines(`printf '\\x6c\\x73' | sh`)[0]?.steps, ['printf escapes']);
  });
});

describe('Python expressions', () => {
  const decoded = (code: string) => pythonDecodedExpressions(code, 1_000_000).decoded.map((d) => [d.steps.join(' → '), d.text]);

  it('evaluates reversal, chr() joins, bytes(), fromhex, codecs and base64 in any composition', () => {
    assert.deepEqual(decoded(`os.system('${rev(MINER)}'[::-1])`), [['[::-1]', MINER]]);
    assert.deepEqual(decoded(`exec(''.join(map(chr, [${[...Buffer.from(MINER)].join(',')}])))`), [['chr()', MINER]]);
    assert.deepEqual(decoded(`x = bytes([${[...Buffer.from(MINER)].join(',')}]).decode()`), [['bytes([…])', MINER]]);
    assert.deepEqual(decoded(`x = bytearray.fromhex('${Buffer.from(MINER).toString('hex')}').decode()`), [['bytes.fromhex', MINER]]);
    assert.deepEqual(decoded(`x = codecs.encode('${rot13(MINER)}', 'rot_13')`), [['rot13', MINER]]);
    assert.deepEqual(decoded(`exec(__import__('codecs').decode(__import__('base64').b64decode('${b64(rev(rot13(MINER)))}').decode()[::-1], 'rot13'))`), [['base64 → [::-1] → rot13', MINER]]);
    assert.deepEqual(decoded(`exec(zlib.decompress(base64.b64decode("${b64(deflateRawSync(MINER))}"), -15))`), [['base64 → deflate', MINER]]);
  });

  it('reads nothing without a decoding step, and never a variable of the program', () => {
    assert.deepEqual(decoded(`print("hello world")`), []);
    assert.deepEqual(decoded(`os.system(payload[::-1])`), []);
    assert.deepEqual(decoded(`x = foo.decode('abc', 'rot13')`), []);
  });

  it('survives deep nesting and reports a text built to be re-read', async () => {
    const deep = `exec(${'('.repeat(50_000)}'abc'[::-1]${')'.repeat(50_000)})`;
    assert.doesNotThrow(() => pythonDecodedExpressions(deep, 1_000_000));
    const crowded = `${'x = ('.repeat(40_000)}'${'a'.repeat(10)}'[::-1]`;
    const { value: result, ms } = await cpuMs(() => pythonDecodedExpressions(crowded, 1_000_000));
    assert.ok(ms < 5_000, `${ms} ms of CPU`);
    assert.equal(typeof result.exhausted, 'boolean');
  });
});

describe('perl and awk one-liners', () => {
  it('reads pack("H*"), pack("C*") and printf("%c")', () => {
    const hex = Buffer.from(MINER).toString('hex');
    assert.deepEqual(oneLinerDecoded(`perl -e 'system(pack("H*","${hex}"))'`).map((d) => [d.step, d.text]), [['perl pack("H*")', MINER]]);
    assert.equal(oneLinerDecoded(`perl -e 'exec pack("C*", ${[...Buffer.from(MINER)].join(',')})'`)[0]?.text, MINER);
    const codes = [...Buffer.from(MINER)];
    assert.equal(oneLinerDecoded(`awk 'BEGIN{printf "${'%c'.repeat(codes.length)}", ${codes.join(',')}}'`)[0]?.text, MINER);
    assert.equal(oneLinerDecoded(`awk '{ s = s sprintf("%c", 120) sprintf("%c", 109) sprintf("%c", 114) sprintf("%c", 105) sprintf("%c", 103) sprintf("%c", 33) }'`)[0]?.text, 'xmrig!');
  });

  it('ignores printf without %c and short packs', () => {
    assert.deepEqual(oneLinerDecoded(`awk '{ printf "%s %d\\n", $1, $2 }'`), []);
    assert.deepEqual(oneLinerDecoded(`perl -e 'print pack("H*", "41")'`), []);
  });
});

describe('encoded runs', () => {
  it('finds runs of each kind by one pass', () => {
    assert.deepEqual(base64Runs(`x ${'QUJD'.repeat(8)}== y`).map((r) => r.index), [2]);
    assert.deepEqual(hexRuns(`${'ab'.repeat(12)} ${'ab'.repeat(12)}a`).length, 1, 'an odd-length hex run is not hex');
    assert.equal(escapedHexRuns('\\x41'.repeat(8))[0]?.text.length, 32);
    assert.equal(octalRuns('\\101'.repeat(4) + '\\0101'.repeat(4))[0]?.text.length, 36);
  });

  it('decodes the payload piped into a shell before ordinary long words and decoy payloads', () => {
    const words = Array.from({ length: 300 }, (_, i) => b64(`echo innocuous line number ${i}`)).join(' ');
    const payload = b64(MINER);
    const result = decodeEmbeddedText(`${words} ${'internationalization'.repeat(2)} echo ${payload} | base64 -d | sh`, unlimitedBudget());
    assert.equal(result.decoded[0]?.text, MINER, 'the suspicious run is decoded first');
    assert.deepEqual(result.stops, ['candidates'], 'and the runs left undecoded are reported');
  });

  it('inflates zlib and raw deflate inside base64, with no gzip magic needed', () => {
    assert.deepEqual(decodeEmbeddedText(b64(deflateSync(MINER)), unlimitedBudget()).decoded.map((d) => [d.encoding, d.text]), [['base64 → zlib', MINER]]);
    assert.deepEqual(decodeEmbeddedText(b64(deflateRawSync(MINER)), unlimitedBudget()).decoded.map((d) => [d.encoding, d.text]), [['base64 → deflate', MINER]]);
  });

  it('decodes base32 and percent-encoded runs', () => {
    const base32 = 'FYXXQ3LSNFTSALLPEBZXI4TBOR2W2K3UMNYDULZPOBXW63BOMV4GC3LQNRSS433SM45DGMZTGM======';
    assert.deepEqual(decodeEmbeddedText(`echo ${base32} | base32 -d | sh`, unlimitedBudget()).decoded.map((d) => d.encoding), ['base32']);
    assert.equal(decodeEmbeddedText(`run xm%72%69%67%20%2d%6f`, unlimitedBudget()).decoded[0]?.text, 'xmrig -o');
  });

  it('scans a 5 MB base64 run in linear time', async () => {
    const run = 'QUJD'.repeat(1_250_000);
    const scanned = await cpuMs(() => base64Runs(run));
    assert.equal(scanned.value.length, 1);
    assert.ok(scanned.ms < 2_000, `${scanned.ms} ms of CPU`);
  });
});

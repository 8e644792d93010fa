// run-tests: alone
/**
 * Issue 17: every regular expression applied to input (src/core, src/sources, src/k8s, src/threat,
 * and the fix, report and docs folders that print it) is fed worst-case text at 10 KB, 100 KB and
 * 1 MB and must grow linearly; see KNOWN for the exceptions, each bounded where it is used. The literals are collected from the source with the TypeScript parser,
 * so a new pattern is covered the day it is written; the patterns built at run time from
 * indicator data (stratum URLs) are added by hand. Each pattern runs as a global scan over the
 * whole text (every start position, as `replace`/`matchAll` do, and as a failing `test` does).
 * Times are minima of repeats and only ratios within this run are compared.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { syntaxOnly } from '../../src/sources/yaml-syntax-mask.js';
import { indicatorsFor } from '../../src/threat/indicators.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** All of src/: probe, hunt and audit read attacker-controlled text too, and a folder left out is a pattern never checked. */
const SCANNED_FOLDERS = ['src'];

/**
 * Super-linear patterns that never see long input, each with the reason. Sticky (`y`) patterns are
 * skipped too: they match at one given position, so a global scan is not how they are used.
 */
const KNOWN: Record<string, string> = {
  '/(?:, )?[\\w+]+ layer \\d+$/': 'applied to kfguard\'s own layer labels, at most 3 layers long',
  '/^(\\s*(?:- )?)(.*?)(\\s+)(#.*)$/': 'fix/yaml-file.ts TRAILING_COMMENT: applied per line, only to lines of at most MAX_COMMENT_LINE (4 KB)',
};

function regexLiterals(): { where: string; regex: RegExp }[] {
  const found: { where: string; regex: RegExp }[] = [];
  for (const file of SCANNED_FOLDERS.flatMap(sourceFiles)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(source);
        if (text in KNOWN) return;
        const slash = text.lastIndexOf('/');
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({ where: `${file}:${line} ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`, regex: new RegExp(text.slice(1, slash), text.slice(slash + 1)) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Units repeated to size: runs that make greedy quantifiers backtrack (blank lines, long words, URL and shell shapes). */
const UNITS = ['\n', ' ', '\n ', 'a', 'a ', 'a.', 'a:', 'a-', 'a://', 'https://a', '$a', '${a}', '\\x4', '0', '0.', '- ', '"', "'", 'a=', '[a]', '{{', 'A0+/', '@', ':', '\t', 'wallet ', 'c.ServerApp.token ', '<', '**', '`'];

/**
 * `test` rather than `exec`: it finds the same matches from the same start positions but builds no
 * match array, so a pattern matching every character no longer allocates a million objects at
 * 1 MB, and the collector (not backtracking) stops deciding the ratio. An empty match leaves
 * `lastIndex` where it was; the next start is then one further, as `matchAll` does.
 */
function scanAll(regex: RegExp, text: string): number {
  let count = 0;
  regex.lastIndex = 0;
  let previous = -1;
  while (regex.test(text)) {
    count++;
    if (regex.lastIndex === previous) regex.lastIndex++;
    previous = regex.lastIndex;
  }
  return count;
}

function timeOf(regex: RegExp, text: string, repeats: number): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const started = process.hrtime.bigint();
    scanAll(regex, text);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best;
}

const KB = 1024;
/**
 * 10× the input: linear is 10×; quadratic would be 100×. The bound was 45× while the scan built a
 * match array per match: on a loaded machine the collector alone took linear patterns that match
 * every character (`/\s/` on newlines, `/\d/` on digits) to 28–34×. The scan allocates nothing
 * per match now (scanAll), so the bound is back near linear with room for a noisy machine.
 */
const MAX_RATIO = 30;
/** Below this a time is mostly timer noise, and no super-linear pattern is that fast at 1 MB. */
const NOISE_MS = 25;
/**
 * Under this at 100 KB, even a quadratic pattern stays near 100 ms at 1 MB, far inside the 1 s a
 * document may take: the 1 MB run is skipped, which keeps the test fast.
 */
const SKIP_LARGE_BELOW_MS = 2;

/**
 * A pair that looks super-linear is measured again with more repeats before it counts: on a shared
 * machine one collection or descheduling can multiply a single reading.
 */
function superLinear(regex: RegExp, smaller: string, larger: string, repeats: number, noiseMs = NOISE_MS): { small: number; large: number } | undefined {
  const small = timeOf(regex, smaller, repeats);
  const large = timeOf(regex, larger, repeats);
  if (!(large > noiseMs && large / Math.max(small, NOISE_MS / 10) > MAX_RATIO)) return undefined;
  const again = { small: timeOf(regex, smaller, repeats + 3), large: timeOf(regex, larger, repeats + 2) };
  return again.large > noiseMs && again.large / Math.max(again.small, NOISE_MS / 10) > MAX_RATIO ? again : undefined;
}

/**
 * The 1 MB step only runs for patterns taking at least SKIP_LARGE_BELOW_MS at 100 KB, so a
 * quadratic one takes at least 100 × that there. Below this floor a 1 MB time is a million
 * match objects being collected on a loaded machine, not backtracking.
 */
const LARGE_NOISE_MS = 150;

test('every regular expression in src/ grows linearly on its worst-case input', () => {
  const literals = regexLiterals();
  assert.ok(literals.length > 40, `found only ${literals.length} regex literals; is the collector broken?`);
  const indicators = indicatorsFor(undefined);
  const patterns = [...literals, { where: 'indicators.stratumUrl', regex: indicators.stratumUrl }];
  const failures: string[] = [];
  for (const { where, regex: original } of patterns) {
    if (original.flags.includes('y')) continue;
    // No quantifier outside a class and no back-reference: each attempt looks at a bounded number of
    // characters, so the pattern is linear by construction; timing it only measures the machine's GC.
    if (!/[*+?{]|\\[1-9k]/.test(original.source.replace(/\\[^1-9k]|\[(?:\\.|[^\]\\])*\]/g, ''))) continue;
    const regex = new RegExp(original.source, `${original.flags.replace(/[gy]/g, '')}g`);
    for (const unit of UNITS) {
      const at = (bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length));
      // A quadratic pattern takes seconds at 1 MB: stop it at 100 KB.
      const early = superLinear(regex, at(10 * KB), at(100 * KB), 3);
      if (early) {
        failures.push(`${where} on ${JSON.stringify(unit)}: 10 KB ${early.small.toFixed(2)} ms, 100 KB ${early.large.toFixed(2)} ms`);
        continue;
      }
      if (timeOf(regex, at(100 * KB), 1) < SKIP_LARGE_BELOW_MS) continue;
      const late = superLinear(regex, at(100 * KB), at(1024 * KB), 2, LARGE_NOISE_MS);
      if (late) failures.push(`${where} on ${JSON.stringify(unit)}: 100 KB ${late.small.toFixed(2)} ms, 1 MB ${late.large.toFixed(2)} ms`);
    }
  }
  assert.deepEqual(failures, []);
});

/**
 * The routing checks' mask (yaml-syntax-mask.ts, quoteaware17) is a scan, not a pattern, and runs
 * where the patterns above run: on every document a routing check fires on. Fed the same units and
 * YAML shapes that make it blank, follow flow or give up, at 100 KB and 1 MB.
 */
test('the routing checks\' syntax mask grows linearly on its worst-case input', () => {
  const units = [...UNITS, '"[ :" ', 'a: "x"\n', 'a: |\n  x\n', '- - "a,:b"\n', "k: 'it''s'\n", 'a: [\n', '- |\n ', 'k: v\n    x\n', '# [:\n', 'k: "a\\"b" # c\n'];
  const time = (text: string): number => {
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const started = process.hrtime.bigint();
      // Two texts, so that the mask's one-entry cache does not answer the repeats.
      syntaxOnly(`${text}\n`);
      syntaxOnly(text);
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    }
    return best;
  };
  const failures: string[] = [];
  for (const unit of units) {
    const at = (bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length));
    // A quadratic scan takes minutes at 1 MB: stopped at 100 KB (10 KB to 100 KB already shows it).
    const tiny = time(at(10 * KB));
    const small = time(at(100 * KB));
    if (small > NOISE_MS && small / Math.max(tiny, 1) > MAX_RATIO) {
      failures.push(`${JSON.stringify(unit)}: 10 KB ${tiny.toFixed(1)} ms, 100 KB ${small.toFixed(1)} ms`);
      continue;
    }
    const large = time(at(1024 * KB));
    // Under 10 ms at 100 KB is allocation and page faults, not growth.
    if (large > LARGE_NOISE_MS && large / Math.max(small, 10) > MAX_RATIO) failures.push(`${JSON.stringify(unit)}: 100 KB ${small.toFixed(1)} ms, 1 MB ${large.toFixed(1)} ms`);
  }
  assert.deepEqual(failures, []);
});

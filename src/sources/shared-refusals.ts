import yaml from 'js-yaml';

/**
 * js-yaml's syntax errors that the exact reader and kubectl make too, so that a large document
 * js-yaml refuses with one of them is refused without reading it again with the `yaml` parser
 * (issue 17: that second read cost 1-5 s of CPU per MB, and the answer was already known).
 *
 * Left out on purpose, because Kubernetes reads what js-yaml refuses for them: duplicate keys,
 * nesting past js-yaml's depth, unknown tags and merge errors (YAML 1.1 and go-yaml rules), and
 * non-printable characters, null bytes and block scalars without indentation (go-yaml and
 * js-yaml draw those lines differently). Checked ad hoc on 30,000 random edits of corpus documents
 * (2026-12-04): of those js-yaml refused with a reason here, outside the exact reader's route, the
 * exact reader still accepted about 2% (123 of 6,524); of the 7 of those checked with kubectl,
 * kubectl refused all 7 (5 held a lone carriage return, which the `yaml` parser takes for a line
 * break), so there trusting js-yaml brings kfguard closer to kubectl. Documents up to MAX_UNCONFIRMED_BYTES still get the exact reader's word
 * (yaml-documents.ts); test/sources/refused-documents.test.ts checks the cases left out.
 */
const SHARED_SYNTAX_REFUSALS: ReadonlySet<string> = new Set([
  'bad indentation of a mapping entry',
  'bad indentation of a sequence entry',
  'can not read a block mapping entry; a multiline key may not be an implicit key',
  'can not read an implicit mapping pair; a colon is missed',
  'end of the stream or a document separator is expected',
  'expected hexadecimal character',
  'incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line',
  'missed comma between flow collection entries',
  'tab characters must not be used in indentation',
  'unexpected end of the stream within a double quoted scalar',
  'unexpected end of the stream within a single quoted scalar',
  'unexpected end of the stream within a flow collection',
  'unexpected end of the document within a double quoted scalar',
  'unexpected end of the document within a single quoted scalar',
  'unknown escape sequence',
  "expected the node content, but found ','",
]);

/**
 * A `...` line ends a document: go-yaml reads only the first document of a `---` section, so an
 * error after it stops js-yaml but never kubectl.
 */
const DOCUMENT_END = /^\.\.\.(?:[ \t\r]|$)/m;

/** True when js-yaml's refusal of `text` is one kubectl makes too (see SHARED_SYNTAX_REFUSALS). */
export function isSharedRefusal(error: unknown, text: string): boolean {
  return error instanceof yaml.YAMLException && SHARED_SYNTAX_REFUSALS.has(error.reason) && !DOCUMENT_END.test(text) && !atLoneFlowDash(error, text);
}

/**
 * A `-` right before `,`, `]` or `}`: in a flow collection go-yaml reads the string "-" (a plain
 * scalar may start with `-` before a non-blank; go-yaml-flow-plain.ts), js-yaml refuses it ("missed
 * comma between flow collection entries", at the dash). Trusting that refusal refused documents
 * over 64 KB that kubectl applies (`args: [a, -]`; region17). `- ]` (a blank after the dash) is
 * go-yaml's error too and stays trusted.
 */
function atLoneFlowDash(error: yaml.YAMLException, text: string): boolean {
  const at = (error.mark as { position?: unknown } | undefined)?.position;
  if (typeof at !== 'number' || text.charCodeAt(at) !== 45) return false;
  const next = text.charCodeAt(at + 1);
  return next === 44 || next === 93 || next === 125;
}

import { resolveGoPlain } from './go-yaml-scalar.js';
import { ExactDecodeError, plainValue, type ValueSink } from './go-yaml-values.js';

/**
 * A tagged scalar's value as go-yaml v2 decodes it into `interface{}` (what sigs.k8s.io/yaml
 * does), wherever the scalar was read (the `yaml` node tree or the flow reader,
 * go-yaml-flow-read.ts). `kubectl label --local -o json` gives, for example, `!!str 1` → "1",
 * `!!int "7"` → 7, `!!float 1` → 1, `!!binary aGk=` → "hi", `!foo x` → "x", and refuses
 * `!!int a` ("cannot decode !!str `a` as a !!int"). Tags on collections change nothing.
 */
export const TAG_PREFIX = 'tag:yaml.org,2002:';

export function taggedScalarValue(tag: string | undefined, plain: boolean, text: string, sink: ValueSink): unknown {
  if (tag === undefined) return plain ? plainValue(text, sink) : text;
  if (!tag.startsWith(TAG_PREFIX)) return text; // local tags and `!`: go-yaml cannot resolve them, so the text stays
  const short = tag.slice(TAG_PREFIX.length);
  switch (short) {
    case 'str':
      return text;
    case 'binary':
      return decodeBinary(text, sink);
    case 'bool':
    case 'int':
    case 'float':
    case 'null':
    case 'timestamp': {
      const resolved = resolveGoPlain(text);
      const want = short === 'timestamp' ? 'str' : short;
      if (resolved.tag === want) return plainValue(text, sink);
      if (short === 'float' && resolved.tag === 'int') return resolved.value;
      throw new ExactDecodeError(`cannot decode !!${resolved.tag} \`${text.slice(0, 40)}\` as a !!${short}`);
    }
    default:
      return text;
  }
}

/** Go's base64.StdEncoding: `\r` and `\n` are skipped, anything else outside the alphabet fails; bytes reach JSON as UTF-8 with U+FFFD for invalid bytes. */
function decodeBinary(text: string, sink: ValueSink): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new ExactDecodeError('!!binary value contains invalid base64 data');
  }
  const bytes = Buffer.from(compact, 'base64');
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (decoded.includes('\ufffd')) sink.notes.push('a !!binary value is not valid UTF-8; Go replaces each invalid byte with U+FFFD and kfguard may group them differently');
  return decoded;
}

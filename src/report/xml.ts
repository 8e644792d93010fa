import { escapeForTerminalLines } from './terminal-safe.js';

/**
 * XML 1.0 forbids most control characters even when escaped, so they are dropped rather than
 * producing a file that no CI parser will read.
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Controls, bidi overrides and invisible characters shown as `\uXXXX`, as the text report shows them; line breaks and tabs kept. */
function visible(value: string): string {
  return value.split('\r').map(escapeForTerminalLines).join('\r');
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/** For attribute values: newlines and tabs are kept as character references so parsers do not fold them. */
export function xmlAttribute(value: string): string {
  return visible(value).replace(INVALID_XML_CHARS, '').replace(/[&<>"'\n\r\t]/g, (c) => ENTITIES[c] ?? c);
}

/**
 * For element text. A CR is written as `&#13;`: a raw one would be read back as a newline (XML
 * line-end normalisation) and, in a terminal showing the file (`cat report.xml`, a CI log),
 * would return the cursor and let the text after it overwrite the line.
 */
export function xmlText(value: string): string {
  return visible(value).replace(INVALID_XML_CHARS, '').replace(/[&<>\r]/g, (c) => ENTITIES[c] ?? c);
}

export type XmlAttributes = Readonly<Record<string, string | number | undefined>>;

/** `<name a="1">` with attributes in the given order; undefined attributes are left out. */
export function openTag(name: string, attributes: XmlAttributes, selfClosing = false): string {
  const rendered = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`)
    .join('');
  return `<${name}${rendered}${selfClosing ? '/>' : '>'}`;
}

export function element(name: string, attributes: XmlAttributes, text?: string): string {
  if (text === undefined || text === '') return openTag(name, attributes, true);
  return `${openTag(name, attributes)}${xmlText(text)}</${name}>`;
}

import { UsageError } from '../core/errors.js';
import type { Formatter } from './formatter.js';
import { gitlabSastFormatter } from './gitlab-sast.js';
import { htmlFormatter } from './html.js';
import { jsonFormatter } from './json.js';
import { junitFormatter } from './junit.js';
import { markdownFormatter } from './markdown.js';
import { policyReportFormatter } from './policyreport.js';
import { sarifFormatter } from './sarif.js';
import { textFormatter } from './text.js';

export const FORMATTERS = {
  text: textFormatter,
  json: jsonFormatter,
  sarif: sarifFormatter,
  junit: junitFormatter,
  markdown: markdownFormatter,
  policyreport: policyReportFormatter,
  html: htmlFormatter,
  'gitlab-sast': gitlabSastFormatter,
} satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATTERS;

export function formatterFor(name: string): Formatter {
  const formatter = (FORMATTERS as Record<string, Formatter | undefined>)[name];
  if (!formatter) {
    throw new UsageError(`unknown format "${name}"`, `valid formats: ${Object.keys(FORMATTERS).join(', ')}`);
  }
  return formatter;
}

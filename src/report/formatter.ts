import type { RuleMeta } from '../core/rule.js';
import type { Severity } from '../core/severity.js';
import type { Report } from './report.js';

export interface RenderOptions {
  readonly color: boolean;
  /** Only findings at or above this severity are listed (text `--quiet`). */
  readonly quiet: boolean;
  readonly failOn: Severity | 'none';
  readonly rules: readonly RuleMeta[];
  /** Base directory that SARIF uris are made relative to. */
  readonly sarifBase?: string;
  /**
   * URL that file paths relative to `sarifBase` are appended to for links in PR comments, e.g.
   * `https://github.com/OWNER/REPO/blob/SHA/`. Without it, locations are shown as plain text.
   */
  readonly sourceLinkBase?: string;
  readonly cwd: string;
}

/** A pure function from report to text; writing it anywhere is the CLI's job. */
export interface Formatter {
  readonly name: string;
  readonly fileExtension: string;
  render(report: Report, options: RenderOptions): string;
}

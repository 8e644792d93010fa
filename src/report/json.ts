import type { Formatter } from './formatter.js';
import { escapeJsonText } from './terminal-safe.js';

export const jsonFormatter: Formatter = {
  name: 'json',
  fileExtension: '.json',
  render: (report) => `${escapeJsonText(JSON.stringify(report, null, 2))}\n`,
};

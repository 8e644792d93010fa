import type { Formatter } from './formatter.js';

export const jsonFormatter: Formatter = {
  name: 'json',
  fileExtension: '.json',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

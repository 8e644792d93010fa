// The baseline of `npm run bench:audit`: a bare readline + JSON.parse loop over the same log.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

let events = 0;
const lines = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
for await (const line of lines) {
  if (line === '') continue;
  JSON.parse(line);
  events++;
}
process.stderr.write(`BASELINE_EVENTS=${events}\n`);

// The baseline the scan is measured against: a Node process that only reads the file and parses it with js-yaml.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

let documents = 0;
yaml.loadAll(readFileSync(process.argv[2], 'utf8'), () => documents++);
process.stdout.write(`${documents}\n`);

// `npm run bench:cluster` baseline: fetch and JSON-parse the same lists `kfguard scan --cluster`
// reads (same resources, limit 500, continue tokens, 4 at a time), with no rules and no output.
// Plain node:https with the kubeconfig's token and CA: the floor any scanner pays.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const cluster = config.clusters[0].cluster;
const ca = Buffer.from(cluster['certificate-authority-data'], 'base64');
const token = config.users[0].user.token;
const paths = process.argv.slice(3);

function get(path) {
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.server}${path}`, { ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let items = 0;
const queue = [...paths];
await Promise.all(Array.from({ length: 4 }, async () => {
  while (queue.length > 0) {
    const path = queue.shift();
    let token = '';
    do {
      const page = await get(`${path}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      items += page.items?.length ?? 0;
      token = page.metadata?.continue ?? '';
    } while (token);
  }
}));
process.stderr.write(`BASELINE_ITEMS=${items}\n`);

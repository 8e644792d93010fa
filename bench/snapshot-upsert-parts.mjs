// What each of the snapshot's Maps (and ListHolders') costs per object of a cluster listing: a
// plain-JS copy of Snapshot.upsert's indexing for 62,500 Pods, with all the Maps, and with each left
// out in turn. CPU medians of 7 rounds (interleaved), so it can be read on a loaded machine.
//   node bench/snapshot-upsert-parts.mjs
// Not the snapshot itself (src/core/snapshot.ts): a guide to which index to make cheaper first.
const N = 62_500;
const objs = Array.from({ length: N }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}-abcdef`, namespace: `team-${i % 500}`, resourceVersion: String(i) } }));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const id = (o) => `\u0000${o.kind}\u0000${o.metadata.namespace}\u0000${o.metadata.name}`;
function run(parts) {
  const entries = new Map(), byKind = new Map(), byNs = new Map(), byName = new Map(), byObject = new Map(), holders = new Map();
  const add = (m, k, e, v) => { const x = m.get(k); if (x) x.set(e, v); else m.set(k, new Map([[e, v]])); };
  for (const o of objs) {
    const scanned = { object: o, origin: { kind: 'cluster', context: 'c', resourceVersion: o.metadata.resourceVersion } };
    if (parts.has('holders')) holders.set(id(o), { list: 0, object: o });
    const identity = id(o);
    if (parts.has('entries')) entries.set(identity, ['', scanned]);
    const entry = parts.has('sameKey') ? identity : `${identity}\u0000`;
    if (parts.has('byKind')) add(byKind, o.kind, entry, scanned);
    if (parts.has('byNs')) add(byNs, o.metadata.namespace, entry, scanned);
    if (parts.has('byName')) byName.set(`${o.kind}\u0000${o.metadata.namespace}\u0000${o.metadata.name}`, [entry, scanned]);
    if (parts.has('byObject')) byObject.set(o, scanned);
  }
}
const all = ['holders', 'entries', 'byKind', 'byNs', 'byName', 'byObject'];
const variants = { none: [], all, 'all, entry key = identity': [...all, 'sameKey'] };
for (const p of all) variants[`all but ${p}`] = all.filter((x) => x !== p);
const res = {};
for (let r = 0; r < 7; r++) for (const [k, v] of Object.entries(variants)) { const t = cpu(); run(new Set(v)); (res[k] ??= []).push(cpu() - t); }
for (const [k, v] of Object.entries(res)) console.log(v.sort((a, b) => a - b)[3].toFixed(0).padStart(5), 'ms', k);

// The main thread's time line from a .cpuprofile (bench/profile.mjs prints its path): per bucket
// (PROFILE_BUCKET_MS, default 250), the share of samples idle, in garbage collection, judging
// ahead (a stack through JudgeAhead's slices), in runRules after the listing, and the rest.
//   node bench/profile-timeline.mjs PROFILE.cpuprofile
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bucketMs = Number(process.env.PROFILE_BUCKET_MS ?? 250);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
const classOf = new Map();
const classify = (id) => {
  let known = classOf.get(id);
  if (known) return known;
  const self = byId.get(id).callFrame.functionName;
  known = self === '(idle)' ? 'idle' : self === '(garbage collector)' ? 'gc' : 'other';
  if (known === 'other') {
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const name = byId.get(at).callFrame.functionName;
      if (name === 'judgeSlice') { known = 'ahead'; break; }
      if (name === 'runRules') { known = 'rules'; break; }
    }
  }
  classOf.set(id, known);
  return known;
};
const kinds = ['idle', 'gc', 'ahead', 'rules', 'other'];
const buckets = [];
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  const b = Math.floor(t / 1000 / bucketMs);
  buckets[b] ??= Object.fromEntries(kinds.map((k) => [k, 0]));
  buckets[b][classify(profile.samples[i])] += profile.timeDeltas[i + 1] ?? 0;
}
const totals = Object.fromEntries(kinds.map((k) => [k, 0]));
console.log(`  from    ${kinds.map((k) => k.padStart(6)).join(' ')}   (ms of main-thread time per ${bucketMs} ms bucket)`);
buckets.forEach((b, i) => {
  if (!b) return;
  for (const k of kinds) totals[k] += b[k] / 1000;
  console.log(`${((i * bucketMs) / 1000).toFixed(2).padStart(6)} s ${kinds.map((k) => (b[k] / 1000).toFixed(0).padStart(6)).join(' ')}`);
});
console.log(` total   ${kinds.map((k) => totals[k].toFixed(0).padStart(6)).join(' ')}`);

// The fake API server's watch streams on the wire, read with plain HTTPS as any client would: the
// event lines, resuming from a resourceVersion, 410 after compaction, bookmarks, timeoutSeconds.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const POD = (name: string, namespace = 'team-a'): ReturnType<typeof objectsOfYaml>[number] =>
  objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}}
spec: {containers: [{name: c, image: nginx}]}`)[0]!;

interface Line {
  type: string;
  object: { kind?: string; apiVersion?: string; code?: number; reason?: string; metadata?: { name?: string; resourceVersion?: string } };
}

/** Opens a watch and collects its lines until `stop` says so or the server ends the stream. */
function watch(cluster: ServedCluster, path: string, stop: (lines: Line[]) => boolean = () => false): Promise<{ lines: Line[]; endedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const lines: Line[] = [];
    const req = request(`${cluster.server.url}${path}`, { ca: cluster.server.caPem, headers: { authorization: `Bearer ${cluster.server.token}` } }, (res) => {
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['transfer-encoding'], 'chunked');
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        const parts = pending.split('\n');
        pending = parts.pop()!;
        for (const part of parts) if (part) lines.push(JSON.parse(part) as Line);
        if (stop(lines)) {
          req.destroy();
          resolve({ lines, endedByServer: false });
        }
      });
      let ended = false;
      res.on('end', () => {
        ended = true;
        resolve({ lines, endedByServer: true });
      });
      // A cut connection closes without an end.
      res.on('close', () => (ended ? undefined : reject(new Error('connection cut'))));
    });
    req.on('error', (error) => (lines.length > 0 ? undefined : reject(error)));
    req.end();
  });
}

describe('fake API server watch', () => {
  let cluster: ServedCluster;
  before(async () => {
    cluster = await serve({ objects: [POD('existing')], bookmarkIntervalMs: 30 });
  });
  after(() => cluster.close());

  test('without a resourceVersion: ADDED for each stored object, then live changes with apiVersion and kind', async () => {
    const seen = watch(cluster, '/api/v1/namespaces/team-a/pods?watch=1', (lines) => lines.length >= 3);
    await waitFor(() => cluster.server.openWatches === 1);
    const created = cluster.server.create(POD('new'));
    cluster.server.remove(created);
    cluster.server.create(POD('elsewhere', 'team-b'));
    const { lines } = await seen;
    assert.deepEqual(lines.map((l) => [l.type, l.object.metadata?.name]), [['ADDED', 'existing'], ['ADDED', 'new'], ['DELETED', 'new']]);
    assert.ok(lines.every((l) => l.object.kind === 'Pod' && l.object.apiVersion === 'v1'));
    assert.ok(Number(lines[2]!.object.metadata?.resourceVersion) > Number(lines[1]!.object.metadata?.resourceVersion));
  });

  test('from a resourceVersion: only the changes after it, updates as MODIFIED', async () => {
    const from = cluster.server.resourceVersion;
    const updated = cluster.server.create(POD('later'));
    cluster.server.update({ ...updated, metadata: { ...updated.metadata, labels: { changed: 'yes' } } });
    const { lines } = await watch(cluster, `/api/v1/pods?watch=1&resourceVersion=${from}`, (l) => l.length >= 2);
    assert.deepEqual(lines.map((l) => [l.type, l.object.metadata?.name]), [['ADDED', 'later'], ['MODIFIED', 'later']]);
  });

  test('a resourceVersion from before compaction gets one ERROR event with a 410 Status, then the end', async () => {
    const old = cluster.server.resourceVersion;
    cluster.server.create(POD('after-old'));
    cluster.server.compact();
    const { lines, endedByServer } = await watch(cluster, `/api/v1/pods?watch=1&resourceVersion=${old}`);
    assert.equal(endedByServer, true);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.type, 'ERROR');
    assert.equal(lines[0]!.object.code, 410);
    assert.equal(lines[0]!.object.reason, 'Expired');
  });

  test('bookmarks only when asked for, carrying the current resourceVersion', async () => {
    const rv = cluster.server.resourceVersion;
    const { lines } = await watch(cluster, `/api/v1/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`, (l) => l.length >= 1);
    assert.equal(lines[0]!.type, 'BOOKMARK');
    assert.equal(lines[0]!.object.metadata?.resourceVersion, String(rv));
    const plain = await watch(cluster, `/api/v1/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=0.2`);
    assert.equal(plain.endedByServer, true);
    assert.deepEqual(plain.lines, []);
  });

  test('timeoutSeconds ends the stream; dropWatches cuts it without an end', async () => {
    const rv = cluster.server.resourceVersion;
    const timed = await watch(cluster, `/api/v1/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=0.1`);
    assert.equal(timed.endedByServer, true);
    const cut = watch(cluster, `/api/v1/pods?watch=1&resourceVersion=${rv}`).then(() => 'ended', () => 'error');
    await waitFor(() => cluster.server.openWatches === 1);
    cluster.server.dropWatches();
    assert.equal(cluster.server.openWatches, 0);
    assert.ok(['ended', 'error'].includes(await cut));
  });

  test('a forbidden resource answers a watch with 403', async () => {
    cluster.server.setForbidden(['pods']);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${cluster.server.url}/api/v1/pods?watch=1`, { ca: cluster.server.caPem, headers: { authorization: `Bearer ${cluster.server.token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 403);
    } finally {
      cluster.server.setForbidden([]);
    }
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { K8sObject } from '../../src/core/types.js';
import { decodeDataUrl, hostCommandsOf, hostFilesOf, unitCommands } from '../../src/k8s/machine-config.js';
import { substitutedTemplate, templateParameterValues } from '../../src/k8s/openshift-template.js';
import { containersOf } from '../../src/k8s/workloads.js';

function machineConfig(files: unknown[], units: unknown[] = []): K8sObject {
  return { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: { name: 'mc' }, spec: { config: { ignition: { version: '3.2.0' }, storage: { files }, systemd: { units } } } };
}

test('data URLs: base64, percent-encoded, and other schemes left unread with a reason', () => {
  assert.equal((decodeDataUrl('data:text/plain;charset=utf-8;base64,aGVsbG8=') as { bytes: Buffer }).bytes.toString(), 'hello');
  assert.equal((decodeDataUrl('data:,a%20b%0Ac%zz') as { bytes: Buffer }).bytes.toString(), 'a b\nc%zz');
  assert.match((decodeDataUrl('https://example.com/x') as { unread: string }).unread, /https URL/);
  assert.match((decodeDataUrl('data:text/plain') as { unread: string }).unread, /without a comma/);
});

test('gzip-compressed contents are inflated; an oversized one is unread, not dropped', () => {
  const gz = gzipSync(Buffer.from('#!/bin/sh\necho hi\n')).toString('base64');
  const files = hostFilesOf(machineConfig([{ path: '/usr/local/bin/a.sh', contents: { compression: 'gzip', source: `data:;base64,${gz}` } }]));
  assert.equal(files[0]?.text, '#!/bin/sh\necho hi\n');
  const bomb = gzipSync(Buffer.alloc(3 * 1024 * 1024)).toString('base64');
  const big = hostFilesOf(machineConfig([{ path: '/etc/x', contents: { compression: 'gzip', source: `data:;base64,${bomb}` } }]));
  assert.equal(big[0]?.text, undefined);
  assert.match(big[0]?.unread ?? '', /do not inflate/);
});

test('systemd Exec lines become argv: prefixes dropped, quotes and continuations honoured', () => {
  const commands = unitCommands('[Service]\nExecStartPre=-/bin/true\nExecStart=@/usr/bin/run "a b" \\\n  --x=\'c d\'\nEnvironment=ExecStart=no\n', 'unit "u"', 'p');
  assert.deepEqual(commands.map((c) => c.argv), [['/bin/true'], ['/usr/bin/run', 'a b', '--x=c d']]);
});

test('unit files written to /etc/systemd/system count as units', () => {
  const unit = encodeURIComponent('[Service]\nExecStart=/opt/x --y\n');
  const commands = hostCommandsOf(machineConfig([{ path: '/etc/systemd/system/x.service', contents: { source: `data:,${unit}` } }]));
  assert.deepEqual(commands[0]?.argv, ['/opt/x', '--y']);
});

test('a static Pod in /etc/kubernetes/manifests is reduced to its containers; elsewhere it is only a file', () => {
  const pod = Buffer.from('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: busybox, command: [sleep, "1"]}\n').toString('base64');
  const inManifests = containersOf(machineConfig([{ path: '/etc/kubernetes/manifests/p.yaml', contents: { source: `data:;base64,${pod}` } }]));
  assert.deepEqual(inManifests.map((c) => [c.name, c.path]), [['c', 'spec.config.storage.files[0].contents.source.spec.containers[0]']]);
  assert.equal(containersOf(machineConfig([{ path: '/root/p.yaml', contents: { source: `data:;base64,${pod}` } }])).length, 0);
});

test('OpenShift Template: value wins over generate, literal generators are known, others stay unresolved', () => {
  const template: K8sObject = {
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: { name: 't' },
    parameters: [
      { name: 'A', value: 'va', generate: 'expression', from: 'ignored' },
      { name: 'B', generate: 'expression', from: 'lit\\.eral' },
      { name: 'C', generate: 'expression', from: '[a-z]{8}' },
    ],
    objects: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'img', args: ['${A}', '${{B}}', '${C}', '${UNDEFINED}'] }] } }],
  };
  assert.deepEqual([...templateParameterValues(template)], [['A', 'va'], ['B', 'lit.eral']]);
  const args = containersOf(template)[0]?.container.args;
  assert.deepEqual(args, ['va', 'lit.eral', '${C}', '${UNDEFINED}']);
  // The object itself is never changed.
  assert.equal(substitutedTemplate(template).objects === template.objects, false);
  assert.deepEqual((template.objects as { spec: { containers: { args: string[] }[] } }[])[0]?.spec.containers[0]?.args[0], '${A}');
});

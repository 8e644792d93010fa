// Argo expression tags (`{{= … }}`) are evaluated before the pod is made: a pool host split into
// string literals joined with `+` ran as the host while no indicator appeared in the text. Found
// by attacking the scanner with the expression syntax; the end-to-end case failed before the fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foldArgoExpressions } from '../../src/threat/argo-expressions.js';
import { runCli } from '../helpers/cli.js';

const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

describe('Argo expression tags', () => {
  test('literal-only concatenations fold; anything depending on the run stays as written', () => {
    assert.equal(foldArgoExpressions(`-o {{='pool.' + "supportxmr" + \`.com:443\`}} -u x`), '-o pool.supportxmr.com:443 -u x');
    assert.equal(foldArgoExpressions(`{{= 'a\\'b' }}{{='c'}}`), "a'bc");
    assert.equal(foldArgoExpressions('{{= inputs.parameters.x + "y" }}'), undefined);
    assert.equal(foldArgoExpressions('{{inputs.parameters.x}} plain'), undefined);
    assert.equal(foldArgoExpressions('x'.repeat(10_000)), undefined);
  });

  test('a Workflow whose pool host and wallet are split in expression tags is a miner; a harmless tag is not', async () => {
    const workflow = (name: string, args: string) =>
      JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: 'argo' }, spec: { entrypoint: 'm', templates: [{ name: 'm', container: { image: 'alpine:3.20', command: ['sh', '-c'], args: [args] } }] } });
    const miner = await runCli(['scan', '-', '--format', 'json', '--fail-on', 'none'], { stdin: workflow('split', `/tmp/d -o {{='pool.' + 'supportxmr' + '.com:443'}} -u ${WALLET.slice(0, 40)}{{='${WALLET.slice(40)}'}}`) });
    const found = (JSON.parse(miner.stdout) as { findings: { ruleId: string; severity: string; evidence: string[] }[] }).findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(found?.severity, 'critical', miner.stdout.slice(0, 2000));
    assert.match(found?.evidence.join('\n') ?? '', /with its Argo expressions evaluated/);
    const harmless = await runCli(['scan', '-', '--format', 'json', '--fail-on', 'none'], { stdin: workflow('ok', `echo {{='hello ' + 'world'}}`) });
    assert.equal((JSON.parse(harmless.stdout) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId === 'crypto-miner-workload').length, 0);
  });
});

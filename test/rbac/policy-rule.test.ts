import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readPolicyRules, ruleAllows } from '../../src/rbac/policy-rule.js';

const [rule] = readPolicyRules([{ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }]);
const ruleOf = (raw: Record<string, unknown>) => readPolicyRules([raw])[0]!;

describe('RBAC rule matching follows the API server', () => {
  test('`pods/*` is not a wildcard for subresources', () => {
    assert.equal(ruleAllows(rule!, { verb: 'create', apiGroup: '', resource: 'pods/exec' }), false);
  });

  test('`*/exec` covers the exec subresource of any resource, not the resource itself', () => {
    const starExec = ruleOf({ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] });
    assert.equal(ruleAllows(starExec, { verb: 'create', apiGroup: '', resource: 'pods/exec' }), true);
    assert.equal(ruleAllows(starExec, { verb: 'create', apiGroup: '', resource: 'pods' }), false);
  });

  test('`*` resources cover subresources, `*` verbs cover escalate', () => {
    const all = ruleOf({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['*'], verbs: ['*'] });
    assert.equal(ruleAllows(all, { verb: 'escalate', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }), true);
    assert.equal(ruleAllows(all, { verb: 'create', apiGroup: '', resource: 'pods' }), false, 'wrong API group');
  });

  test('rules limited by resourceNames never grant blanket create', () => {
    const named = ruleOf({ apiGroups: [''], resources: ['pods'], resourceNames: ['one'], verbs: ['create'] });
    assert.equal(ruleAllows(named, { verb: 'create', apiGroup: '', resource: 'pods' }), false);
  });

  test('apps deployments are not core deployments', () => {
    const apps = ruleOf({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] });
    assert.equal(ruleAllows(apps, { verb: 'create', apiGroup: 'apps', resource: 'deployments' }), true);
    assert.equal(ruleAllows(apps, { verb: 'create', apiGroup: 'extensions', resource: 'deployments' }), false);
  });
});

import { ALL_RULES } from '../../src/rules/index.js';
import { testRule } from '../../src/testing/rule-tester.js';

for (const rule of ALL_RULES.filter((r) => r.meta.category === 'workload-security')) testRule(rule);

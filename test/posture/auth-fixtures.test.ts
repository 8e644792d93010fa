import { ALL_RULES } from '../../src/rules/index.js';
import { testRule } from '../../src/testing/rule-tester.js';

// Runs the authentication rules' fixtures on their own, so this area can be checked while other
// areas' rules are still being written.
for (const rule of ALL_RULES.filter((r) => r.meta.category === 'authentication')) testRule(rule);

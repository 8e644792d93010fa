import manifestParseAmbiguity from '../../src/rules/threat/manifest-parse-ambiguity.rule.js';
import { testRule } from '../../src/testing/rule-tester.js';

testRule(manifestParseAmbiguity);

import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { testRule } from '../../src/testing/rule-tester.js';

testRule(cryptoMinerWorkload);

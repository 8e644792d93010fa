import type { Rule } from '../core/rule.js';
// --- exposure imports ---
// --- threat imports ---
// --- authentication imports ---
// --- rbac imports ---
// --- guardrails imports ---
// --- supply-chain imports ---
// --- workload-security imports ---

/** Every rule kfguard ships, in catalogue order. Adding a rule means adding it here. */
export const ALL_RULES: readonly Rule[] = [
  // --- exposure rules ---
  // --- threat rules ---
  // --- authentication rules ---
  // --- rbac rules ---
  // --- guardrails rules ---
  // --- supply-chain rules ---
  // --- workload-security rules ---
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}

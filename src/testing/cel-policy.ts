import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from '@bufbuild/cel';
import type { GeneratedPolicy } from '../vap/policies.js';

/** Plain JSON as CEL input: objects become maps and whole numbers ints, as the API server presents an object. */
export function toCelInput(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCelInput);
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, toCelInput(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value as CelInput;
}

export interface PolicyResult {
  /** Messages of the validations that evaluated to false. */
  readonly failed: readonly string[];
  /** Evaluation errors (the API server applies the policy's failurePolicy). */
  readonly errors: readonly string[];
}

type Planned = (ctx: Record<string, CelInput>) => CelResult;

/**
 * A ValidatingAdmissionPolicy as the API server runs it, on a JS CEL implementation: variables in
 * order (each may read the earlier ones), then every validation over `object` and `variables`.
 * Parsing and planning happen once; a syntax error throws here, naming the policy and the part.
 */
export class CelPolicyEvaluator {
  private readonly variables: { name: string; run: Planned }[];
  private readonly validations: { message: string; run: Planned }[];

  constructor(readonly policy: GeneratedPolicy) {
    const env = celEnv();
    const compile = (expression: string, what: string): Planned => {
      try {
        return plan(env, parse(expression)) as unknown as Planned;
      } catch (error) {
        throw new Error(`${policy.name} ${what}: ${(error as Error).message}`, { cause: error });
      }
    };
    this.variables = policy.variables.map((v) => ({ name: v.name, run: compile(v.expression, `variable ${v.name}`) }));
    this.validations = policy.validations.map((v, i) => ({ message: v.message, run: compile(v.expression, `validation ${i}`) }));
  }

  evaluate(object: unknown): PolicyResult {
    const bound = toCelInput(object);
    const variables = new Map<string, CelInput>();
    const errors: string[] = [];
    for (const variable of this.variables) {
      const value = variable.run({ object: bound, variables });
      if (isCelError(value)) errors.push(`variable ${variable.name}: ${value.message}`);
      else variables.set(variable.name, value as CelInput);
    }
    const failed: string[] = [];
    for (const validation of this.validations) {
      const value = validation.run({ object: bound, variables });
      if (isCelError(value)) errors.push(`${validation.message}: ${value.message}`);
      else if (value !== true) failed.push(validation.message);
    }
    return { failed, errors };
  }
}

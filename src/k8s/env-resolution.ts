import { asArray, asRecord, asString, type JsonRecord } from '../core/object.js';

/** The literal value of an env var on a container, when it is given inline. */
export function envValue(container: JsonRecord, name: string): { value: string; index: number } | undefined {
  const env = asArray(container.env);
  for (let i = 0; i < env.length; i++) {
    const entry = asRecord(env[i]);
    if (entry && entry.name === name) {
      const value = asString(entry.value);
      return value === undefined ? undefined : { value, index: i };
    }
  }
  return undefined;
}

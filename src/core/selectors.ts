import { asArray, asRecord, asString, asStringArray } from './object.js';

type Labels = Readonly<Record<string, string>>;

/** A Service selector: every key must match. An empty selector selects nothing for Services. */
export function matchesMapSelector(selector: Labels | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([key, value]) => labels[key] === value);
}

/** A metav1.LabelSelector (`matchLabels` + `matchExpressions`). An empty selector selects everything. */
export function matchesLabelSelector(selector: unknown, labels: Labels): boolean {
  const record = asRecord(selector);
  if (!record) return true;
  const matchLabels = asRecord(record.matchLabels) ?? {};
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const raw of asArray(record.matchExpressions)) {
    const expression = asRecord(raw);
    if (!expression) continue;
    const key = asString(expression.key) ?? '';
    const values = asStringArray(expression.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = labels[key];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

import { planOf, type Fixer, type ObjectEdit } from '../types.js';
import { listEdits } from './args-rewrite.js';
import { segmentsOf, stringItems, targetContainers } from './targets.js';

/** Flags that let visitors past the Kubernetes Dashboard's login, or weaken it. */
const BYPASS_FLAG = /^--?(enable-skip-login|enable-insecure-login|disable-settings-authorizer)(=(true|1|t|yes))?$/i;

/**
 * The Dashboard's skip button signs visitors in as the dashboard's own service account; the
 * other bypass flags accept logins over plain HTTP or open the global settings. All of them go.
 */
export const dashboardSkipLoginFixer: Fixer = {
  summary: 'remove --enable-skip-login and the other login bypass flags from the Kubernetes Dashboard',
  plan({ object, finding }) {
    const edits: ObjectEdit[] = [];
    for (const site of targetContainers(object, finding)) {
      for (const list of ['args', 'command'] as const) {
        const remove = new Set<number>();
        stringItems(site.container[list]).forEach((arg, i) => {
          if (BYPASS_FLAG.test(arg.trim())) remove.add(i);
        });
        if (remove.size > 0) edits.push(...listEdits([...segmentsOf(site.path), list], { replace: new Map(), remove, append: [] }));
      }
    }
    return edits.length > 0 ? planOf({ edits }) : undefined;
  },
};

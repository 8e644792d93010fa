// Finds import cycles as strongly connected components (Tarjan), then names one shortest chain
// through each so a failure reads `a.ts → b.ts → a.ts` instead of a bare set of files.
import type { ImportEdge } from './import-graph.js';

function adjacency(edges: readonly ImportEdge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const list = next.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    next.set(from, list);
  }
  for (const list of next.values()) list.sort();
  return next;
}

function stronglyConnected(nodes: readonly string[], next: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  // Recursive Tarjan is fine here: the depth is bounded by the number of files in src/.
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component.sort());
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  return components;
}

// Breadth-first inside the component, so the chain shown is a shortest one back to the start.
function shortestCycle(start: string, members: ReadonlySet<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    const node = queue[i]!;
    for (const target of next.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const chain = [node];
        while (chain[0] !== start) chain.unshift(parent.get(chain[0]!)!);
        return [...chain, start];
      }
      if (!parent.has(target)) {
        parent.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}

export interface Cycle {
  /** Every file in the strongly connected component. */
  readonly files: readonly string[];
  /** One shortest chain through the component's first file, ending where it started. */
  readonly chain: readonly string[];
}

export function findCycles(nodes: readonly string[], edges: readonly ImportEdge[]): Cycle[] {
  const next = adjacency(edges);
  const allNodes = [...new Set([...nodes, ...edges.flatMap((edge) => [edge.from, edge.to])])].sort();
  return stronglyConnected(allNodes, next)
    .filter((component) => component.length > 1 || (next.get(component[0]!) ?? []).includes(component[0]!))
    .map((files) => ({ files, chain: shortestCycle(files[0]!, new Set(files), next) }))
    .sort((a, b) => a.files[0]!.localeCompare(b.files[0]!));
}

export function describeCycle(cycle: Cycle): string {
  const chain = cycle.chain.map((file) => file.replace(/^src\//, '')).join(' → ');
  const extra = cycle.files.length > cycle.chain.length - 1 ? ` (component of ${cycle.files.length} files)` : '';
  return `${chain}${extra}`;
}

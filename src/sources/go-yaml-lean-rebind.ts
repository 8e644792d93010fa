import { FlowSlot, LeanGiveUp, type LoaderState, storeAnchor } from './go-yaml-lean-anchors.js';

/**
 * An anchor name defined more than once, bound on the lean path as go-yaml binds it (anchors17, issue 17).
 *
 * go-yaml v2's parser (decode.go `parser.anchor`, called as each node starts: `scalar`, `mapping`,
 * `sequence`) binds a name to the node that starts last before an alias, and so do the full reader
 * (go-yaml-anchor-targets.ts) and the flow reader. js-yaml 4 also binds a collection's anchor when
 * the collection starts (readBlockMapping, readBlockSequence, readFlowCollection), but binds it
 * again when the collection closes (composeNode's last storeAnchor). The two differ only there: a
 * collection anchored `&a` holding another `&a` (at any depth, or inside a flow collection behind a
 * placeholder), and an alias `*a` after the collection, before the next `&a`:
 *
 *     x: &a            go-yaml, kubectl: w is 1 (the inner `&a`, the last to start)
 *       y: &a 1        js-yaml: w is the mapping x (bound again at its close)
 *     w: *a
 *
 * Redefinitions one after another (`x: &d 1`, `y: &d 2`) read alike. The whole text used to go to
 * the full reader for any name defined twice (1.05–1.53 s of CPU per MB with a block scalar, tab or
 * anchor in every entry). Instead, at each collection's close (js-yaml's listener 'close', called
 * right after that second binding and before anything else is read), if a node with the same anchor
 * closed inside it, the name is bound back to what it was bound to before: the innermost, last
 * started definition, as go-yaml has it. A flow collection read by the flow reader counts as a
 * collection, and the anchors inside it as definitions inside (go-yaml-lean-anchors.ts bound them
 * when js-yaml constructed its placeholder).
 *
 * js-yaml's rolled-back attempts (a node's properties first tried as a block mapping's key) close
 * nodes too; each such node is read again and closes again before anything after it, so the last
 * close of a name inside a collection is always a real one. A write made inside an open attempt
 * is recorded in its undo record, as js-yaml's own are. Constant work per node.
 */
let rebinds = 0;
/** How many times a name was bound back at a collection's close: tests check that their shapes reach this. */
export function anchorRebindCount(): number {
  return rebinds;
}

export class GoAnchorBinding {
  /** For each nesting depth, how many definitions had closed when the node open at that depth opened. */
  private readonly openedAt: number[] = [];
  private closed = 0;
  /** Each name's last closed definition: its count among the closes, and what the name was bound to right after. */
  private readonly last = new Map<string, { at: number; value: unknown }>();

  readonly listener = (event: string, state: ListenedState): void => {
    if (event === 'open') {
      this.openedAt[state.depth] = this.closed;
      return;
    }
    const result = state.result;
    // A placeholder js-yaml constructed (a plain scalar): its region's anchors are definitions inside
    // it. An alias to one (kind null) defines nothing.
    const region = state.kind === 'scalar' && result instanceof FlowSlot ? result : undefined;
    if (region) for (const name of region.region.reading.anchors.keys()) this.record(name, region.anchor(name));
    const name = state.anchor;
    if (name === null || name === undefined) return;
    const inner = this.last.get(name);
    const opened = this.openedAt[state.depth] ?? 0;
    if (inner !== undefined && inner.at > opened && (region !== undefined || state.kind === 'mapping' || state.kind === 'sequence')) {
      const map = state.anchorMap;
      if (typeof map !== 'object' || map === null) throw new LeanGiveUp('js-yaml keeps no anchor map');
      storeAnchor(state, map, name, inner.value);
      rebinds++;
      this.record(name, inner.value);
      return;
    }
    this.record(name, state.anchorMap?.[name]);
  };

  private record(name: string, value: unknown): void {
    this.last.set(name, { at: ++this.closed, value });
  }
}

/** The loader state js-yaml's listener sees at a node's open and close (not public API, as LoaderState). */
export interface ListenedState extends LoaderState {
  /** The node's nesting depth, the same at its open and its close. */
  readonly depth: number;
  readonly kind: string | null;
  readonly result: unknown;
}

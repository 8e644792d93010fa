import type { Alias, Document, Node as YamlNode, Scalar } from 'yaml';
import { isAlias, isMap, isNode, isScalar, isSeq, visit } from 'yaml';
import type { FlowRegion } from './go-yaml-flow-regions.js';

/**
 * What each alias of a document names, in one walk: the last anchor of that name before it, as
 * go-yaml (and `Alias#resolve`) finds it. `resolve` walks the whole document on every call, so a
 * flow list of `{a: &x 1, b: *x}` was quadratic (64 KB took 17 s). Collections read by the flow
 * reader (go-yaml-flow-read.ts) stand in the tree as placeholders: the anchors they define are
 * targets for aliases after them, and their aliases to anchors outside are resolved here too.
 */
export type AnchorTarget = YamlNode | RegionAnchor;

/** An anchor defined inside a collection the flow reader read. */
export interface RegionAnchor {
  readonly region: FlowRegion;
  readonly name: string;
}

export interface AliasTargets {
  readonly aliases: ReadonlyMap<Alias, AnchorTarget>;
  /** For each collection whose aliases name anchors outside it: those names' targets at its start (undefined: no such anchor). */
  readonly regions: ReadonlyMap<FlowRegion, ReadonlyMap<string, AnchorTarget | undefined>>;
  /** For each run of block entries read lean (go-yaml-block-runs.ts) with aliases to anchors before it: those names' targets. */
  readonly runs: ReadonlyMap<object, ReadonlyMap<string, AnchorTarget | undefined>>;
  /** The first alias in the document with no anchor before it: go-yaml's parser stops there, before decoding anything. */
  readonly firstUnknown: string | undefined;
}

export function isRegionAnchor(target: AnchorTarget): target is RegionAnchor {
  return !isNode(target);
}

export function findAliasTargets(doc: Document, regionOf: (node: Scalar) => FlowRegion | undefined, runOf?: (node: Scalar) => { run: object; names: readonly string[] } | undefined): AliasTargets {
  const aliases = new Map<Alias, AnchorTarget>();
  const runs = new Map<object, Map<string, AnchorTarget | undefined>>();
  const regions = new Map<FlowRegion, Map<string, AnchorTarget | undefined>>();
  const latest = new Map<string, AnchorTarget>();
  let firstUnknown: string | undefined;
  visit(doc, {
    Node: (_key, found) => {
      if (isAlias(found)) {
        const target = latest.get(found.source);
        if (target) aliases.set(found, target);
        else firstUnknown ??= found.source;
        return;
      }
      if (!isScalar(found) && !isMap(found) && !isSeq(found)) return;
      // The placeholder's own anchor first: go-yaml registers an anchor when its node starts, so `&a [*a]` names itself.
      if (found.anchor) latest.set(found.anchor, found);
      // A run's aliases (in its text's order) name the last anchors before it: it defines none of those names.
      const run = isScalar(found) && runOf ? runOf(found) : undefined;
      if (run) {
        runs.set(run.run, new Map(run.names.map((name) => [name, latest.get(name)])));
        for (const name of run.names) if (!latest.has(name)) firstUnknown ??= name;
        return;
      }
      const region = isScalar(found) ? regionOf(found) : undefined;
      if (!region) return;
      if (region.reading.external.size > 0) {
        regions.set(region, new Map([...region.reading.external].map((name) => [name, latest.get(name)])));
        for (const name of region.reading.external) if (!latest.has(name)) firstUnknown ??= name;
      }
      for (const name of region.reading.anchors.keys()) latest.set(name, { region, name });
    },
  });
  return { aliases, regions, runs, firstUnknown };
}

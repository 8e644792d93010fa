import type { AttackPathHop } from '../../core/types.js';
import { escapeHtml } from './escape.js';

const BOX_HEIGHT = 44;
const GAP = 34;
const PADDING = 8;
const CHAR_WIDTH = 7.2;
const MAX_LABEL_CHARS = 36;

const HOP_CAPTIONS: Readonly<Record<AttackPathHop['kind'], string>> = {
  internet: 'source',
  entry: 'entry point',
  route: 'route',
  service: 'service',
  workload: 'workload',
  'auth-missing': 'no authentication',
  'auth-present': 'authentication',
  note: 'note',
};

interface PlacedHop {
  readonly hop: AttackPathHop;
  readonly x: number;
  readonly width: number;
}

function truncate(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

function place(hops: readonly AttackPathHop[]): { placed: PlacedHop[]; width: number } {
  const placed: PlacedHop[] = [];
  let x = PADDING;
  for (const hop of hops) {
    const chars = Math.max(truncate(hop.label).length, HOP_CAPTIONS[hop.kind].length);
    const width = Math.round(Math.min(272, Math.max(96, chars * CHAR_WIDTH + 24)));
    placed.push({ hop, x, width });
    x += width + GAP;
  }
  return { placed, width: x - GAP + PADDING };
}

function hopBox({ hop, x, width }: PlacedHop): string {
  const y = PADDING;
  const label = escapeHtml(truncate(hop.label));
  const marker = hop.kind === 'auth-missing' ? '✕ ' : hop.kind === 'auth-present' ? '✓ ' : '';
  return [
    `<g class="hop hop-${hop.kind}">`,
    `<title>${escapeHtml(`${HOP_CAPTIONS[hop.kind]}: ${hop.label}`)}</title>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${BOX_HEIGHT}" rx="8"/>`,
    `<text class="hop-caption" x="${x + width / 2}" y="${y + 16}">${escapeHtml(marker + HOP_CAPTIONS[hop.kind])}</text>`,
    `<text class="hop-label" x="${x + width / 2}" y="${y + 33}">${label}</text>`,
    '</g>',
  ].join('');
}

function arrow(from: PlacedHop, to: PlacedHop): string {
  const y = PADDING + BOX_HEIGHT / 2;
  const x1 = from.x + from.width + 2;
  const x2 = to.x - 4;
  const open = to.hop.kind === 'auth-missing' ? ' arrow-open' : '';
  return `<path class="arrow${open}" d="M${x1} ${y}H${x2}" marker-end="url(#kfg-arrowhead)"/>`;
}

/** Shared arrowhead, defined once per page so the diagrams don't repeat element ids. */
export const ARROWHEAD_DEFS =
  '<svg width="0" height="0" aria-hidden="true" style="position:absolute"><defs><marker id="kfg-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs></svg>';

/** One exposure's route from the internet to the dashboard, as an inline SVG (no external resources). */
export function renderAttackPathSvg(hops: readonly AttackPathHop[], caption: string): string {
  const { placed, width } = place(hops);
  const height = BOX_HEIGHT + PADDING * 2;
  const parts = placed.map(hopBox);
  for (let i = 1; i < placed.length; i++) {
    const from = placed[i - 1];
    const to = placed[i];
    if (from && to) parts.push(arrow(from, to));
  }
  return [
    `<svg class="attack-path" role="img" aria-label="${escapeHtml(caption)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    ...parts,
    '</svg>',
  ].join('');
}

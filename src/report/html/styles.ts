/** The report's only stylesheet, inlined: the file must work offline and load nothing. */
export const REPORT_CSS = `
:root {
  --bg: #f5f6f8; --panel: #fff; --ink: #1c2230; --muted: #5f6b7a; --line: #e2e6ec;
  --critical: #b42318; --high: #dc6803; --medium: #b98900; --low: #2e6fd8; --info: #6b7785;
  --ok: #1f8a4c; --accent: #3b4bd8;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; font-size: 14px; line-height: 1.45; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
header.top { background: #141a2a; color: #fff; padding: 18px 32px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header.top h1 { margin: 0; font-size: 20px; letter-spacing: .2px; }
header.top .meta { color: #b7c0d0; font-size: 13px; }
header.top .verdict { margin-left: auto; font-weight: 600; padding: 4px 10px; border-radius: 999px; font-size: 13px; }
.verdict.fail { background: var(--critical); } .verdict.pass { background: var(--ok); }
main { max-width: 1320px; margin: 0 auto; padding: 20px 32px 48px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-bottom: 18px; }
section h2 { margin: 0 0 12px; font-size: 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; border-top: 4px solid var(--line); }
.card .n { font-size: 26px; font-weight: 700; } .card .l { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .5px; }
.card.total { border-top-color: var(--ink); }
.card.critical { border-top-color: var(--critical); } .card.high { border-top-color: var(--high); }
.card.medium { border-top-color: var(--medium); } .card.low { border-top-color: var(--low); } .card.info { border-top-color: var(--info); }
.card.suppressed { border-top-color: #a0a8b4; }
.bars { margin-top: 16px; display: grid; grid-template-columns: 150px 1fr 40px; gap: 6px 10px; align-items: center; }
.bar { height: 10px; background: var(--accent); border-radius: 5px; min-width: 2px; }
.bar-track { background: #eef0f4; border-radius: 5px; }
.bars .c { color: var(--muted); } .bars .v { text-align: right; font-variant-numeric: tabular-nums; }
.threat-banner { background: #fdecea; border: 1px solid #f4b4ac; color: #7a1a10; border-radius: 8px; padding: 10px 14px; margin-top: 14px; font-weight: 600; }
.sev { display: inline-block; min-width: 66px; text-align: center; padding: 1px 8px; border-radius: 999px; color: #fff; font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .4px; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); } .sev-medium { background: var(--medium); }
.sev-low { background: var(--low); } .sev-info { background: var(--info); }
.paths { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
.path-card { border: 1px solid var(--line); border-left: 4px solid var(--critical); border-radius: 8px; padding: 10px 12px; }
.path-card.edge-high { border-left-color: var(--high); } .path-card.edge-medium { border-left-color: var(--medium); }
.path-card.edge-low { border-left-color: var(--low); } .path-card.edge-info { border-left-color: var(--info); }
details.more-paths { margin-top: 12px; } details.more-paths summary { cursor: pointer; color: var(--accent); font-weight: 600; margin-bottom: 10px; }
.path-card h3 { margin: 0 0 6px; font-size: 13.5px; font-weight: 600; }
.path-card .msg { color: var(--muted); margin: 0 0 6px; }
.diagram { overflow-x: auto; max-width: 100%; padding-bottom: 2px; }
svg.attack-path { display: block; max-width: 100%; height: auto; }
svg.attack-path text { font-size: 11.5px; text-anchor: middle; font-family: inherit; }
svg.attack-path .hop-caption { fill: var(--muted); font-size: 10px; text-transform: uppercase; letter-spacing: .4px; }
svg.attack-path .hop-label { fill: var(--ink); font-weight: 600; }
svg.attack-path rect { fill: #f4f6fb; stroke: #9aa5b8; stroke-width: 1.2; }
svg.attack-path .hop-internet rect { fill: #1c2230; stroke: #1c2230; }
svg.attack-path .hop-internet .hop-label, svg.attack-path .hop-internet .hop-caption { fill: #fff; }
svg.attack-path .hop-entry rect { fill: #eaf0ff; stroke: #3b5bdb; }
svg.attack-path .hop-route rect { fill: #f1ebff; stroke: #7048e8; }
svg.attack-path .hop-service rect { fill: #e6f7f4; stroke: #0c8599; }
svg.attack-path .hop-workload rect { fill: #fff4e6; stroke: #d9480f; stroke-width: 2; }
svg.attack-path .hop-auth-missing rect { fill: #fdecea; stroke: var(--critical); stroke-width: 2; stroke-dasharray: 5 3; }
svg.attack-path .hop-auth-missing .hop-caption { fill: var(--critical); font-weight: 700; }
svg.attack-path .hop-auth-present rect { fill: #e9f7ef; stroke: var(--ok); stroke-width: 2; }
svg.attack-path .hop-auth-present .hop-caption { fill: var(--ok); font-weight: 700; }
svg.attack-path .hop-note rect { fill: #fff; stroke-dasharray: 3 3; }
svg .arrow { stroke: #6b7785; stroke-width: 1.6; fill: none; }
svg .arrow-open { stroke: var(--critical); }
svg .arrowhead { fill: #6b7785; }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 12px; }
.toolbar input[type=search] { flex: 1 1 260px; padding: 7px 10px; border: 1px solid #c9d0da; border-radius: 6px; font: inherit; }
.toolbar select { padding: 6px 8px; border: 1px solid #c9d0da; border-radius: 6px; font: inherit; background: #fff; }
.toolbar label.check { color: var(--muted); display: flex; gap: 4px; align-items: center; }
.toolbar .count { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
.toolbar button, .more button { font: inherit; padding: 6px 10px; border: 1px solid #c9d0da; background: #fff; border-radius: 6px; cursor: pointer; }
table { border-collapse: collapse; width: 100%; }
#findings-table { table-layout: fixed; }
#findings-table th:nth-child(1) { width: 104px; } #findings-table th:nth-child(2) { width: 22%; }
#findings-table th:nth-child(3) { width: 17%; } #findings-table th:nth-child(4) { width: 120px; } #findings-table th:nth-child(5) { width: 15%; }
#findings-table td { overflow-wrap: anywhere; }
th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .4px; background: #fafbfc; position: sticky; top: 0; }
th button { all: unset; cursor: pointer; white-space: nowrap; } th button:focus-visible { outline: 2px solid var(--accent); }
th[aria-sort=ascending] button::after { content: " ▲"; } th[aria-sort=descending] button::after { content: " ▼"; }
tr.finding-row { cursor: pointer; } tr.finding-row:hover { background: #f7f8fb; }
tr.finding-row.open { background: #f1f4ff; }
tr.finding-row.is-suppressed td { color: #8a94a3; }
td.loc { color: var(--muted); word-break: break-all; max-width: 260px; }
td.res { word-break: break-all; }
tr.details td { background: #fbfcfe; padding: 12px 16px 16px; }
.details h4 { margin: 10px 0 4px; font-size: 12px; text-transform: uppercase; color: var(--muted); letter-spacing: .4px; }
.details ul { margin: 0; padding-left: 18px; } .details .md { white-space: pre-wrap; }
.tag { display: inline-block; background: #eef0f4; border-radius: 4px; padding: 0 6px; margin-right: 4px; font-size: 12px; }
.empty { color: var(--muted); padding: 18px 8px; text-align: center; }
.more { text-align: center; padding-top: 10px; }
.note { color: var(--muted); }
.errors li { margin-bottom: 4px; }
`;

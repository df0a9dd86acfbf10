import { FONT_FAMILY } from './chart-theme.ts';

/** The report's only stylesheet, inlined: system fonts, cards on a light grid, readable in print too. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2939; --muted: #667085; --line: #e4e7ec; --bg: #f5f6f8; --card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 ${FONT_FAMILY}; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 16px 48px; display: grid; gap: 16px; }
main > * { min-width: 0; } /* grid items may shrink below a drawn canvas's width, so charts can follow */
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; }
h1 { margin: 0 0 12px; font-size: 22px; }
h2 { margin: 0 0 4px; font-size: 17px; }
section > p.lead { margin: 0 0 12px; color: var(--muted); }
.scenario { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0 0 12px; }
.scenario div { min-width: 80px; }
.scenario dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.scenario dd { margin: 0; font-weight: 600; }
.outcome { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 16px; }
.outcome span { background: #eef4ff; color: #1849a9; border-radius: 999px; padding: 2px 10px; font-size: 13px; }
.timeline { list-style: none; margin: 8px 0 0; padding: 0; border-left: 2px solid var(--line); }
.timeline li { display: grid; grid-template-columns: 72px 120px 1fr; gap: 8px; padding: 4px 0 4px 12px; position: relative; }
.timeline li::before { content: ""; position: absolute; left: -6px; top: 11px; width: 10px; height: 10px; border-radius: 50%; background: #98a2b3; }
.timeline .hour { color: var(--muted); font-variant-numeric: tabular-nums; }
.timeline .kind { font-weight: 600; }
.event-drift-injected::before { background: #D55E00 !important; }
.event-drift-detected::before, .event-alert::before { background: #B42318 !important; }
.event-retraining::before { background: #6941C6 !important; }
.event-promotion::before, .event-recovery::before { background: #027A48 !important; }
.grid > * { min-width: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
.chart { width: 100%; height: 380px; overflow: hidden; }
.chart.small { height: 280px; border: 1px solid var(--line); border-radius: 8px; }
.table-wrap { overflow-x: auto; margin-top: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td code { font-size: 12px; }
td:last-child { min-width: 16em; } /* narrow screens scroll the table rather than squeeze its prose */
.metric { white-space: nowrap; margin-right: 8px; }
.badge { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: 12px; font-weight: 600; background: #f2f4f7; color: #344054; }
.badge-critical, .badge-failed, .badge-rolled-back { background: #fee4e2; color: #b42318; }
.badge-warning, .badge-rejected { background: #fef0c7; color: #b54708; }
.badge-info, .badge-skipped, .badge-retired { background: #f2f4f7; color: #344054; }
.badge-champion, .badge-promoted { background: #d1fadf; color: #027a48; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
@media (max-width: 640px) { .timeline li { grid-template-columns: 64px 1fr; } .timeline .text { grid-column: 1 / -1; } }
@media print { body { background: #fff; } .card { break-inside: avoid; border-color: #ccc; } }
`;

import type { ChartSpec } from './chart-spec.ts';
import { echartsSource } from './echarts-source.ts';
import { escapeHtml as e, jsonForScript } from './escape-html.ts';
import { CLIENT_SCRIPT } from './report-client-script.ts';
import { REPORT_CSS } from './report-styles.ts';

// the page may run inline code and styles and nothing else: no request can leave it, by construction
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/** the container a chart is drawn into; the client script finds it by `data-chart` */
export const chartBox = (spec: ChartSpec, label: string, small = false): string =>
  `<div class="chart${small ? ' small' : ''}" data-chart="${e(spec.id)}" role="img" aria-label="${e(label)}"></div>`;

export const section = (id: string, title: string, lead: string, body: string): string =>
  `<section class="card" id="${e(id)}"><h2>${e(title)}</h2><p class="lead">${e(lead)}</p>${body}</section>`;

export const note = (text: string): string => `<p class="empty">${e(text)}</p>`;

/**
 * Every model-care page: one self-contained document, readable offline. ECharts, the styles and the chart data
 * are inlined under a CSP that lets no request leave the page; `body` is HTML the caller built from escaped
 * parts, and chart data travels in the JSON data element, which ECharts draws on canvas.
 */
export const renderPage = (page: {
  readonly title: string;
  readonly body: string;
  readonly charts: readonly ChartSpec[];
  readonly footer: string;
}): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${e(page.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${page.body}
<footer>${e(page.footer)}</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript({ charts: page.charts })}</script>
<script>${echartsSource()}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;

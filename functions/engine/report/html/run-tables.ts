import type { AlertSummary, ModelVersionSummary, RetrainingSummary } from '../run-summary.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatNumber } from './format.ts';

/** A table of escaped cells; `cells` return HTML the caller built from escaped parts. */
export const table = <T>(
  caption: string,
  headers: readonly string[],
  rows: readonly T[],
  cells: (row: T) => string[],
  empty: string,
): string => {
  if (rows.length === 0) return `<p class="empty">${e(empty)}</p>`;
  return `<div class="table-wrap"><table><caption>${e(caption)}</caption><thead><tr>${headers
    .map((h) => `<th scope="col">${e(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table></div>`;
};

export const badge = (kind: string, text: string): string =>
  `<span class="badge badge-${e(kind)}">${e(text)}</span>`;

const metricList = (metrics: Record<string, number>): string =>
  Object.entries(metrics)
    .map(([k, v]) => `<span class="metric">${e(k)} <b>${e(formatNumber(v))}</b></span>`)
    .join(' ') || '–';

export const renderAlerts = (alerts: readonly AlertSummary[]): string =>
  table(
    'Alerts',
    ['hour', 'severity', 'check', 'subject'],
    [...alerts].sort((a, b) => a.hour - b.hour),
    (a) => [e(String(a.hour)), badge(a.severity, a.severity), `<code>${e(a.check)}</code>`, e(a.subject)],
    'No alerts were raised.',
  );

export const renderVersions = (versions: readonly ModelVersionSummary[]): string =>
  table(
    'Model versions',
    ['version', 'serving from hour', 'status', 'metrics'],
    [...versions].sort((a, b) => a.version - b.version),
    (v) => [
      e(`v${v.version}`),
      e(v.status === 'rejected' ? '–' : String(v.servingFromHour)),
      badge(v.status, v.status),
      metricList(v.metrics),
    ],
    'No model versions recorded.',
  );

export const renderRetraining = (events: readonly RetrainingSummary[]): string =>
  table(
    'Retraining events',
    ['started at hour', 'status', 'challenger', 'detail'],
    [...events].sort((a, b) => a.startedHour - b.startedHour),
    (r) => [
      e(String(r.startedHour)),
      badge(r.status, r.status),
      e(r.challengerVersion === undefined ? '–' : `v${r.challengerVersion}`),
      e(r.detail),
    ],
    'No retraining ran.',
  );

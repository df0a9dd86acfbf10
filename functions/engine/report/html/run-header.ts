import type { RunSummary, TimelineEvent } from '../run-summary.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatHour } from './format.ts';

const KIND_LABELS: Record<TimelineEvent['kind'], string> = {
  'drift-injected': 'drift injected',
  'drift-detected': 'drift detected',
  alert: 'alert',
  retraining: 'retraining',
  promotion: 'promotion',
  recovery: 'recovery',
  info: 'info',
};

const firstHour = (summary: RunSummary, kind: TimelineEvent['kind']): number | undefined => {
  const hours = summary.timeline.filter((t) => t.kind === kind).map((t) => t.hour);
  return hours.length > 0 ? Math.min(...hours) : undefined;
};

/** The run in one line: when drift began and was caught, how loud it was, how it ended. */
const outcome = (summary: RunSummary): string[] => {
  const facts: string[] = [];
  const injected = summary.scenario.driftAt ?? firstHour(summary, 'drift-injected');
  const detected = firstHour(summary, 'drift-detected');
  facts.push(injected === undefined ? 'no drift injected' : `drift injected at ${formatHour(injected)}`);
  if (detected !== undefined) {
    const lag = injected === undefined ? '' : ` (${detected - injected} h after injection)`;
    facts.push(`detected at ${formatHour(detected)}${lag}`);
  } else {
    facts.push('no drift detected');
  }
  const bySeverity = (['critical', 'warning', 'info'] as const)
    .map((s) => [s, summary.alerts.filter((a) => a.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  facts.push(bySeverity.length > 0 ? `alerts: ${bySeverity.join(', ')}` : 'no alerts');
  for (const r of summary.retraining) {
    const version = r.challengerVersion === undefined ? '' : ` (v${r.challengerVersion})`;
    facts.push(`retraining at ${formatHour(r.startedHour)}: ${r.status}${version}`);
  }
  for (const v of summary.versions.filter((x) => x.servingFromHour > 0 && x.status !== 'rejected')) {
    facts.push(`v${v.version} serving from ${formatHour(v.servingFromHour)}`);
  }
  const recovered = firstHour(summary, 'recovery');
  if (recovered !== undefined) facts.push(`recovered at ${formatHour(recovered)}`);
  return facts;
};

/** Header: title, the scenario's settings, the outcome in brief and the full timeline, all escaped text. */
export const renderHeader = (summary: RunSummary, title: string): string => {
  const s = summary.scenario;
  const settings: [string, string][] = [
    ['dataset', s.dataset],
    ['hours', String(s.hours)],
    ['drift at', s.driftAt === null ? 'none' : formatHour(s.driftAt)],
    ['seed', String(s.seed)],
    ['requests / hour', String(s.requestsPerHour)],
    ['windows', String(summary.windows.length)],
  ];
  const timeline = [...summary.timeline].sort((a, b) => a.hour - b.hour);
  const events =
    timeline.length === 0
      ? '<p class="empty">No events recorded.</p>'
      : `<ol class="timeline">${timeline
          .map(
            (t) =>
              `<li class="event event-${e(t.kind)}"><span class="hour">${e(formatHour(t.hour))}</span>` +
              `<span class="kind">${e(KIND_LABELS[t.kind] ?? t.kind)}</span>` +
              `<span class="text">${e(t.text)}</span></li>`,
          )
          .join('')}</ol>`;
  return `<header class="card">
<h1>${e(title)}</h1>
<dl class="scenario">${settings.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`).join('')}</dl>
<p class="outcome">${outcome(summary)
    .map((f) => `<span>${e(f)}</span>`)
    .join('')}</p>
<h2>Timeline</h2>
${events}
</header>`;
};

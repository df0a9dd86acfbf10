import type { RunSummary, TimelineEvent } from '../run-summary.ts';

export type MarkerKind = 'drift-injected' | 'drift-detected' | 'retraining' | 'promotion';

/** An hour worth a vertical line on the time charts. */
export interface RunMarker {
  readonly hour: number;
  readonly kind: MarkerKind;
  readonly label: string;
}

const LABELS: Record<MarkerKind, string> = {
  'drift-injected': 'drift injected',
  'drift-detected': 'drift detected',
  retraining: 'retraining',
  promotion: 'promoted',
};

const firstOf = (timeline: readonly TimelineEvent[], kind: TimelineEvent['kind']): number | undefined => {
  const hours = timeline.filter((e) => e.kind === kind).map((e) => e.hour);
  return hours.length > 0 ? Math.min(...hours) : undefined;
};

/**
 * The hours the time charts mark: drift injection and first detection, every retraining start and every
 * promotion. The structured lists (scenario, retraining, versions) are the source; the timeline fills in
 * what they lack, so a summary that records an event in only one place still gets its line.
 */
export const runMarkers = (summary: RunSummary): RunMarker[] => {
  const markers: RunMarker[] = [];
  const add = (hour: number | undefined, kind: MarkerKind, label = LABELS[kind]): void => {
    if (hour === undefined || !Number.isFinite(hour)) return;
    if (markers.some((m) => m.hour === hour && m.kind === kind)) return;
    markers.push({ hour, kind, label });
  };
  add(summary.scenario.driftAt ?? firstOf(summary.timeline, 'drift-injected'), 'drift-injected');
  add(firstOf(summary.timeline, 'drift-detected'), 'drift-detected');
  for (const r of summary.retraining) add(r.startedHour, 'retraining');
  for (const e of summary.timeline.filter((t) => t.kind === 'retraining')) add(e.hour, 'retraining');
  for (const v of summary.versions.filter((v) => v.servingFromHour > 0)) {
    add(v.servingFromHour, 'promotion', `v${v.version} promoted`);
  }
  if (!markers.some((m) => m.kind === 'promotion')) {
    for (const e of summary.timeline.filter((t) => t.kind === 'promotion')) add(e.hour, 'promotion');
  }
  return markers.sort((a, b) => a.hour - b.hour);
};

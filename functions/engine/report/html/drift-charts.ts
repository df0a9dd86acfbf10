import type { LineSeriesOption } from 'echarts';
import type { WindowSummary } from '../run-summary.ts';
import type { ChartSpec } from './chart-spec.ts';
import { baseOption, chartTitle, DRIFTED_COLOR, hourAxis, markerLines } from './chart-theme.ts';
import type { RunMarker } from './run-markers.ts';

/** Methods whose score is a p-value (lower means more drift); every other method scores a distance. */
const P_VALUE_METHODS = new Set(['ks', 'chisquare']);

/** A p-value of 0 (underflow) cannot sit on a log axis; it is drawn at this floor. */
export const P_VALUE_FLOOR = 1e-16;

type ScoreKind = 'p-value' | 'distance';

const kindOf = (method: string): ScoreKind => (P_VALUE_METHODS.has(method) ? 'p-value' : 'distance');

const KIND_TEXT: Record<ScoreKind, { id: string; title: string; subtext: string; axis: string }> = {
  'p-value': {
    id: 'drift-pvalue',
    title: 'Drift per feature over time: test p-value',
    subtext: 'lower = stronger evidence of drift · ◆ = feature judged drifted',
    axis: 'p-value (log scale)',
  },
  distance: {
    id: 'drift-distance',
    title: 'Drift per feature over time: distance',
    subtext: 'higher = more drift · ◆ = feature judged drifted',
    axis: 'distance',
  },
};

const featureNames = (windows: readonly WindowSummary[]): string[] => [
  ...new Set(windows.flatMap((w) => Object.keys(w.features))),
];

/**
 * The deciding drift score per feature and window, one series per feature. Tests score a p-value and
 * distances grow with drift, so the two never share an axis: a run that used both gets one chart per kind
 * (a feature can switch kind when its window outgrows the sample size where `auto` stops testing).
 */
export const driftCharts = (
  windows: readonly WindowSummary[],
  markers: readonly RunMarker[],
  maxHour: number,
): ChartSpec[] => {
  const names = featureNames(windows);
  const charts: ChartSpec[] = [];
  for (const kind of ['p-value', 'distance'] as const) {
    const series: LineSeriesOption[] = [];
    let smallest = 1;
    for (const name of names) {
      const data = windows.flatMap((w) => {
        const f = w.features[name];
        if (!f || f.score === null || !Number.isFinite(f.score) || kindOf(f.method) !== kind) return [];
        const y = kind === 'p-value' ? Math.max(f.score, P_VALUE_FLOOR) : f.score;
        smallest = Math.min(smallest, y);
        return f.drifted
          ? [{ value: [w.hour, y], symbol: 'diamond', symbolSize: 11, itemStyle: { color: DRIFTED_COLOR } }]
          : [{ value: [w.hour, y] }];
      });
      if (data.length > 0) series.push({ type: 'line', name, data, showSymbol: true, symbolSize: 5 });
    }
    if (series.length === 0) continue;
    series[0] = {
      ...series[0]!,
      markLine: markerLines(markers, { labelAt: kind === 'p-value' ? 'bottom' : 'top' }),
    };
    const text = KIND_TEXT[kind];
    // the log axis starts at the decade below the smallest p-value (at least 1e-3), not at the floor
    const decades = Math.max(3, -Math.floor(Math.log10(smallest)));
    const logMin = 10 ** -decades;
    // a tick every decade up to 8 of them, else every other one (ECharts' own choice skips most decades)
    const logInterval = Math.ceil(decades / 8);
    charts.push({
      id: text.id,
      option: {
        ...baseOption,
        title: chartTitle(text.title, text.subtext),
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 64, right: 24, top: 64, bottom: 72 },
        xAxis: hourAxis(maxHour),
        yAxis:
          kind === 'p-value'
            ? { type: 'log', name: text.axis, min: logMin, max: 1, logBase: 10, interval: logInterval }
            : { type: 'value', name: text.axis, min: 0 },
        series,
      },
    });
  }
  return charts;
};

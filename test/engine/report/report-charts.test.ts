import { describe, expect, test } from 'vitest';
import { distributionChart } from '../../../functions/engine/report/html/distribution-charts.ts';
import { driftCharts, P_VALUE_FLOOR } from '../../../functions/engine/report/html/drift-charts.ts';
import { qualityChart } from '../../../functions/engine/report/html/quality-chart.ts';
import { runMarkers } from '../../../functions/engine/report/html/run-markers.ts';
import { violationsChart } from '../../../functions/engine/report/html/violations-chart.ts';
import type { WindowSummary } from '../../../functions/engine/report/run-summary.ts';
import { loadSampleRun } from './sample-run.ts';

interface LineSeries {
  name: string;
  data: ({ value: number[] } | number[])[];
  yAxisIndex?: number;
  lineStyle?: { type?: string };
  markLine?: { data: { xAxis: number; name: string }[] };
}

const seriesOf = (option: { series?: unknown }): LineSeries[] => option.series as LineSeries[];
const point = (d: { value: number[] } | number[]): number[] => (Array.isArray(d) ? d : d.value);

const makeWindow = (hour: number, features: WindowSummary['features'], extra: Partial<WindowSummary> = {}) =>
  ({
    hour,
    start: new Date(Date.UTC(2024, 0, 1, hour)).toISOString(),
    rows: 100,
    status: 'ok',
    driftedShare: 0,
    drifted: false,
    modelVersion: 1,
    features,
    violations: 0,
    ...extra,
  }) satisfies WindowSummary;

describe('runMarkers', () => {
  test('marks drift injection and detection, retraining and promotion at their hours', () => {
    expect(runMarkers(loadSampleRun())).toEqual([
      { hour: 12, kind: 'drift-injected', label: 'drift injected' },
      { hour: 13, kind: 'drift-detected', label: 'drift detected' },
      { hour: 14, kind: 'retraining', label: 'retraining' },
      { hour: 15, kind: 'promotion', label: 'v2 promoted' },
    ]);
  });

  test('marks nothing for a run without drift or retraining', () => {
    const run = loadSampleRun();
    const quiet = {
      ...run,
      scenario: { ...run.scenario, driftAt: null },
      timeline: [],
      retraining: [],
      versions: run.versions.filter((v) => v.servingFromHour === 0),
    };
    expect(runMarkers(quiet)).toEqual([]);
  });
});

describe('driftCharts', () => {
  test('draws one p-value series per feature, marks drifted windows and the run events', () => {
    const run = loadSampleRun();
    const [chart, ...rest] = driftCharts(run.windows, runMarkers(run), 23);
    expect(rest).toEqual([]);
    expect(chart!.id).toBe('drift-pvalue');
    const series = seriesOf(chart!.option);
    expect(series.map((s) => s.name)).toEqual(['temp_max', 'temp_min', 'wind', 'season']);
    const tempMax = series[0]!;
    expect(tempMax.data).toHaveLength(24);
    expect(tempMax.data[13]).toMatchObject({ value: [13, 3.1e-9], symbol: 'diamond' });
    expect(tempMax.data[0]).not.toHaveProperty('symbol');
    expect(tempMax.markLine!.data.map((m) => [m.xAxis, m.name])).toEqual([
      [12, 'drift injected (h12)'],
      [13, 'drift detected (h13)'],
      [14, 'retraining (h14)'],
      [15, 'v2 promoted (h15)'],
    ]);
    // log axis from the decade below the smallest p-value (6.4e-10), one tick per decade up to 8, else 2
    expect(chart!.option.yAxis).toMatchObject({ type: 'log', min: 1e-10, max: 1, interval: 2 });
  });

  test('puts distances and p-values on separate charts, a p-value of 0 at the floor', () => {
    const windows = [
      makeWindow(0, {
        a: { method: 'ks', score: 0, drifted: true },
        b: { method: 'psi', score: 0.02, drifted: false },
      }),
      makeWindow(1, {
        a: { method: 'wasserstein', score: 0.3, drifted: true },
        b: { method: 'psi', score: null, drifted: false },
      }),
    ];
    const charts = driftCharts(windows, [], 1);
    expect(charts.map((c) => c.id)).toEqual(['drift-pvalue', 'drift-distance']);
    const [pValues, distances] = charts.map((c) => seriesOf(c.option));
    expect(pValues!.map((s) => [s.name, s.data.map(point)])).toEqual([['a', [[0, P_VALUE_FLOOR]]]]);
    expect(distances!.map((s) => [s.name, s.data.map(point)])).toEqual([
      ['a', [[1, 0.3]]],
      ['b', [[0, 0.02]]],
    ]);
    expect(charts[1]!.option.yAxis).toMatchObject({ type: 'value', min: 0 });
  });

  test('draws nothing when no window has a score', () => {
    expect(driftCharts([makeWindow(0, { a: { method: 'ks', score: null, drifted: false } })], [], 0)).toEqual(
      [],
    );
  });
});

describe('qualityChart', () => {
  test('draws each metric where labels arrived and the estimate dashed over every window', () => {
    const run = loadSampleRun();
    const chart = qualityChart(run.windows, runMarkers(run), 23)!;
    const series = seriesOf(chart.option);
    expect(series.map((s) => s.name)).toEqual(['accuracy', 'aucRoc', 'f1', 'estimatedAccuracy']);
    expect(series[0]!.data).toHaveLength(22); // labels for hours 22 and 23 had not arrived
    expect(series[0]!.data[13]).toEqual([13, 0.684]);
    expect(series[3]!.data).toHaveLength(24);
    expect(series[3]!.lineStyle?.type).toBe('dashed');
    expect(series[0]!.lineStyle?.type).toBeUndefined();
    expect(series[0]!.markLine!.data).toHaveLength(4);
  });

  test('puts losses on a second axis so a rising loss never reads as rising quality', () => {
    const chart = qualityChart([makeWindow(0, {}, { quality: { accuracy: 0.9, logLoss: 1.7 } })], [], 0)!;
    const series = seriesOf(chart.option);
    expect(series.map((s) => [s.name, s.yAxisIndex])).toEqual([
      ['accuracy', 0],
      ['logLoss', 1],
    ]);
    expect(chart.option.yAxis).toHaveLength(2);
  });

  test('is absent when the run has no quality figure', () => {
    expect(qualityChart([makeWindow(0, {})], [], 0)).toBeUndefined();
  });
});

describe('distributionChart', () => {
  test('shows numerical bins as ranges and both sides as shares of their own rows', () => {
    const chart = distributionChart(
      {
        name: 'x',
        type: 'numerical',
        baseline: { labels: ['0', '1', '2.5'], counts: [30, 10] },
        current: { labels: ['0', '1', '2.5'], counts: [1, 3] },
      },
      2,
    );
    expect(chart.id).toBe('distribution-2');
    expect(chart.option.xAxis).toMatchObject({ data: ['0 to 1', '1 to 2.5'], name: 'value bin' });
    expect(seriesOf(chart.option).map((s) => [s.name, s.data])).toEqual([
      ['baseline', [75, 25]],
      ['current', [25, 75]],
    ]);
  });

  test('shows a category only one side has as 0 on the other', () => {
    const chart = distributionChart(
      {
        name: 'c',
        type: 'categorical',
        baseline: { labels: ['a', 'b'], counts: [1, 1] },
        current: { labels: ['b', 'new'], counts: [1, 3] },
      },
      0,
    );
    expect(chart.option.xAxis).toMatchObject({ data: ['a', 'b', 'new'], name: 'category' });
    expect(seriesOf(chart.option).map((s) => s.data)).toEqual([
      [50, 50, 0],
      [0, 25, 75],
    ]);
  });
});

describe('violationsChart', () => {
  test('draws violations per window, red where the dataset drifted, with event lines between bars', () => {
    const run = loadSampleRun();
    const chart = violationsChart(run.windows, runMarkers(run), 23);
    const [bars, share] = seriesOf(chart.option);
    expect(bars!.data).toHaveLength(24);
    expect(bars!.data[13]).toEqual({ value: [13, 3], itemStyle: { color: expect.any(String) } });
    expect(bars!.data[7]).toEqual({ value: [7, 1] });
    expect(bars!.markLine!.data.map((m) => m.xAxis)).toEqual([11.5, 12.5, 13.5, 14.5]);
    expect(share!.data[13]).toEqual([13, 0.75]);
  });
});

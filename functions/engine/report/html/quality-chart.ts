import type { LineSeriesOption, YAXisComponentOption } from 'echarts';
import type { WindowSummary } from '../run-summary.ts';
import type { ChartSpec } from './chart-spec.ts';
import { baseOption, chartTitle, hourAxis, markerLines } from './chart-theme.ts';
import type { RunMarker } from './run-markers.ts';

export const QUALITY_CHART_ID = 'quality';

/** Metrics where lower is better; they get their own axis so a rising loss never reads as rising quality. */
const LOWER_IS_BETTER = new Set(['logLoss', 'brier', 'mae', 'mse', 'rmse', 'mape', 'fpr', 'fnr']);

/** Headline metrics first, in this order; any other metric follows in name order. */
const PREFERRED = ['accuracy', 'aucRoc', 'f1', 'precision', 'recall', 'prAuc', 'macroF1', 'weightedF1', 'r2'];

const metricOrder = (a: string, b: string): number => {
  const ia = PREFERRED.indexOf(a);
  const ib = PREFERRED.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? PREFERRED.length : ia) - (ib < 0 ? PREFERRED.length : ib);
  return a.localeCompare(b);
};

/**
 * Model-quality metrics per window once its labels arrived, and the label-free accuracy estimate (dashed)
 * for every window. Scores (higher is better) sit on the left axis; losses and errors, if any, on the
 * right. Undefined when the run recorded no quality figure at all, so the report shows a note instead of
 * an empty chart.
 */
export const qualityChart = (
  windows: readonly WindowSummary[],
  markers: readonly RunMarker[],
  maxHour: number,
): ChartSpec | undefined => {
  const metrics = [...new Set(windows.flatMap((w) => Object.keys(w.quality ?? {})))].sort(metricOrder);
  const onRight = (m: string): boolean => LOWER_IS_BETTER.has(m);
  const series: LineSeriesOption[] = [];
  for (const metric of metrics) {
    const data = windows.flatMap((w) => {
      const v = w.quality?.[metric];
      return v !== undefined && Number.isFinite(v) ? [[w.hour, v]] : [];
    });
    if (data.length === 0) continue;
    series.push({
      type: 'line',
      name: metric,
      data,
      yAxisIndex: onRight(metric) ? 1 : 0,
      symbolSize: 5,
      lineStyle: { width: 2 },
    });
  }
  const estimated = windows.flatMap((w) =>
    w.estimatedAccuracy !== undefined && Number.isFinite(w.estimatedAccuracy)
      ? [[w.hour, w.estimatedAccuracy]]
      : [],
  );
  if (estimated.length > 0) {
    series.push({
      type: 'line',
      name: 'estimatedAccuracy',
      data: estimated,
      yAxisIndex: 0,
      symbol: 'none',
      lineStyle: { type: 'dashed', width: 2 },
    });
  }
  if (series.length === 0) return undefined;
  series[0] = { ...series[0]!, markLine: markerLines(markers) };
  const hasRight = series.some((s) => s.yAxisIndex === 1);
  const yAxis: YAXisComponentOption[] = [{ type: 'value', name: 'score (higher is better)', scale: true }];
  if (hasRight)
    yAxis.push({
      type: 'value',
      name: 'loss / error (lower is better)',
      scale: true,
      splitLine: { show: false },
    });
  return {
    id: QUALITY_CHART_ID,
    option: {
      ...baseOption,
      title: chartTitle(
        'Model quality over time',
        'metrics per window once its labels arrived · dashed = label-free estimate',
      ),
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 64, right: hasRight ? 72 : 24, top: 64, bottom: 72 },
      xAxis: hourAxis(maxHour),
      yAxis,
      series,
    },
  };
};

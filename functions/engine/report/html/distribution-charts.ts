import type { FeatureDistributions, HistogramJson } from '../run-summary.ts';
import type { ChartSpec } from './chart-spec.ts';
import { baseOption, chartTitle } from './chart-theme.ts';
import { formatNumber } from './format.ts';
import { RunReportError } from './run-report-error.ts';

/** Container id of the i-th feature's chart; indices, not names, so any feature name is a safe id. */
export const distributionChartId = (index: number): string => `distribution-${index}`;

/**
 * Bin labels: numerical histograms carry edges (one more than counts), shown as ranges; categorical ones
 * carry one label per count.
 */
const binLabels = (feature: string, side: string, h: HistogramJson): string[] => {
  if (h.labels.length === h.counts.length) return h.labels;
  if (h.labels.length === h.counts.length + 1) {
    return h.counts.map((_, i) => {
      const lo = Number(h.labels[i]);
      const hi = Number(h.labels[i + 1]);
      return Number.isFinite(lo) && Number.isFinite(hi)
        ? `${formatNumber(lo)} to ${formatNumber(hi)}`
        : `${h.labels[i]} to ${h.labels[i + 1]}`;
    });
  }
  throw new RunReportError(
    `feature "${feature}": ${side} histogram has ${h.labels.length} labels for ${h.counts.length} counts ` +
      `(expected ${h.counts.length} categories or ${h.counts.length + 1} bin edges)`,
  );
};

const sharesByLabel = (labels: readonly string[], counts: readonly number[]): Map<string, number> => {
  const total = counts.reduce((a, b) => a + b, 0);
  const shares = new Map<string, number>();
  labels.forEach((label, i) => {
    const share = total > 0 ? (100 * counts[i]!) / total : 0;
    shares.set(label, (shares.get(label) ?? 0) + share);
  });
  return shares;
};

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Baseline and last window side by side as shares of rows (%), since the two sides hold different row
 * counts. Bins are matched by label; a category only one side has (new or vanished) shows as 0 on the other.
 */
export const distributionChart = (feature: FeatureDistributions, index: number): ChartSpec => {
  const baseLabels = binLabels(feature.name, 'baseline', feature.baseline);
  const curLabels = binLabels(feature.name, 'current', feature.current);
  const base = sharesByLabel(baseLabels, feature.baseline.counts);
  const cur = sharesByLabel(curLabels, feature.current.counts);
  const categories = [...new Set([...baseLabels, ...curLabels])];
  const crowded = categories.length > 6 || categories.some((c) => c.length > 8);
  return {
    id: distributionChartId(index),
    option: {
      ...baseOption,
      title: chartTitle(feature.name, `${feature.type} · baseline vs last window`),
      legend: { top: 4, right: 8, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
      grid: { left: 52, right: 16, top: 76, bottom: crowded ? 84 : 52 },
      xAxis: {
        type: 'category',
        data: categories,
        name: feature.type === 'numerical' ? 'value bin' : 'category',
        nameLocation: 'middle',
        nameGap: crowded ? 68 : 30,
        axisLabel: { rotate: crowded ? 35 : 0, fontSize: 10, interval: 0, hideOverlap: true },
      },
      yAxis: { type: 'value', name: '% of rows', nameTextStyle: { align: 'left' } },
      series: [
        { type: 'bar', name: 'baseline', data: categories.map((c) => round1(base.get(c) ?? 0)) },
        { type: 'bar', name: 'current', data: categories.map((c) => round1(cur.get(c) ?? 0)) },
      ],
    },
  };
};

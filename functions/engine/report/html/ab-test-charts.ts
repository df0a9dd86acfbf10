import type { LineSeriesOption } from 'echarts';
import type { AbTestSummary } from '../../ab/ab-test-summary.ts';
import type { ChartSpec } from './chart-spec.ts';
import { baseOption, chartTitle, DRIFTED_COLOR, hourAxis, markerLines } from './chart-theme.ts';
import { escapeHtml as e } from './escape-html.ts';
import type { RunMarker } from './run-markers.ts';
import { table } from './run-tables.ts';

export const AB_VARIANTS_CHART_ID = 'ab-variants';
export const AB_EVIDENCE_CHART_ID = 'ab-evidence';

const FLOOR = 1e-3;
const CEILING = 1e12;
const clamp = (x: number): number => Math.min(CEILING, Math.max(FLOOR, x));
const percent = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

/** Both variants' error rate per hour of labels, and the challenger's share of the traffic. */
export const abVariantsChart = (
  ab: AbTestSummary,
  markers: readonly RunMarker[],
  maxHour: number,
): ChartSpec => {
  const [a, b] = ab.variants;
  const rates = (i: 0 | 1) =>
    ab.hours.flatMap((h) => (h.errorRates[i] === null ? [] : [[h.hour, h.errorRates[i]]]));
  const series: LineSeriesOption[] = [
    {
      type: 'line',
      name: `${a?.name ?? 'A'} error rate`,
      symbolSize: 5,
      data: rates(0),
      markLine: markerLines(markers),
    },
    { type: 'line', name: `${b?.name ?? 'B'} error rate`, symbolSize: 5, data: rates(1) },
    {
      type: 'line',
      name: `${b?.name ?? 'B'} traffic share`,
      step: 'end',
      symbol: 'none',
      lineStyle: { type: 'dashed' },
      data: ab.hours.map((h) => [h.hour, h.shareB]),
    },
  ];
  return {
    id: AB_VARIANTS_CHART_ID,
    option: {
      ...baseOption,
      title: chartTitle(
        'Variants side by side',
        'error rate of each variant’s labelled predictions per hour, and the traffic it had',
      ),
      legend: { bottom: 0 },
      grid: { left: 56, right: 24, top: 64, bottom: 64 },
      xAxis: hourAxis(maxHour),
      yAxis: { type: 'value', name: 'rate / share', min: 0, max: 1 },
      series,
    },
  };
};

/** Evidence for each variant on a log axis, against the 2/α line where the test decides. */
export const abEvidenceChart = (
  ab: AbTestSummary,
  markers: readonly RunMarker[],
  maxHour: number,
): ChartSpec => {
  const [a, b] = ab.variants;
  const threshold = 2 / ab.alpha;
  return {
    id: AB_EVIDENCE_CHART_ID,
    option: {
      ...baseOption,
      title: chartTitle(
        'Winner test: evidence over time',
        `a variant wins where its line reaches 2/α = ${threshold}; read every hour, wrong with probability <= α`,
      ),
      legend: { bottom: 0 },
      grid: { left: 64, right: 24, top: 64, bottom: 64 },
      xAxis: hourAxis(maxHour),
      yAxis: { type: 'log', name: 'evidence (log scale)', min: FLOOR, max: CEILING, logBase: 10 },
      series: [
        {
          type: 'line',
          name: `for ${b?.name ?? 'B'}`,
          symbolSize: 5,
          data: ab.hours.map((h) => [h.hour, clamp(h.evidenceForB)]),
          markLine: {
            ...markerLines(markers),
            data: [
              ...((markerLines(markers).data as unknown[]) ?? []),
              {
                yAxis: threshold,
                lineStyle: { color: DRIFTED_COLOR, type: 'solid', width: 2 },
                label: { formatter: `decision: 2/α = ${threshold}`, position: 'insideEndTop' },
              },
            ],
          } as LineSeriesOption['markLine'],
        },
        {
          type: 'line',
          name: `for ${a?.name ?? 'A'}`,
          symbolSize: 5,
          data: ab.hours.map((h) => [h.hour, clamp(h.evidenceForA)]),
        },
      ],
    },
  };
};

/** The variants' figures side by side, and the decision in words. */
export const renderAbTest = (ab: AbTestSummary): string => {
  const decided =
    ab.winner === null
      ? `Undecided: the evidence is ${ab.evidence.toPrecision(3)}, a decision needs ${2 / ab.alpha}.`
      : `${ab.winner} wins, decided at hour ${ab.decidedAtHour} (evidence ${ab.evidence.toPrecision(3)}).`;
  const difference =
    ab.difference.estimate === null
      ? ''
      : ` Error difference (${ab.variants[1]?.name} − ${ab.variants[0]?.name}): ${ab.difference.estimate.toFixed(4)}, ` +
        `confidence sequence [${ab.difference.lower.toFixed(4)}, ${ab.difference.upper.toFixed(4)}] at ${1 - ab.alpha}.`;
  const promotion =
    ab.promotion === null
      ? ''
      : ab.promotion.outcome === 'shifted'
        ? ` Traffic shifted at hour ${ab.promotion.hour} to ${JSON.stringify(ab.promotion.after)}.`
        : ` Approval to shift the traffic requested at hour ${ab.promotion.hour}.`;
  return (
    `<p class="lead" data-ab-decision="${e(ab.decision)}">${e(decided + difference + promotion)}</p>` +
    table(
      'Variants',
      ['variant', 'requests', 'labelled', 'traffic share', 'error rate'],
      ab.variants,
      (v) => [
        e(v.name),
        e(String(v.requests)),
        e(String(v.labelled)),
        e(percent(v.metrics.trafficShare)),
        e(percent(v.metrics.errorRate)),
      ],
      'No variant served.',
    )
  );
};

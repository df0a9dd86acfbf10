import type { LineSeriesOption } from 'echarts';
import type { RunSummary, WindowSummary } from '../run-summary.ts';
import type { ChartSpec } from './chart-spec.ts';
import { baseOption, chartTitle, DRIFTED_COLOR, hourAxis, markerLines } from './chart-theme.ts';
import type { RunMarker } from './run-markers.ts';

export const EVIDENCE_CHART_ID = 'evidence';

/** evidence spans hundreds of decades; the chart shows 1e-3 .. 1e12, the alarm line well inside */
const FLOOR = 1e-3;
const CEILING = 1e12;
const clamp = (x: number): number => Math.min(CEILING, Math.max(FLOOR, x));

/**
 * Sequential evidence over time (issue 12): each feature's drift evidence and the error e-process's, on a log
 * axis, against the 1/α line where an alarm is raised. Undefined when the run recorded no evidence.
 */
export const evidenceChart = (
  summary: Pick<RunSummary, 'verdicts'>,
  windows: readonly WindowSummary[],
  markers: readonly RunMarker[],
  maxHour: number,
): ChartSpec | undefined => {
  const names = [...new Set(windows.flatMap((w) => Object.keys(w.evidence ?? {})))];
  const series: LineSeriesOption[] = names.map((name) => ({
    type: 'line',
    name,
    symbolSize: 4,
    data: windows.flatMap((w) => {
      const e = w.evidence?.[name];
      return e === undefined || Number.isNaN(e) ? [] : [[w.hour, clamp(e)]];
    }),
  }));
  const error = windows.flatMap((w) =>
    w.errorEvidence === undefined || Number.isNaN(w.errorEvidence) ? [] : [[w.hour, clamp(w.errorEvidence)]],
  );
  if (error.length > 0) {
    series.push({
      type: 'line',
      name: 'model error',
      data: error,
      lineStyle: { width: 3, type: 'dashed' },
      symbolSize: 6,
    });
  }
  const withData = series.filter((s) => Array.isArray(s.data) && s.data.length > 0);
  if (withData.length === 0) return undefined;
  const alpha = summary.verdicts?.alpha ?? 0.05;
  withData[0] = {
    ...withData[0]!,
    markLine: {
      ...markerLines(markers),
      data: [
        ...((markerLines(markers).data as unknown[]) ?? []),
        {
          yAxis: 1 / alpha,
          lineStyle: { color: DRIFTED_COLOR, type: 'solid', width: 2 },
          label: { formatter: `alarm: 1/α = ${1 / alpha}`, position: 'insideEndTop' },
        },
      ],
    } as LineSeriesOption['markLine'],
  };
  return {
    id: EVIDENCE_CHART_ID,
    option: {
      ...baseOption,
      title: chartTitle(
        'Sequential evidence over time',
        `per feature (drift beyond δ${summary.verdicts ? ` = ${summary.verdicts.relevance}` : ''}) and for the model's error · an alarm where a line crosses 1/α`,
      ),
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 64, right: 24, top: 64, bottom: 72 },
      xAxis: hourAxis(maxHour),
      yAxis: { type: 'log', name: 'evidence (log scale)', min: FLOOR, max: CEILING, logBase: 10 },
      series: withData,
    },
  };
};

import type { WindowSummary } from '../run-summary.ts';
import type { ChartSpec } from './chart-spec.ts';
import { baseOption, chartTitle, DRIFTED_COLOR, hourAxis, markerLines, PALETTE } from './chart-theme.ts';
import type { RunMarker } from './run-markers.ts';

export const VIOLATIONS_CHART_ID = 'violations';

/**
 * Constraint violations per window (bars, red where the dataset drifted) and the drifted share of features
 * (line, right axis). Hours without a window stay on the axis, empty, so gaps are visible. The axis is
 * labelled every hour up to 24 of them, then every few hours.
 */
export const violationsChart = (
  windows: readonly WindowSummary[],
  markers: readonly RunMarker[],
  maxHour: number,
): ChartSpec => {
  const step = Math.max(1, Math.ceil((maxHour + 1) / 24));
  const hours = Array.from({ length: Math.floor(maxHour / step) + 1 }, (_, i) => i * step);
  return {
    id: VIOLATIONS_CHART_ID,
    option: {
      ...baseOption,
      title: chartTitle(
        'Violations per window',
        'bars: constraint violations (red = dataset drifted) · line: drifted share',
      ),
      legend: { bottom: 0 },
      grid: { left: 64, right: 64, top: 64, bottom: 72 },
      // a value axis with half-hour margins, so event lines fall between bars, at the start of their hour;
      // ticks and labels on whole hours only (ECharts would count them from the -0.5 edge)
      xAxis: {
        ...hourAxis(maxHour),
        min: -0.5,
        max: maxHour + 0.5,
        axisTick: { customValues: hours },
        axisLabel: { customValues: hours, hideOverlap: true },
      },
      yAxis: [
        { type: 'value', name: 'violations', minInterval: 1 },
        { type: 'value', name: 'drifted share', min: 0, max: 1, splitLine: { show: false } },
      ],
      series: [
        {
          type: 'bar',
          name: 'violations',
          itemStyle: { color: PALETTE[0] },
          barWidth: '60%',
          data: windows.map((w) =>
            w.drifted
              ? { value: [w.hour, w.violations], itemStyle: { color: DRIFTED_COLOR } }
              : { value: [w.hour, w.violations] },
          ),
          markLine: markerLines(markers, { offset: -0.5 }),
        },
        {
          type: 'line',
          name: 'drifted share',
          yAxisIndex: 1,
          symbolSize: 4,
          itemStyle: { color: PALETTE[1] },
          data: windows.map((w) => [w.hour, w.driftedShare]),
        },
      ],
    },
  };
};

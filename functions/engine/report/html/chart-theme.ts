import type { MarkLineComponentOption, TitleComponentOption, XAXisComponentOption } from 'echarts';
import type { MarkerKind, RunMarker } from './run-markers.ts';

export const FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';

/** Colour-blind-safe series colours (Okabe–Ito), in the order series take them. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];

export const MARKER_COLORS: Record<MarkerKind, string> = {
  'drift-injected': '#D55E00',
  'drift-detected': '#B42318',
  retraining: '#6941C6',
  promotion: '#027A48',
};

export const DRIFTED_COLOR = '#B42318';

/** Options every chart shares: no animation (screenshots and print show the final picture), one font. */
export const baseOption = {
  animation: false,
  color: PALETTE,
  textStyle: { fontFamily: FONT_FAMILY },
  tooltip: { trigger: 'axis', confine: true },
} as const;

export const chartTitle = (text: string, subtext?: string): TitleComponentOption => ({
  text,
  ...(subtext === undefined ? {} : { subtext }),
  left: 8,
  top: 4,
  textStyle: { fontSize: 14, fontWeight: 600, color: '#1d2939' },
  subtextStyle: { fontSize: 11, color: '#667085' },
});

/** The x axis of every chart over the run's hours. */
export const hourAxis = (maxHour: number): XAXisComponentOption => ({
  type: 'value',
  name: 'hour of run',
  nameLocation: 'middle',
  nameGap: 28,
  min: 0,
  max: Math.max(1, maxHour),
  minInterval: 1,
  splitLine: { show: false },
});

/**
 * Vertical lines at the run's events. Labels run along their line so that events an hour apart do not
 * print over each other, at the top or the bottom (whichever the chart's data leaves freer), on a pale
 * backing so a data line crossing them does not hide them. `offset` moves the lines off the hour (bar
 * charts put them at -0.5, between bars, where the hour's window begins).
 */
export const markerLines = (
  markers: readonly RunMarker[],
  { labelAt = 'top', offset = 0 }: { labelAt?: 'top' | 'bottom'; offset?: number } = {},
): MarkLineComponentOption => ({
  silent: true,
  symbol: 'none',
  animation: false,
  data: markers.map((m) => ({
    name: `${m.label} (h${m.hour})`,
    xAxis: m.hour + offset,
    lineStyle: { color: MARKER_COLORS[m.kind], type: 'dashed', width: 1.5 },
    label: {
      formatter: '{b}',
      position: labelAt === 'top' ? 'insideEndTop' : 'insideStartTop',
      color: MARKER_COLORS[m.kind],
      fontSize: 10,
      backgroundColor: 'rgba(255,255,255,0.85)',
      padding: [1, 3],
    },
  })),
});

/** The largest hour the time charts must show. */
export const lastHour = (hours: number, windowHours: readonly number[]): number =>
  Math.max(hours - 1, ...windowHours, 0);

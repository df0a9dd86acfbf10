import type { EChartsOption } from 'echarts';

/**
 * One chart of the report: the page finds its container by `data-chart="<id>"` and hands `option` to
 * ECharts unchanged. Options are plain JSON (no formatter functions) because they travel inside a
 * `<script type="application/json">` element.
 */
export interface ChartSpec {
  readonly id: string;
  readonly option: EChartsOption;
}

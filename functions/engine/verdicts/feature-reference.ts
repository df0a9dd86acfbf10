import type { FeatureSummary } from '../baseline/feature-summary.ts';
import { DEFAULT_KLL_K } from '../sketch/kll-sketch.ts';
import type { WeightedSample } from '../stats/weighted-sample.ts';
import { dkwMargin, kllRankError, totalVariationMargin } from './rank-error.ts';

/**
 * What sequential verdicts compare a feature's windows with: the reference distribution on a fixed set of
 * cells. Numbers: the cells between the baseline's quantiles (`edges`, ascending; cell c holds
 * (edges[c-1], edges[c]], the last cell everything above), so the reference probability of every set the
 * witness may pick is read off exactly. Categories: the baseline's most frequent values, one cell each, and
 * one cell for every other value. `margin` bounds how far the reference itself may be from the population
 * it was drawn from (sampling and sketch error), except with the configured small risk.
 */
export interface FeatureReference {
  readonly name: string;
  readonly kind: 'numerical' | 'categorical';
  /** numerical: the inner cell edges, ascending */
  readonly edges: readonly number[];
  /** categorical: the named cells; the last cell is every other value */
  readonly categories: readonly string[];
  /** reference probability of each cell, summing to 1 */
  readonly probabilities: readonly number[];
  /** rows the reference was built from */
  readonly rows: number;
  readonly margin: number;
}

/** quantile cells of a numerical reference: 32 gives witness sets every ~3% of the reference's mass */
export const NUMERIC_CELLS = 32;
/** named cells of a categorical reference; rarer values share the last cell */
export const CATEGORY_CELLS = 64;

export interface ReferenceOptions {
  /** probability that the reference's sampling error exceeds `margin` */
  readonly risk: number;
  /** @default NUMERIC_CELLS */
  readonly numericCells?: number;
  /** @default CATEGORY_CELLS */
  readonly categoryCells?: number;
  /** k of the baseline's KLL sketch; @default 2048 (Model Monitor's) */
  readonly sketchK?: number;
}

const totalWeight = (sample: WeightedSample): number => {
  let total = 0;
  for (let i = 0; i < sample.weights.length; i++) total += sample.weights[i]!;
  return total;
};

/** the distinct quantiles of the sample at levels 1/cells .. (cells-1)/cells, below its maximum */
const quantileEdges = (sample: WeightedSample, cells: number): number[] => {
  const total = totalWeight(sample);
  const edges: number[] = [];
  let cumulative = 0;
  let level = 1;
  const last = sample.values[sample.values.length - 1]!;
  for (let i = 0; i < sample.values.length && level < cells; i++) {
    cumulative += sample.weights[i]!;
    const value = sample.values[i]!;
    if (cumulative >= (level / cells) * total) {
      if (value < last && (edges.length === 0 || value > edges[edges.length - 1]!)) edges.push(value);
      while (level < cells && cumulative >= (level / cells) * total) level += 1;
    }
  }
  return edges;
};

/**
 * The share of a weighted sample in each cell of `edges` (cell c = (edges[c-1], edges[c]]), in one merge pass.
 * Returns edges.length + 1 fractions of `scale` (e.g. the number of rows the sample stands for).
 */
export const cellShares = (sample: WeightedSample, edges: readonly number[], scale: number): number[] => {
  const cells = new Array<number>(edges.length + 1).fill(0);
  const total = totalWeight(sample);
  if (total === 0) return cells;
  let c = 0;
  for (let i = 0; i < sample.values.length; i++) {
    const value = sample.values[i]!;
    while (c < edges.length && value > edges[c]!) c += 1;
    cells[c]! += sample.weights[i]!;
  }
  return cells.map((w) => (w / total) * scale);
};

/** the most frequent categories, most frequent first, ties by name so the cells never depend on map order */
const topCategories = (counts: ReadonlyMap<string, number>, limit: number): string[] =>
  [...counts.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([name]) => name);

/** counts per cell of a categorical window (named cells, then every other value) */
export const categoryCells = (
  categories: readonly string[],
  counts: ReadonlyMap<string, number>,
  other: number,
): number[] => {
  const index = new Map(categories.map((name, i) => [name, i]));
  const cells = new Array<number>(categories.length + 1).fill(0);
  for (const [name, n] of counts) cells[index.get(name) ?? categories.length]! += n;
  cells[categories.length]! += other;
  return cells;
};

/** Whether a baseline feature can be judged sequentially: typed, with values. */
export const isReferenceable = (base: FeatureSummary): boolean =>
  base.inferredType === 'Integral' || base.inferredType === 'Fractional'
    ? (base.numeric?.count ?? 0) > 0
    : base.inferredType === 'String' && base.present > 0 && base.categories !== undefined;

/** The reference of one baseline feature, or undefined when it has nothing to compare with. */
export const featureReference = (
  base: FeatureSummary,
  options: ReferenceOptions,
): FeatureReference | undefined => {
  if (!isReferenceable(base)) return undefined;
  if (base.inferredType === 'Integral' || base.inferredType === 'Fractional') {
    const numeric = base.numeric!;
    const edges = quantileEdges(numeric.sample, options.numericCells ?? NUMERIC_CELLS);
    const sketchError = numeric.exact ? 0 : kllRankError(options.sketchK ?? DEFAULT_KLL_K);
    return {
      name: base.name,
      kind: 'numerical',
      edges,
      categories: [],
      probabilities: cellShares(numeric.sample, edges, 1),
      rows: numeric.count,
      margin: sketchError + dkwMargin(numeric.count, options.risk),
    };
  }
  const summary = base.categories!;
  const categories = topCategories(summary.counts, options.categoryCells ?? CATEGORY_CELLS);
  const cells = categoryCells(categories, summary.counts, summary.other);
  const total = cells.reduce((a, b) => a + b, 0);
  return {
    name: base.name,
    kind: 'categorical',
    edges: [],
    categories,
    probabilities: cells.map((n) => n / total),
    rows: total,
    margin: totalVariationMargin(total, cells.length, options.risk),
  };
};

/** The window's counts per reference cell for one feature: `rows` values, `counts` summing to it. */
export interface WindowCells {
  readonly rows: number;
  readonly counts: readonly number[];
}

/** The window's counts in the reference's cells; rows 0 when the window has no value of the feature. */
export const windowCells = (
  reference: FeatureReference,
  current: FeatureSummary | undefined,
): WindowCells => {
  const cellCount =
    reference.kind === 'numerical' ? reference.edges.length + 1 : reference.categories.length + 1;
  const empty = { rows: 0, counts: new Array<number>(cellCount).fill(0) };
  if (!current) return empty;
  if (reference.kind === 'numerical') {
    const numeric = current.numeric;
    if (!numeric || numeric.count === 0) return empty;
    return { rows: numeric.count, counts: cellShares(numeric.sample, reference.edges, numeric.count) };
  }
  const categories = current.categories;
  if (!categories) return empty;
  const counts = categoryCells(reference.categories, categories.counts, categories.other);
  const rows = counts.reduce((a, b) => a + b, 0);
  return rows === 0 ? empty : { rows, counts };
};

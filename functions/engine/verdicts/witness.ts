import type { FeatureReference } from './feature-reference.ts';

/**
 * The witness: the set of cells on which the recent windows' distribution exceeds what the reference expected
 * for them most (with a seasonal reference each window expects its own slots' mixture). It is
 * computed from past windows only (predictable), so betting on it is fair under the null whatever it picks.
 *
 * Numbers: the half-lines {x <= e} and {x > e} over the reference's edges, i.e. the Kolmogorov–Smirnov
 * witness restricted to the cell edges. Categories: the categories more frequent than in the reference,
 * the set on which total variation is attained.
 */
export interface WitnessSet {
  /** one flag per cell: in the set or not */
  readonly cells: readonly boolean[];
  /** the recent windows' share of the set minus the share the reference expected */
  readonly gap: number;
  /** in words, for the report: `x <= 3.2`, `x > 3.2`, `in {a, b}` */
  readonly description: string;
}

const formatEdge = (x: number): string =>
  Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));

/**
 * The witness of the recent (exponentially weighted) counts against what the reference expected for the same
 * windows, or undefined while there are none.
 */
export const pickWitness = (
  reference: FeatureReference,
  expected: readonly number[],
  recent: readonly number[],
): WitnessSet | undefined => {
  const cells = expected.length;
  let total = 0;
  let expectedTotal = 0;
  for (let c = 0; c < cells; c++) {
    total += recent[c]!;
    expectedTotal += expected[c]!;
  }
  if (!(total > 0 && expectedTotal > 0)) return undefined;
  const flags = new Array<boolean>(cells);
  if (reference.kind === 'numerical') {
    let bestJ = -1;
    let bestSign = 1;
    let bestGap = Number.NEGATIVE_INFINITY;
    let recentCdf = 0;
    let referenceCdf = 0;
    // prefix j: cells 0..j, i.e. x <= edges[j]
    for (let j = 0; j < cells - 1; j++) {
      recentCdf += recent[j]! / total;
      referenceCdf += expected[j]! / expectedTotal;
      const below = recentCdf - referenceCdf;
      if (below > bestGap) {
        bestJ = j;
        bestSign = 1;
        bestGap = below;
      }
      if (-below > bestGap) {
        bestJ = j;
        bestSign = -1;
        bestGap = -below;
      }
    }
    if (bestJ < 0) return undefined;
    for (let c = 0; c < cells; c++) flags[c] = bestSign === 1 ? c <= bestJ : c > bestJ;
    const edge = formatEdge(reference.edges[bestJ]!);
    return {
      cells: flags,
      gap: bestGap,
      description: bestSign === 1 ? `x <= ${edge}` : `x > ${edge}`,
    };
  }
  let gap = 0;
  const names: string[] = [];
  for (let c = 0; c < cells; c++) {
    const p = expected[c]! / expectedTotal;
    flags[c] = recent[c]! / total > p;
    if (!flags[c]) continue;
    gap += recent[c]! / total - p;
    names.push(c < reference.categories.length ? JSON.stringify(reference.categories[c]) : '(other)');
  }
  if (names.length === 0) return undefined;
  return {
    cells: flags,
    gap,
    description: `in {${names.slice(0, 5).join(', ')}${names.length > 5 ? `, +${names.length - 5} more` : ''}}`,
  };
};

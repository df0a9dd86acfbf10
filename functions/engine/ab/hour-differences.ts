/**
 * Pairs two A/B variants' labelled records of one hour into differences with mean exactly loss(B) − loss(A).
 * The smaller arm's records are taken one by one; the larger arm's are cut, in arrival order, into as many
 * consecutive groups (sizes differing by at most one), and each difference is the group's mean loss against
 * the one record: d_j = mean(B_j) − mean(A_j), in [−1, 1]. Every record is used, whatever the traffic split,
 * and pairs never reach across hours, so error rates that move with the hour (a shared daily pattern, a busy
 * evening) cancel out of d instead of biasing it. The groups depend only on the counts, never on the losses,
 * so the pairs are independent when the hour's records are (the caveat of any record-level test: duplicated
 * or bursty records within an hour make the evidence overconfident).
 */
export const hourDifferences = (lossesA: readonly number[], lossesB: readonly number[]): number[] => {
  const pairs = Math.min(lossesA.length, lossesB.length);
  const differences: number[] = [];
  for (let j = 0; j < pairs; j++) {
    differences.push(groupMean(lossesB, j, pairs) - groupMean(lossesA, j, pairs));
  }
  return differences;
};

/** the mean of the j-th of `groups` consecutive groups of `values` */
const groupMean = (values: readonly number[], j: number, groups: number): number => {
  const from = Math.floor((j * values.length) / groups);
  const to = Math.floor(((j + 1) * values.length) / groups);
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  return sum / (to - from);
};

/**
 * Decisions across m features, each with its own e-process. Repeated looks need no correction (each
 * e-process is valid at any stopping time); only the number of features does.
 */

/** Family-wise, under any dependence and for all time: feature j alarms when its evidence reaches m/α. */
export const familyWiseAlarms = (evidence: readonly number[], alpha: number): boolean[] => {
  const threshold = evidence.length / alpha;
  return evidence.map((e) => e >= threshold);
};

/**
 * e-BH (Wang & Ramdas 2022, "False discovery rate control with e-values"): with the evidence sorted
 * descending, reject the k* largest where k* = max{k : E_(k) >= m/(α k)}. The false discovery rate is at
 * most α under any dependence between the features. Returns one flag per feature, in input order.
 */
export const eBenjaminiHochberg = (evidence: readonly number[], alpha: number): boolean[] => {
  const m = evidence.length;
  const order = evidence.map((_, i) => i).sort((a, b) => evidence[b]! - evidence[a]! || a - b);
  let rejected = 0;
  for (let k = 1; k <= m; k++) if (evidence[order[k - 1]!]! >= m / (alpha * k)) rejected = k;
  const flags = new Array<boolean>(m).fill(false);
  for (let k = 0; k < rejected; k++) flags[order[k]!] = true;
  return flags;
};

/**
 * An adjuster for running maxima: A(M) = sqrt(M) − 1 (∫_1^∞ A(x)/x² dx = 1), which turns the running
 * maximum of a test martingale into an e-value. e-BH on running maxima themselves can exceed its target
 * (Tavyrikov, Goeman & de Heide 2025); on adjusted maxima it keeps it, so alarms that stay on once raised
 * are still controlled.
 */
export const adjustRunningMaximum = (maximum: number): number => Math.max(0, Math.sqrt(maximum) - 1);

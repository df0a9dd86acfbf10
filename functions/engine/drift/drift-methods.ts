/** The drift methods model-care computes; the report names the one that decided each feature. */
export type DriftMethod = 'ks' | 'wasserstein' | 'psi' | 'jensenshannon' | 'kl' | 'chisquare' | 'linf';
export type MethodChoice = DriftMethod | 'auto';

export const DRIFT_METHODS: readonly DriftMethod[] = [
  'ks',
  'wasserstein',
  'psi',
  'jensenshannon',
  'kl',
  'chisquare',
  'linf',
];

export type FeatureKind = 'numerical' | 'categorical';

/** Which methods apply to which kind of feature. */
export const METHODS_FOR: Record<FeatureKind, readonly DriftMethod[]> = {
  numerical: ['ks', 'wasserstein', 'psi', 'jensenshannon', 'kl'],
  categorical: ['chisquare', 'linf', 'jensenshannon', 'psi'],
};

/** Methods that decide by a p-value below the threshold; the rest by a distance above it. */
export const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chisquare']);

/**
 * Default thresholds, the ones Evidently uses (so results compare), with Model Monitor's 0.1 for the
 * L-infinity distance. Wasserstein is judged normalised by the baseline's standard deviation.
 */
export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = {
  ks: 0.05,
  chisquare: 0.05,
  wasserstein: 0.1,
  psi: 0.1,
  jensenshannon: 0.1,
  kl: 0.1,
  linf: 0.1,
};

/**
 * Up to this many values on the smaller side, `auto` uses a statistical test (KS, chi-square); beyond it,
 * an effect size (normalised Wasserstein, Jensen–Shannon). With hundreds of thousands of rows every test
 * rejects the null hypothesis for differences nobody cares about, so a p-value stops meaning "drift".
 */
export const AUTO_TEST_MAX_SAMPLES = 1000;

/** Below this many values in either sample a feature's drift is reported but not judged. */
export const DEFAULT_MIN_SAMPLES = 30;

/** Share of drifted features at or above which the dataset as a whole counts as drifted (Evidently's 0.5). */
export const DEFAULT_DATASET_DRIFT_SHARE = 0.5;

/** Picks the method for `auto`, with the reason shown in the report. */
export const chooseMethod = (
  kind: FeatureKind,
  baselineCount: number,
  currentCount: number,
): { method: DriftMethod; reason: string } => {
  const smaller = Math.min(baselineCount, currentCount);
  if (smaller <= AUTO_TEST_MAX_SAMPLES) {
    return kind === 'numerical'
      ? { method: 'ks', reason: `${smaller} <= ${AUTO_TEST_MAX_SAMPLES} values: two-sample KS test` }
      : { method: 'chisquare', reason: `${smaller} <= ${AUTO_TEST_MAX_SAMPLES} values: chi-square test` };
  }
  return kind === 'numerical'
    ? {
        method: 'wasserstein',
        reason: `${smaller} > ${AUTO_TEST_MAX_SAMPLES} values: effect size (Wasserstein / std)`,
      }
    : {
        method: 'jensenshannon',
        reason: `${smaller} > ${AUTO_TEST_MAX_SAMPLES} values: effect size (Jensen–Shannon)`,
      };
};

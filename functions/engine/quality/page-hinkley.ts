import {
  type DetectorUpdate,
  type DriftDetector,
  infinityAsNull,
  isNonNegativeInteger,
  requireDetectorInput,
  StateReader,
} from './detector-state.ts';

export type PageHinkleyMode = 'up' | 'down' | 'both';
const MODES: readonly PageHinkleyMode[] = ['up', 'down', 'both'];

export interface PageHinkleyOptions {
  /** values seen before any test @default 30 */
  readonly minInstances?: number;
  /** magnitude of change tolerated @default 0.005 */
  readonly delta?: number;
  /** drift when a cumulative deviation exceeds it (lambda) @default 50 */
  readonly threshold?: number;
  /** forgetting factor of the cumulative sums @default 1 - 0.0001 */
  readonly alpha?: number;
  /** watch increases, decreases or both of the mean @default 'both' */
  readonly mode?: PageHinkleyMode;
}

export interface PageHinkleyState {
  kind: 'page-hinkley';
  version: 1;
  minInstances: number;
  delta: number;
  threshold: number;
  alpha: number;
  mode: PageHinkleyMode;
  driftDetected: boolean;
  n: number;
  mean: number;
  sumIncrease: number;
  sumDecrease: number;
  /** null stands for +Infinity (nothing recorded yet) */
  minIncrease: number | null;
  maxDecrease: number;
}

/**
 * The Page-Hinkley test (Page 1954), ported from river 0.21/0.22 (`drift/page_hinkley.py`) with river's
 * defaults, and checked against a Python port of that source, including river's docstring example (one
 * detection, at index 1006).
 *
 * It keeps fading cumulative sums of (x - running mean -/+ delta) and reports drift when one strays more
 * than `threshold` from its extreme. The threshold is in the units of the data: 50 suits error
 * indicators or errors of small variance; on a stream with standard deviation 1 these defaults raise
 * false alarms every few thousand values (seen in our stationary Gaussian references), so scale the
 * input or raise the threshold there. As in river, `maxDecrease` starts at -1, and the value after a
 * drift starts afresh.
 */
export class PageHinkley implements DriftDetector {
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: PageHinkleyMode;
  private driftDetected = false;
  private n = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Number.POSITIVE_INFINITY;
  private maxDecrease = -1;

  constructor(options: PageHinkleyOptions = {}) {
    this.minInstances = options.minInstances ?? 30;
    this.delta = options.delta ?? 0.005;
    this.threshold = options.threshold ?? 50;
    this.alpha = options.alpha ?? 1 - 0.0001;
    this.mode = options.mode ?? 'both';
  }

  /** Adds one value. */
  update(x: number): DetectorUpdate {
    requireDetectorInput(x);
    if (this.driftDetected) this.reset();
    this.n += 1;
    this.mean += (x - this.mean) / this.n;
    const dev = x - this.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + dev - this.delta;
    this.sumDecrease = this.alpha * this.sumDecrease + dev + this.delta;
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;
    if (this.n >= this.minInstances) {
      const up = this.sumIncrease - this.minIncrease > this.threshold;
      const down = this.maxDecrease - this.sumDecrease > this.threshold;
      this.driftDetected = this.mode === 'up' ? up : this.mode === 'down' ? down : up || down;
    }
    return { drift: this.driftDetected };
  }

  private reset(): void {
    this.driftDetected = false;
    this.n = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Number.POSITIVE_INFINITY;
    this.maxDecrease = -1;
  }

  /** Plain JSON state; `PageHinkley.fromJSON` continues exactly from it. */
  toJSON(): PageHinkleyState {
    return {
      kind: 'page-hinkley',
      version: 1,
      minInstances: this.minInstances,
      delta: this.delta,
      threshold: this.threshold,
      alpha: this.alpha,
      mode: this.mode,
      driftDetected: this.driftDetected,
      n: this.n,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      sumDecrease: this.sumDecrease,
      minIncrease: infinityAsNull(this.minIncrease),
      maxDecrease: this.maxDecrease,
    };
  }

  /** Restores a detector from `toJSON()` output; throws InputError on a malformed state. */
  static fromJSON(json: unknown): PageHinkley {
    const s = new StateReader(json, 'page-hinkley', 1);
    const detector = new PageHinkley({
      minInstances: s.number('minInstances', isNonNegativeInteger),
      delta: s.number('delta'),
      threshold: s.number('threshold'),
      alpha: s.number('alpha'),
      mode: s.string('mode', MODES) as PageHinkleyMode,
    });
    detector.driftDetected = s.boolean('driftDetected');
    detector.n = s.number('n', isNonNegativeInteger);
    detector.mean = s.number('mean');
    detector.sumIncrease = s.number('sumIncrease');
    detector.sumDecrease = s.number('sumDecrease');
    detector.minIncrease = s.numberOrInfinity('minIncrease');
    detector.maxDecrease = s.number('maxDecrease');
    return detector;
  }
}

import { InputError } from '../errors.ts';
import {
  type DetectorUpdate,
  type DriftDetector,
  infinityAsNull,
  isNonNegativeInteger,
  StateReader,
} from './detector-state.ts';

export interface DdmOptions {
  /** values seen before any test @default 30 */
  readonly warmStart?: number;
  /** warning when p + s > p_min + warningThreshold * s_min @default 2.0 */
  readonly warningThreshold?: number;
  /** drift when p + s > p_min + driftThreshold * s_min @default 3.0 */
  readonly driftThreshold?: number;
}

export interface DdmState {
  kind: 'ddm';
  version: 1;
  warmStart: number;
  warningThreshold: number;
  driftThreshold: number;
  driftDetected: boolean;
  warningDetected: boolean;
  n: number;
  mean: number;
  /** null stands for +Infinity (nothing recorded yet) */
  pMin: number | null;
  sMin: number | null;
  psMin: number | null;
}

/**
 * DDM, the Drift Detection Method (Gama et al. 2004), ported from river 0.21/0.22
 * (`drift/binary/ddm.py`) with river's defaults, and checked against a Python port of that source,
 * including river's docstring example (warning at 1084, drift at 1334, warning at 1492).
 *
 * Input is a binary error stream: 1 when the model was wrong, 0 when right. With p the running error
 * rate and s = sqrt(p(1 - p)/n), it remembers the (p, s) where p + s was lowest and reports a warning or
 * a drift when p + s rises 2 or 3 of those s above that p. As in river, the value after a drift starts
 * afresh. Known behaviour of these defaults: an early lucky run can set p_min low and cause a false
 * alarm in the first few hundred values (seen on one of our seeded 10%-error streams, at index 176).
 */
export class Ddm implements DriftDetector {
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;
  private driftDetected = false;
  private warningDetected = false;
  private n = 0;
  private mean = 0;
  private pMin = Number.POSITIVE_INFINITY;
  private sMin = Number.POSITIVE_INFINITY;
  private psMin = Number.POSITIVE_INFINITY;

  constructor(options: DdmOptions = {}) {
    this.warmStart = options.warmStart ?? 30;
    this.warningThreshold = options.warningThreshold ?? 2.0;
    this.driftThreshold = options.driftThreshold ?? 3.0;
  }

  /** Adds one error indicator (0/1 or false/true). */
  update(x: number | boolean): DetectorUpdate {
    const error = x === true ? 1 : x === false ? 0 : x;
    if (error !== 0 && error !== 1) {
      throw new InputError({ file: '<detector input>', field: 'x' }, `DDM expects 0 or 1, got ${String(x)}`);
    }
    if (this.driftDetected) this.reset();
    // river's stats.Mean: n counts weights, the mean moves by w * (x - mean) / n with w = 1
    this.n += 1;
    this.mean += (error - this.mean) / this.n;
    const p = this.mean;
    const s = Math.sqrt((p * (1 - p)) / this.n);
    if (this.n > this.warmStart) {
      if (p + s <= this.psMin) {
        this.pMin = p;
        this.sMin = s;
        this.psMin = this.pMin + this.sMin;
      }
      this.warningDetected = p + s > this.pMin + this.warningThreshold * this.sMin;
      if (p + s > this.pMin + this.driftThreshold * this.sMin) {
        this.driftDetected = true;
        this.warningDetected = false;
      }
    }
    return { drift: this.driftDetected, warning: this.warningDetected };
  }

  private reset(): void {
    this.driftDetected = false;
    this.warningDetected = false;
    this.n = 0;
    this.mean = 0;
    this.pMin = Number.POSITIVE_INFINITY;
    this.sMin = Number.POSITIVE_INFINITY;
    this.psMin = Number.POSITIVE_INFINITY;
  }

  /** Plain JSON state; `Ddm.fromJSON` continues exactly from it. */
  toJSON(): DdmState {
    return {
      kind: 'ddm',
      version: 1,
      warmStart: this.warmStart,
      warningThreshold: this.warningThreshold,
      driftThreshold: this.driftThreshold,
      driftDetected: this.driftDetected,
      warningDetected: this.warningDetected,
      n: this.n,
      mean: this.mean,
      pMin: infinityAsNull(this.pMin),
      sMin: infinityAsNull(this.sMin),
      psMin: infinityAsNull(this.psMin),
    };
  }

  /** Restores a detector from `toJSON()` output; throws InputError on a malformed state. */
  static fromJSON(json: unknown): Ddm {
    const s = new StateReader(json, 'ddm', 1);
    const detector = new Ddm({
      warmStart: s.number('warmStart', isNonNegativeInteger),
      warningThreshold: s.number('warningThreshold'),
      driftThreshold: s.number('driftThreshold'),
    });
    detector.driftDetected = s.boolean('driftDetected');
    detector.warningDetected = s.boolean('warningDetected');
    detector.n = s.number('n', isNonNegativeInteger);
    detector.mean = s.number('mean', (x) => x >= 0 && x <= 1);
    detector.pMin = s.numberOrInfinity('pMin');
    detector.sMin = s.numberOrInfinity('sMin');
    detector.psMin = s.numberOrInfinity('psMin');
    return detector;
  }
}

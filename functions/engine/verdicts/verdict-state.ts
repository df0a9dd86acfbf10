import { z } from 'zod';
import { InputError } from '../errors.ts';
import { type FeatureEvidenceState, freshFeatureEvidence } from './feature-evidence.ts';

/**
 * The persisted state of one feature's sequential verdict, as plain JSON that round-trips exactly: stored per
 * (model, feature) between data-job runs, and kept in memory by the backtest. It names the reference it was
 * built against; a state of another reference (a new baseline, a retrained model) is never continued.
 */
export interface FeatureVerdictState {
  readonly formatVersion: 1;
  readonly feature: string;
  /** the reference (baseline and settings) the evidence is against */
  readonly reference: string;
  /** the order key of the last window fed; a window at or before it is not fed again */
  readonly lastWindow: string | null;
  readonly evidence: FeatureEvidenceState;
  /** the window at which the feature first alarmed against this reference */
  readonly alarmedSince: string | null;
  /** Shiryaev–Roberts alarms so far (the detector restarts after each) */
  readonly alarms: number;
  /** slot-mix pseudo-feature only: rows per slot of the cycle in progress */
  readonly cycle?: { readonly index: number; readonly rows: number[] } | null;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const nonNegative = finite.refine((x) => x >= 0, 'must be >= 0');

const evidenceSchema = z.object({
  cells: z.number().int().positive(),
  lanes: z
    .array(
      z.object({
        recent: z.array(nonNegative),
        expected: z.array(nonNegative),
        bet: z.object({ lambda: nonNegative, curvature: finite.refine((x) => x >= 1, 'must be >= 1') }),
      }),
    )
    .min(1),
  logWealth: finite,
  maxLogWealth: finite,
  detector: z.array(nonNegative),
  windows: z.number().int().nonnegative(),
});

const stateSchema = z.object({
  formatVersion: z.literal(1),
  feature: z.string(),
  reference: z.string(),
  lastWindow: z.string().nullable(),
  evidence: evidenceSchema,
  alarmedSince: z.string().nullable(),
  alarms: z.number().int().nonnegative(),
  cycle: z
    .object({ index: z.number().int(), rows: z.array(nonNegative) })
    .nullable()
    .optional(),
});

export const freshFeatureVerdict = (
  feature: string,
  reference: string,
  cells: number,
  lanes = 1,
): FeatureVerdictState => ({
  formatVersion: 1,
  feature,
  reference,
  lastWindow: null,
  evidence: freshFeatureEvidence(cells, lanes),
  alarmedSince: null,
  alarms: 0,
});

/**
 * Reads a stored state. A damaged state fails with an InputError naming the field: it is never silently
 * restarted, as that would hide evidence already gathered.
 */
export const parseFeatureVerdictState = (json: unknown, source: string): FeatureVerdictState => {
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError({ file: source, field: issue.path.join('.') || undefined }, issue.message);
  }
  const state = parsed.data;
  const { evidence } = state;
  evidence.lanes.forEach((lane, i) => {
    for (const field of ['recent', 'expected'] as const) {
      if (lane[field].length !== evidence.cells) {
        throw new InputError(
          { file: source, field: `evidence.lanes.${i}.${field}` },
          `holds ${lane[field].length} cells, the state says ${evidence.cells}`,
        );
      }
    }
  });
  return state as FeatureVerdictState;
};

import { z } from 'zod';
import type { DetectorStateRepository } from '../adapters/detector-state-repository.ts';
import { type ErrorEvidenceState, freshErrorEvidence } from '../engine/verdicts/error-evidence.ts';
import { HARM_STATE_NAME } from '../shared/verdict-context.ts';

/**
 * The model's harm evidence, kept by the quality job in one state item and read by the data job to grade drift:
 * the error e-process against θ (labels), the e-process of the label-free estimate (unconfirmed), and whether
 * the latest quality run failed its constraints. It belongs to one reference version: after retraining (a new
 * baseline version) it starts afresh.
 */
export interface HarmState {
  readonly formatVersion: 1;
  /** the baseline version (the model version it was built for) */
  readonly version: number;
  /** θ and where it came from; null during the burn-in */
  readonly tolerance: { readonly theta: number; readonly source: string } | null;
  /** labelled predictions and errors gathered to set θ when nothing else does */
  readonly burnIn: { readonly n: number; readonly errors: number };
  readonly error: ErrorEvidenceState;
  readonly estimate: ErrorEvidenceState;
  readonly confirmedSince: string | null;
  readonly estimatedSince: string | null;
  /** the latest quality run failed a model-quality constraint */
  readonly measured: boolean;
}

const evidence = z.object({
  logWealth: z.number(),
  maxLogWealth: z.number(),
  recent: z.array(z.object({ n: z.number(), sum: z.number(), squares: z.number() })),
  labelled: z.number(),
  batches: z.number().int(),
});

const schema = z.object({
  formatVersion: z.literal(1),
  version: z.number().int().nonnegative(),
  tolerance: z.object({ theta: z.number().gt(0).lt(1), source: z.string() }).nullable(),
  burnIn: z.object({ n: z.number().nonnegative(), errors: z.number().nonnegative() }),
  error: evidence,
  estimate: evidence,
  confirmedSince: z.string().nullable(),
  estimatedSince: z.string().nullable(),
  measured: z.boolean(),
});

export const freshHarmState = (version: number): HarmState => ({
  formatVersion: 1,
  version,
  tolerance: null,
  burnIn: { n: 0, errors: 0 },
  error: freshErrorEvidence(),
  estimate: freshErrorEvidence(),
  confirmedSince: null,
  estimatedSince: null,
  measured: false,
});

/** The stored harm state (with its item version for a conditional save), or undefined; unreadable is an error. */
export const loadHarmState = async (
  repository: DetectorStateRepository,
  model: string,
): Promise<{ state: HarmState; itemVersion: number } | undefined> => {
  const stored = await repository.load(model, HARM_STATE_NAME);
  if (!stored) return undefined;
  const parsed = schema.safeParse(JSON.parse(stored.stateJson));
  if (!parsed.success) {
    throw new Error(
      `the harm state of ${model} is unreadable (${parsed.error.issues[0]?.message ?? 'invalid'}); delete the state item ` +
        `DETECTOR#${model}#${HARM_STATE_NAME} to start it afresh`,
    );
  }
  return { state: parsed.data, itemVersion: stored.version };
};

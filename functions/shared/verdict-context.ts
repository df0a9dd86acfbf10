import { z } from 'zod';

/**
 * What a monitoring run knows about evidence and harm when it reports violations, carried in its
 * `Monitoring Violations Detected` event so the alert router grades drift by harm (issue 12, item 6).
 */
export interface VerdictContext {
  /** a feature's sequential drift evidence has alarmed against the current reference */
  readonly driftEvidence: boolean;
  /** the label-free estimate says the error exceeds the tolerance (unconfirmed) */
  readonly estimatedLoss: boolean;
  /** labels confirm a loss: the error e-process alarmed, or quality constraints failed in the latest quality run */
  readonly confirmedLoss: boolean;
  /** the error e-process alarmed: the error provably exceeds the holdout error plus the tolerance */
  readonly confirmedHarm: boolean;
}

export const verdictContextSchema = z.object({
  driftEvidence: z.boolean(),
  estimatedLoss: z.boolean(),
  confirmedLoss: z.boolean(),
  confirmedHarm: z.boolean(),
});

export const NO_EVIDENCE: VerdictContext = {
  driftEvidence: false,
  estimatedLoss: false,
  confirmedLoss: false,
  confirmedHarm: false,
};

/** detector-state item names (DetectorStateRepository) of the verdicts' state */
export const verdictStateName = (feature: string): string => `verdict#${feature}`;
export const HARM_STATE_NAME = 'verdict-harm';

/**
 * Evidence within what the metric series (DynamoDB's document client takes numbers up to 2^53) and CloudWatch
 * hold: it grows or shrinks exponentially, far past both; beyond 1e15 the alarm line is long crossed, below
 * 1e-100 it is nothing.
 */
export const storableEvidence = (x: number): number => (x < 1e-100 ? 0 : Math.min(x, 1e15));

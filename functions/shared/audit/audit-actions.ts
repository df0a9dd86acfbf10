import * as z from 'zod';

/**
 * What can happen to a model, with the shape of the state before and after each action. The audit log
 * refuses an entry whose before/after does not match its action, so every recording point writes the same
 * shapes (docs/audit.md lists them for people). Add actions and optional fields; never rename either: old
 * entries must keep reading, and their hashes cover exactly what was written.
 */

const version = z.number().int().nonnegative();
const instant = z.iso.datetime({ offset: true });
const text = z.string().min(1).max(2048);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

const baselineState = z.strictObject({
  /** the registry version the baseline belongs to; 0 for a model without registered versions */
  version,
  statisticsUri: text,
  constraintsUri: text,
  datasetUri: text.optional(),
  rows: z.number().int().nonnegative().optional(),
});
const configState = z.strictObject({ version: z.number().int().positive(), configHash: sha256 });
const championState = z.strictObject({ champion: z.number().int().positive().nullable() });
const trafficState = z.strictObject({
  endpoint: text,
  /** production variant name -> weight */
  weights: z.record(z.string().min(1).max(63), z.number().nonnegative().finite()),
});
const muteState = z.strictObject({ check: text, mutedUntil: instant.nullable() });

/** before/after of each action; `null` where there is no state on that side */
export const AUDIT_ACTION_SHAPES = {
  /** a baseline was created (before null) or replaced */
  'baseline.changed': { before: baselineState.nullable(), after: baselineState },
  /** a model's config (thresholds, schedules, recipients, ...) was stored: created (before null) or changed */
  'config.put': {
    before: configState.nullable(),
    after: configState.extend({ change: z.enum(['put', 'recreate']) }),
  },
  /** a model was removed from the fleet */
  'config.removed': { before: configState, after: z.null() },
  /** a retraining execution started */
  'retraining.started': {
    before: championState,
    after: z.strictObject({ execution: text, trigger: text }),
  },
  /** a person approved a challenger through the approval task token (principal = the approver) */
  'retraining.approved': {
    before: z.strictObject({
      execution: text,
      challenger: z.number().int().positive(),
      ...championState.shape,
    }),
    after: z.strictObject({ decision: z.literal('approved'), comment: z.string().max(2048).optional() }),
  },
  /** a person or the evaluation rejected a challenger */
  'retraining.rejected': {
    before: z.strictObject({
      execution: text,
      challenger: z.number().int().positive(),
      ...championState.shape,
    }),
    after: z.strictObject({ decision: z.literal('rejected'), comment: z.string().max(2048).optional() }),
  },
  /** a version became the champion (the endpoint now serves it) */
  'model.promoted': {
    before: championState,
    after: z.strictObject({ champion: z.number().int().positive(), execution: text.optional() }),
  },
  /** a failed promotion or a person put the previous champion back */
  'model.rolled-back': {
    before: championState,
    after: z.strictObject({ champion: z.number().int().positive().nullable(), execution: text.optional() }),
  },
  /** the traffic split between an endpoint's production variants changed */
  'traffic.shifted': { before: trafficState, after: trafficState },
  /** alerts of a check silenced until a time */
  'alert.muted': { before: muteState, after: muteState.extend({ mutedUntil: instant }) },
  /** a mute lifted before its end */
  'alert.unmuted': { before: muteState.extend({ mutedUntil: instant }), after: muteState },
  /** an on-call person took an alert */
  'alert.acknowledged': { before: z.null(), after: z.strictObject({ alertId: text, check: text }) },
  /** a capture object set aside as unreadable */
  'capture.quarantined': {
    before: z.strictObject({ key: text }),
    after: z.strictObject({ key: text, cause: text }),
  },
} as const satisfies Record<string, { before: z.ZodType; after: z.ZodType }>;

export type AuditAction = keyof typeof AUDIT_ACTION_SHAPES;

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_SHAPES) as AuditAction[];

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && Object.hasOwn(AUDIT_ACTION_SHAPES, value);

export type AuditBefore<A extends AuditAction> = z.input<(typeof AUDIT_ACTION_SHAPES)[A]['before']>;
export type AuditAfter<A extends AuditAction> = z.input<(typeof AUDIT_ACTION_SHAPES)[A]['after']>;

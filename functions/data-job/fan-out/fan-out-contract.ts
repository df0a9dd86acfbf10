import * as z from 'zod';
import { windowRangeSchema } from '../../handler-kit/job-event.ts';

/**
 * The payloads between the fan-out state machine's states (lib/constructs/window-fan-out.ts). Every state
 * carries the data job's own event (`model`, `trigger` with the window named in its detail), so each
 * handler parses it with `parseJobEvent` and arrives at the same window and run id as the data job.
 */

/** trigger.detail as the data job writes it when it fans out */
export const fanOutDetailSchema = z.looseObject({ model: z.string().optional(), window: windowRangeSchema });

export const byteRangeSchema = z.object({ start: z.number().int().min(0), end: z.number().int().min(0) });

export const fanOutPartSchema = z.object({
  n: z.number().int().min(0),
  key: z.string().min(1),
  range: byteRangeSchema.optional(),
});

/** one Map iteration's input: the envelope plus its part */
export const partInputSchema = z.looseObject({ part: fanOutPartSchema });

/**
 * One Map iteration's result: the key of the part's document (part-document.ts), or, when its worker failed
 * (timeout, crash, anything the Map's catch took), the error's name and the part. Causes stay in the
 * execution's history: the results travel in the state payload, whose limit is 256 KB.
 */
export const partResultSchema = z.union([
  z.object({ key: z.string().min(1) }),
  z.object({ failed: z.string(), part: fanOutPartSchema }),
]);
export type PartResult = z.output<typeof partResultSchema>;

/** the reducer's input: the envelope plus the Map's results, one per part in plan order */
export const reduceInputSchema = z.looseObject({ parts: z.array(partResultSchema) });

/**
 * The reducer's input when an earlier state failed (the state machine's catch, `ResultPath: $.failure`): the
 * reducer records the failed run and removes the parts written so far.
 */
export const failureInputSchema = z.looseObject({
  failure: z.object({ Error: z.string(), Cause: z.string().optional() }),
});

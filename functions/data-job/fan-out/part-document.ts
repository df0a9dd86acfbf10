import * as z from 'zod';
import type { ProfilePartJson } from '../../engine/profile/profile-parts.ts';
import { byteRangeSchema } from './fan-out-contract.ts';

/**
 * What a worker of a fanned-out window stores at `profiles/<model>/parts/<windowStart>/<n>.json`: the profile
 * of its part (the engine's ProfilePartJson), or why there is none — the part could not be read (the data's
 * fault: quarantined as the single pass would, unreadable-guard.ts permitting), or its object vanished (moved
 * since the plan). A worker only throws for faults that are not the data's; the state machine catches those.
 */

const malformedSchema = z.object({
  count: z.number().int().nonnegative(),
  samples: z.array(
    z.object({
      file: z.string(),
      line: z.number().optional(),
      field: z.string().optional(),
      reason: z.string(),
    }),
  ),
});

const where = { source: z.string().min(1), range: byteRangeSchema.optional() };

const profiledSchema = z.object({
  ...where,
  lines: z.number().int().nonnegative(),
  profile: z.looseObject({ columns: z.array(z.string()) }),
  malformed: malformedSchema,
});

const unreadableSchema = z.object({
  ...where,
  lines: z.number().int().nonnegative(),
  /** `reason` as quarantine records it; `symptom` without the file, to group causes */
  unreadable: z.object({ reason: z.string(), symptom: z.string() }),
  malformed: malformedSchema,
});

const vanishedSchema = z.object({ ...where, vanished: z.literal(true) });

export type UnreadablePart = z.output<typeof unreadableSchema>;
export type VanishedPart = z.output<typeof vanishedSchema>;
export type PartDocument = ProfilePartJson | UnreadablePart | VanishedPart;

export const isProfiled = (part: PartDocument): part is ProfilePartJson => 'profile' in part;
export const isUnreadable = (part: PartDocument): part is UnreadablePart => 'unreadable' in part;

/** a stored part parsed, never cast; the profile inside is checked by DatasetProfile.fromJSON when merged */
export const parsePartDocument = (value: unknown, key: string): PartDocument => {
  for (const schema of [profiledSchema, unreadableSchema, vanishedSchema]) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as PartDocument;
  }
  throw new Error(`fan-out part ${key} is not a part document`);
};

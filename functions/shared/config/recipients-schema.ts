import { z } from 'zod';

export const recipientsSchema = z.strictObject({
  emails: z.array(z.email('is not an email address')).default([]),
  /** E.164 phone numbers for SMS */
  sms: z
    .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'is not an E.164 phone number (+<country><number>)'))
    .default([]),
});
export type Recipients = z.output<typeof recipientsSchema>;

/** recipients per severity, for the operators (top level) and per model */
export const recipientsBySeverity = {
  info: recipientsSchema.optional(),
  warning: recipientsSchema.optional(),
  critical: recipientsSchema.optional(),
};

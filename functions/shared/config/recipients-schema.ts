import * as z from 'zod';
import { doc } from './zod-primitives.ts';

export const recipientsSchema = z.strictObject({
  emails: z.array(z.email('is not an email address')).default([]).meta(doc('email addresses')),
  sms: z
    .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'is not an E.164 phone number (+<country><number>)'))
    .default([])
    .meta(doc('phone numbers for SMS, E.164 (`+<country><number>`)')),
});
export type Recipients = z.output<typeof recipientsSchema>;

/** recipients per severity: `whose` says who they are, for the docs */
export const recipientsBySeverity = (whose: string) => ({
  info: recipientsSchema
    .optional()
    .meta(doc(`${whose}: \`{ "emails": [...], "sms": [...] }\` for info messages`)),
  warning: recipientsSchema.optional().meta(doc(`${whose}, for warnings`)),
  critical: recipientsSchema.optional().meta(doc(`${whose}, for critical messages`)),
});

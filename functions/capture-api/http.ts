import type { z } from 'zod';
import { describeIssue } from '../handler-kit/job-event.ts';
import type { FunctionUrlEvent, FunctionUrlResult, RecordPayload } from './capture-request.ts';
import { HttpError } from './http-error.ts';

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): FunctionUrlResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const bodyBytes = (event: FunctionUrlEvent): Buffer =>
  Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

export const parseBody = <T extends z.ZodType>(schema: T, event: FunctionUrlEvent): z.output<T> => {
  let value: unknown;
  try {
    value = JSON.parse(bodyBytes(event).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body: is not JSON');
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const tooMany = issue?.code === 'too_big' && issue.path.length === 1;
  throw new HttpError(tooMany ? 413 : 400, issue ? describeIssue('body', issue) : 'body: invalid');
};

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const payloadBytes = (payload: RecordPayload, field: string): Uint8Array => {
  if (payload.encoding === 'TEXT') return Buffer.from(payload.data, 'utf8');
  if (!STRICT_BASE64.test(payload.data)) throw new HttpError(400, `${field}.data: is not valid base64`);
  return Buffer.from(payload.data, 'base64');
};

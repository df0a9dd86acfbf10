import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from '../shared/telemetry.ts';

/** the part of Powertools' Logger the handlers use, so tests and the local runtime can pass their own */
export type HandlerLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export const makeLogger = (): Logger => new Logger({ serviceName: SERVICE_NAME });

/** the error's class and message for a log line, never its stack or payload */
export const errorSummary = (error: unknown): { errorName: string; errorMessage: string } =>
  error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorName: 'NonError', errorMessage: String(error) };

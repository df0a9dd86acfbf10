import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HandlerLogger } from '../../functions/handler-kit/handler-logger.ts';

/**
 * The handlers' logger, locally: structured lines into a file (what CloudWatch Logs would hold), so the
 * console stays a readable timeline. Warnings and errors are also counted for the run summary.
 */
export const makeFileLogger = (
  file: string,
  now: () => Date,
): HandlerLogger & { warnings: number; errors: number } => {
  mkdirSync(dirname(file), { recursive: true });
  const write = (level: string, message: unknown, extra: unknown[]) => {
    const fields = Object.assign({}, ...extra.filter((e) => e !== null && typeof e === 'object'));
    appendFileSync(file, `${JSON.stringify({ level, time: now().toISOString(), message, ...fields })}\n`);
  };
  const logger = {
    warnings: 0,
    errors: 0,
    debug: () => {},
    info: (message: unknown, ...extra: unknown[]) => write('INFO', message, extra),
    warn: (message: unknown, ...extra: unknown[]) => {
      logger.warnings += 1;
      write('WARN', message, extra);
    },
    error: (message: unknown, ...extra: unknown[]) => {
      logger.errors += 1;
      write('ERROR', message, extra);
    },
  };
  return logger as unknown as HandlerLogger & { warnings: number; errors: number };
};

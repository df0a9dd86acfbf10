import type { HandlerLogger } from '../../../../functions/handler-kit/handler-logger.ts';

/** a logger that keeps what it was told, for assertions, and prints nothing */
export const recordingLogger = (): HandlerLogger & {
  lines: { level: string; message: string; extra: unknown }[];
} => {
  const lines: { level: string; message: string; extra: unknown }[] = [];
  const at =
    (level: string) =>
    (message: unknown, ...extra: unknown[]) => {
      lines.push({ level, message: String(message), extra: extra[0] });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  } as unknown as HandlerLogger & { lines: { level: string; message: string; extra: unknown }[] };
};

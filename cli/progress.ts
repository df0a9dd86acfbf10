import { SingleBar } from 'cli-progress';

/** Only work that lasts longer than this gets a bar; quick runs stay quiet. */
const SHOW_AFTER_MS = 400;

export interface ProgressReporter {
  update(progress: { rows: number; sourcesDone: number; sourcesTotal: number }): void;
  stop(): void;
}

/**
 * A progress bar on stderr (stdout stays clean for `--json`), shown only on a terminal, only when the
 * work takes more than a moment, never with `--quiet`.
 */
export const createProgress = (quiet: boolean, label: string): ProgressReporter => {
  if (quiet || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const started = Date.now();
  let bar: SingleBar | undefined;
  return {
    update({ rows, sourcesDone, sourcesTotal }) {
      if (!bar) {
        if (Date.now() - started < SHOW_AFTER_MS) return;
        bar = new SingleBar({
          stream: process.stderr,
          format: `${label} [{bar}] {value}/{total} files | {rows} rows`,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(sourcesTotal, sourcesDone, { rows });
      }
      bar.update(sourcesDone, { rows });
    },
    stop() {
      bar?.stop();
    },
  };
};

import type { RunSummary, TimelineEvent } from '../../functions/engine/report/run-summary.ts';
import type { LocalWorld } from '../runtime/local-world.ts';

/** What `npm start` asks of a local run (bin/local.ts's options); the run summary repeats them. */
export interface ScenarioOptions {
  readonly hours: number;
  /** the hour drift starts; null for none */
  readonly driftAt: number | null;
  readonly seed: number;
  readonly requestsPerHour: number;
  /** labels of hour h arrive at the end of hour h + labelDelayHours */
  readonly labelDelayHours: number;
  readonly outDir: string;
  /** one line per noteworthy event, as it happens */
  readonly onEvent?: (event: TimelineEvent) => void;
  /** after each simulated hour */
  readonly onHour?: (hour: number) => void;
  /** once the run is summarized, before the emulators stop (`npm start -- --serve` serves the APIs here) */
  readonly afterRun?: (world: LocalWorld, summary: RunSummary) => Promise<void>;
}

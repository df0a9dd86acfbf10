/**
 * `npm start`: model-care's whole system on this machine, on embedded emulators, in about a minute.
 * `npm start -- --hours 48 --drift-at 24 --seed 7 --no-drift --requests-per-hour 200 --out out`
 * `npm start -- --serve` keeps the emulators up after the run and serves the admin and capture APIs on loopback.
 */
import './quiet-sdk-notice.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { renderRunReport } from '../functions/engine/report/html/render-run-report.ts';
import type { RunSummary, TimelineEvent } from '../functions/engine/report/run-summary.ts';
import type { LocalWorld } from '../local/runtime/local-world.ts';
import { serveLocalApis } from '../local/runtime/serve-local-apis.ts';
import { runAbTestScenario } from '../local/scenario/run-ab-test.ts';
import { runScenario } from '../local/scenario/run-scenario.ts';

const positiveInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
};
const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${value}" is not a port`);
  return n;
};
const hourOrNone = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not an hour (0, 1, 2...)`);
  return n;
};

interface Flags {
  hours: number;
  driftAt: number;
  drift: boolean;
  seed: number;
  requestsPerHour: number;
  labelDelay: number;
  dataset: string;
  out: string;
  quiet?: boolean;
  serve?: boolean;
  adminPort: number;
  scenario: string;
}

const program = new Command()
  .name('npm start --')
  .description('run model-care locally: capture, drift and quality checks, alerts, retraining, on emulators')
  .option('--hours <n>', 'simulated hours', positiveInteger, 36)
  .option('--drift-at <hour>', 'hour from which drift is injected', hourOrNone, 18)
  .option('--no-drift', 'run without injected drift')
  .option('--seed <n>', 'seed of the traffic', positiveInteger, 7)
  .option('--requests-per-hour <n>', 'requests through the capture API per hour', positiveInteger, 200)
  .option('--label-delay <hours>', 'hours until a prediction gets its label', hourOrNone, 1)
  .option('--dataset <name>', 'dataset (only seattle-weather, from vega-datasets)', 'seattle-weather')
  .option('--out <dir>', 'where run.json, report.html and alerts.jsonl go', 'out')
  .option('-q, --quiet', 'no progress bar')
  .option('--serve', 'after the run, keep the emulators up and serve the admin and capture APIs until Ctrl-C')
  .option('--admin-port <n>', 'port of the served admin API (0: any free port)', port, 0)
  .option(
    '--scenario <name>',
    'monitoring (drift, alerts, retraining) or ab-test (two variants, a winner test)',
    'monitoring',
  )
  .parse();

const flags = program.opts<Flags>();
if (flags.dataset !== 'seattle-weather') {
  console.error(`npm start: unknown dataset "${flags.dataset}" (available: seattle-weather)`);
  process.exit(2);
}
const SCENARIOS = { monitoring: runScenario, 'ab-test': runAbTestScenario } as const;
if (!Object.hasOwn(SCENARIOS, flags.scenario)) {
  console.error(
    `npm start: unknown scenario "${flags.scenario}" (available: ${Object.keys(SCENARIOS).join(', ')})`,
  );
  process.exit(2);
}
const run = SCENARIOS[flags.scenario as keyof typeof SCENARIOS];
const driftAt = flags.drift ? flags.driftAt : null;
const started = Date.now();
const bar =
  flags.quiet || !process.stderr.isTTY
    ? undefined
    : new SingleBar({
        stream: process.stderr,
        format: 'simulating [{bar}] hour {value}/{total}',
        clearOnComplete: true,
      });
const KIND_LABEL: Record<TimelineEvent['kind'], string> = {
  'drift-injected': 'DRIFT   ',
  'drift-detected': 'DETECTED',
  alert: 'ALERT   ',
  retraining: 'RETRAIN ',
  promotion: 'PROMOTED',
  recovery: 'RECOVERED',
  info: 'info    ',
};
const print = (event: TimelineEvent) => {
  bar?.stop();
  console.log(`hour ${String(event.hour).padStart(3)}  ${KIND_LABEL[event.kind]}  ${event.text}`);
};

console.log(
  `model-care local run: ${flags.hours} simulated hours, ${flags.requestsPerHour} requests/hour, ` +
    `${driftAt === null ? 'no drift' : `drift from hour ${driftAt}`}, seed ${flags.seed}`,
);
const printSummary = (summary: RunSummary): void => {
  writeFileSync(join(flags.out, 'run.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(flags.out, 'report.html'), renderRunReport(summary));
  console.log('\ntimeline');
  for (const event of summary.timeline)
    console.log(`  hour ${String(event.hour).padStart(3)}  ${KIND_LABEL[event.kind]}  ${event.text}`);
  if (summary.abTest) {
    const ab = summary.abTest;
    console.log('\nA/B test');
    for (const v of ab.variants) {
      console.log(
        `  ${v.name.padEnd(12)} ${v.requests} requests, ${v.labelled} labelled, error rate ` +
          `${v.metrics.errorRate === null ? '-' : v.metrics.errorRate.toFixed(3)}, traffic share ${v.metrics.trafficShare.toFixed(2)}`,
      );
    }
    console.log(
      `  decision: ${ab.winner ?? 'undecided'}${ab.decidedAtHour === null ? '' : ` at hour ${ab.decidedAtHour}`}, ` +
        `evidence ${ab.evidence.toFixed(1)} (needs ${2 / ab.alpha})`,
    );
  }
  console.log(
    `\n${summary.windows.length} windows checked, ${summary.alerts.length} alert(s), ` +
      `${summary.retraining.length} retraining run(s), ${summary.versions.length} model version(s) ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(
    `wrote ${join(flags.out, 'report.html')}, ${join(flags.out, 'run.json')}, ${join(flags.out, 'alerts.jsonl')}`,
  );
};

/** serves the twin's APIs until SIGINT or SIGTERM, then lets the run stop the emulators */
const serveUntilStopped = async (world: LocalWorld, summary: RunSummary): Promise<void> => {
  bar?.stop();
  printSummary(summary);
  const apis = await serveLocalApis(world, { admin: flags.adminPort });
  console.log(`\nadmin API   ${apis.admin.url}   (npx model-care models list --url ${apis.admin.url})`);
  console.log(`capture API ${apis.capture.url}   (POST /models/<name>/invocations, /records, /labels)`);
  console.log('serving on the emulators; Ctrl-C stops');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await apis.stop();
};

try {
  const summary = await run({
    hours: flags.hours,
    driftAt,
    seed: flags.seed,
    requestsPerHour: flags.requestsPerHour,
    labelDelayHours: flags.labelDelay,
    outDir: flags.out,
    onEvent: (event) => {
      // live events are the ones the run itself raises; the rest are printed in the timeline below
      if (event.kind === 'alert' || event.kind === 'drift-injected' || event.kind === 'info') print(event);
    },
    onHour: (hour) => {
      if (!bar) return;
      if (hour === 0) bar.start(flags.hours, 1);
      else bar.update(hour + 1);
    },
    afterRun: flags.serve ? serveUntilStopped : undefined,
  });
  bar?.stop();
  if (!flags.serve) printSummary(summary);
} catch (error) {
  bar?.stop();
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.MODEL_CARE_DEBUG && error instanceof Error) console.error(error.stack);
  process.exitCode = 1;
}

/**
 * Dispatch of a fleet (issue 16): 1,000 registered models, one simulated day of dispatcher ticks.
 *
 *   in-process  the dispatcher's own work: read 1,000 schedule entries, evaluate rate/cron, build Window Due
 *               events, hand them to a counting in-process publisher (no network)
 *   moto        the same ticks publishing through the real EventBridge batch adapter to moto_server's
 *               EventBridge (a bus without rules); moto is a Python emulator on this machine, so its times say
 *               that batching and concurrency work at this size, not what AWS's latency would be
 *
 * Cost figures use list prices (us-east-1), as published on the pricing pages on the date below:
 *   EventBridge custom events  $1.00 per million (https://aws.amazon.com/eventbridge/pricing/); the tick
 *                              rule's scheduled events are free
 *   Lambda (arm64)             $0.0000133334 per GB-second, $0.20 per million requests
 *                              (https://aws.amazon.com/lambda/pricing/)
 */

import { performance } from 'node:perf_hooks';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { makeEventBridgeBatchPublisher } from '../functions/adapters/eventbridge/eventbridge-batch-publisher.ts';
import type { ModelSchedule } from '../functions/adapters/model-store.ts';
import { makeDispatcherHandler } from '../functions/dispatcher/dispatcher.ts';
import type { HandlerLogger } from '../functions/handler-kit/handler-logger.ts';
import { CountingPublisher } from '../test/support/counting-publisher.ts';
import { startMotoServer } from '../test/support/moto-server.ts';

export const PRICES = {
  asOf: '2025-06',
  eventBridgePerMillionEvents: 1.0,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
} as const;

const MODELS = 1_000;
const PERIOD_MINUTES = 5;
const TICKS_PER_DAY = (24 * 60) / PERIOD_MINUTES;
const DAYS_PER_MONTH = 30;
/** the dispatcher's memory in the cost figure */
const LAMBDA_MEMORY_GB = 0.25;
const START = Date.UTC(2026, 2, 2);

/**
 * A plausible fleet: hourly data windows and daily quality windows, a third on cron expressions (minute offsets,
 * business hours, a weekly quality window), grace 5-15 minutes.
 */
export const fleet = (count = MODELS): ModelSchedule[] =>
  Array.from({ length: count }, (_, i) => {
    const cron = i % 3 === 0;
    return {
      name: `model-${String(i).padStart(4, '0')}`,
      version: 1 + (i % 7),
      status: i % 50 === 49 ? 'removed' : 'active',
      data: cron
        ? i % 2 === 0
          ? `cron(${i % 60} * * * ? *)`
          : 'cron(0 8-18 ? * MON-FRI *)'
        : 'rate(1 hour)',
      quality: cron && i % 9 === 0 ? 'cron(0 6 ? * MON *)' : 'rate(1 day)',
      dataWindowMinutes: 60,
      qualityWindowMinutes: cron && i % 9 === 0 ? 10_080 : 1440,
      graceMinutes: 5 + (i % 3) * 5,
    };
  });

const silent: HandlerLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const tickEvent = (k: number) => ({
  trigger: {
    id: `tick-${k}`,
    source: 'aws.events',
    detailType: 'Scheduled Event',
    time: new Date(START + k * PERIOD_MINUTES * 60_000).toISOString(),
    detail: {},
  },
});

export interface DispatchBenchResult {
  models: number;
  activeModels: number;
  periodMinutes: number;
  ticksPerDay: number;
  eventsPerDay: number;
  eventsPerActiveModelPerMonth: number;
  /** in-process: ms per tick over the day, and for the busiest tick */
  inProcess: { meanTickMs: number; busiestTickMs: number; busiestTickEvents: number };
  /** moto's EventBridge: the busiest tick and a quiet one */
  moto: {
    busiestTickMs: number;
    busiestTickEvents: number;
    putEventsCalls: number;
    quietTickMs: number;
  } | null;
  costPerModelMonthUsd: { events: number; lambda: number; total: number; lambdaAssumedTickMs: number };
  prices: typeof PRICES;
}

export const runDispatchBench = async (log: (line: string) => void): Promise<DispatchBenchResult> => {
  const schedules = fleet();
  const active = schedules.filter((s) => s.status === 'active').length;
  const source = { schedules: async () => schedules };

  // warm-up: croner parses each distinct expression once per container
  await makeDispatcherHandler({
    schedules: source,
    publisher: new CountingPublisher(),
    periodMinutes: PERIOD_MINUTES,
    logger: silent,
  })(tickEvent(0));

  const counting = new CountingPublisher();
  const handler = makeDispatcherHandler({
    schedules: source,
    publisher: counting,
    periodMinutes: PERIOD_MINUTES,
    logger: silent,
  });
  const times: { k: number; ms: number; events: number }[] = [];
  for (let k = 1; k <= TICKS_PER_DAY; k++) {
    const before = counting.events.length;
    const t0 = performance.now();
    await handler(tickEvent(k));
    times.push({ k, ms: performance.now() - t0, events: counting.events.length - before });
  }
  const eventsPerDay = counting.events.length;
  const busiest = times.reduce((a, b) => (b.events > a.events ? b : a));
  const meanTickMs = times.reduce((sum, t) => sum + t.ms, 0) / times.length;
  log(
    `  in-process: ${TICKS_PER_DAY} ticks, ${eventsPerDay} events/day, mean ${meanTickMs.toFixed(2)} ms/tick, busiest tick ${busiest.events} events in ${busiest.ms.toFixed(1)} ms`,
  );

  let moto: DispatchBenchResult['moto'] = null;
  try {
    const server = await startMotoServer();
    try {
      const client = new EventBridgeClient(server.clientConfig);
      await client.send(new CreateEventBusCommand({ Name: 'bench-bus' }));
      let calls = 0;
      client.middlewareStack.add(
        (next) => async (args) => {
          calls += 1;
          return next(args);
        },
        { step: 'initialize', name: 'countCalls' },
      );
      const viaMoto = makeDispatcherHandler({
        schedules: source,
        publisher: makeEventBridgeBatchPublisher('bench-bus', client),
        periodMinutes: PERIOD_MINUTES,
        logger: silent,
      });
      const quiet = times.find((t) => t.events === 0) ?? times[0]!;
      let t0 = performance.now();
      const result = await viaMoto(tickEvent(busiest.k));
      const busiestTickMs = performance.now() - t0;
      if (result.undispatched > 0) throw new Error(`moto refused ${result.undispatched} events`);
      const putEventsCalls = calls;
      t0 = performance.now();
      await viaMoto(tickEvent(quiet.k));
      const quietTickMs = performance.now() - t0;
      moto = { busiestTickMs, busiestTickEvents: result.dispatched, putEventsCalls, quietTickMs };
      log(
        `  moto EventBridge: busiest tick ${result.dispatched} events in ${putEventsCalls} PutEvents calls, ${Math.round(busiestTickMs)} ms; quiet tick ${Math.round(quietTickMs)} ms`,
      );
    } finally {
      await server.stop();
    }
  } catch (error) {
    log(`  moto EventBridge: skipped (${(error as Error).message.split('\n')[0]})`);
  }

  const eventsPerActiveModelPerMonth = (eventsPerDay / active) * DAYS_PER_MONTH;
  const eventCost = (eventsPerActiveModelPerMonth * PRICES.eventBridgePerMillionEvents) / 1e6;
  // the Lambda's time per tick: the measured in-process work plus publishing; moto's publish time stands in for
  // AWS's (PutEvents answers in tens of milliseconds; moto is slower), so the figure errs high
  const publishMsPerTick = moto
    ? (moto.busiestTickMs * eventsPerDay) / Math.max(1, moto.busiestTickEvents) / TICKS_PER_DAY
    : 0;
  const lambdaAssumedTickMs = meanTickMs + publishMsPerTick;
  const ticksPerMonth = TICKS_PER_DAY * DAYS_PER_MONTH;
  const lambdaMonth =
    ticksPerMonth * (lambdaAssumedTickMs / 1000) * LAMBDA_MEMORY_GB * PRICES.lambdaArmPerGbSecond +
    (ticksPerMonth * PRICES.lambdaPerMillionRequests) / 1e6;
  const lambdaCost = lambdaMonth / active;
  log(
    `  per model and month: ${eventsPerActiveModelPerMonth.toFixed(0)} events = $${eventCost.toFixed(5)}; dispatcher Lambda $${lambdaCost.toFixed(6)} (${lambdaAssumedTickMs.toFixed(1)} ms/tick at ${LAMBDA_MEMORY_GB * 1024} MB arm64)`,
  );
  return {
    models: MODELS,
    activeModels: active,
    periodMinutes: PERIOD_MINUTES,
    ticksPerDay: TICKS_PER_DAY,
    eventsPerDay,
    eventsPerActiveModelPerMonth,
    inProcess: { meanTickMs, busiestTickMs: busiest.ms, busiestTickEvents: busiest.events },
    moto,
    costPerModelMonthUsd: {
      events: eventCost,
      lambda: lambdaCost,
      total: eventCost + lambdaCost,
      lambdaAssumedTickMs,
    },
    prices: PRICES,
  };
};

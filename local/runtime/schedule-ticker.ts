import { parseSchedule } from '../../functions/handler-kit/scheduling/schedule-expression.ts';
import type { LocalEventBus } from '../events/local-event-bus.ts';
import type { SimulatedClock } from './simulated-clock.ts';

/**
 * EventBridge's scheduler, locally: the template's scheduled rules (today the dispatcher's one tick) fire at every
 * time their expression names while the simulated clock moves forward. Each fire sets the clock to its time,
 * puts the scheduled event on the bus and waits for every delivery it causes (the dispatcher's `Window Due`
 * events, the jobs, the alerts) and for `settle` (running state machine executions) before the next one.
 */
export class ScheduleTicker {
  private last: Date;

  constructor(
    private readonly bus: LocalEventBus,
    private readonly clock: SimulatedClock,
    private readonly settle: () => Promise<void>,
  ) {
    this.last = clock.now();
  }

  async advanceTo(time: Date): Promise<number> {
    if (time.getTime() < this.last.getTime()) {
      throw new RangeError(
        `the clock cannot go back from ${this.last.toISOString()} to ${time.toISOString()}`,
      );
    }
    const fires = new Map<number, Set<string>>();
    for (const expression of this.bus.schedules()) {
      for (const at of parseSchedule(expression).fireTimes(this.last, time)) {
        const due = fires.get(at.getTime()) ?? new Set<string>();
        due.add(expression);
        fires.set(at.getTime(), due);
      }
    }
    const times = [...fires.keys()].sort((a, b) => a - b);
    for (const at of times) {
      const moment = new Date(at);
      this.clock.set(moment);
      const due = fires.get(at)!;
      this.bus.tick(moment, (expression) => due.has(expression));
      await this.bus.drain();
      await this.settle();
    }
    this.clock.set(time);
    this.last = time;
    return times.length;
  }
}

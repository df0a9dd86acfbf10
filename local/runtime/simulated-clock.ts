/** The local runtime's time: every handler, the event bus and the state machine read it, so hours pass in seconds. */
export class SimulatedClock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  readonly now = (): Date => new Date(this.current);

  set(time: Date): void {
    this.current = time.getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

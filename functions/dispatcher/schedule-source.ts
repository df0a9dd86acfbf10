/**
 * What the dispatcher reads each tick: one small entry per registered model, the `index#schedules` items of the
 * models table (docs: coord fleet design, section 1). The model store's `schedules()` has this shape; the
 * dispatcher depends on this narrow port only.
 */
export interface ModelSchedule {
  readonly name: string;
  /** the config version the entry was written from; travels in `Window Due` as `configVersion` */
  readonly version: number;
  readonly status: 'active' | 'removed';
  /** `schedules.data` / `schedules.quality`: rate(...) or cron(...) in EventBridge syntax */
  readonly data: string;
  readonly quality: string;
  readonly dataWindowMinutes: number;
  readonly qualityWindowMinutes: number;
  readonly graceMinutes: number;
}

export interface ScheduleSource {
  /** every registered model's schedule, removed ones included (the dispatcher skips them) */
  schedules(): Promise<readonly ModelSchedule[]>;
}

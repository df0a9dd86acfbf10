import { readFile } from 'node:fs/promises';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import { parseModelConfig } from '../../../functions/shared/config/parse-config.ts';
import { nameOf } from '../../support/known-model-configs.ts';
import { SEATTLE_WEATHER } from '../../support/seattle-weather.ts';
import { DATASETS_BUCKET } from './handler-env.ts';

export interface SeattleRow {
  readonly date: string;
  readonly precipitation: string;
  readonly temp_max: string;
  readonly temp_min: string;
  readonly wind: string;
  readonly weather: string;
}

/** the rows of vega-datasets' seattle-weather.csv (no quoted fields in it) */
export const seattleRows = async (): Promise<SeattleRow[]> => {
  const [, ...lines] = (await readFile(SEATTLE_WEATHER, 'utf8')).trim().split('\n');
  return lines.map((line) => {
    const [date, precipitation, temp_max, temp_min, wind, weather] = line.trim().split(',');
    return {
      date: date ?? '',
      precipitation: precipitation ?? '',
      temp_max: temp_max ?? '',
      temp_min: temp_min ?? '',
      wind: wind ?? '',
      weather: weather ?? '',
    };
  });
};

export const FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind'] as const;

export const csvOf = (rows: readonly SeattleRow[]): string =>
  `date,precipitation,temp_max,temp_min,wind,weather\n${rows
    .map((r) => [r.date, r.precipitation, r.temp_max, r.temp_min, r.wind, r.weather].join(','))
    .join('\n')}\n`;

/**
 * A multiclass model that reads the day's weather figures and predicts its kind (the dataset's `weather`
 * column stands in for its prediction), baselined on 2012.
 */
export const seattleModel = (overrides: Record<string, unknown> = {}): ModelConfig =>
  parseModelConfig({
    name: 'seattle',
    problemType: 'multiclass',
    features: FEATURES.map((name) => ({ name, type: 'numerical' })),
    outputs: [{ name: 'weather', role: 'prediction' }],
    baseline: { datasetUri: `s3://${DATASETS_BUCKET}/seattle/2012.csv` },
    schedules: { data: 'rate(1 hour)', quality: 'rate(1 day)' },
    ...overrides,
  });

export const scheduleEvent = (model: ModelConfig, time: string, detail: Record<string, unknown> = {}) => ({
  model: nameOf(model),
  trigger: { id: `evt-${time}`, source: 'aws.events', detailType: 'Scheduled Event', time, detail },
});

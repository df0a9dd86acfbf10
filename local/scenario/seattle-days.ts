import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One day of vega-datasets' seattle-weather (2012-2015), the real data the local scenario serves. */
export interface SeattleDay {
  readonly date: string;
  readonly month: number;
  readonly precipitation: number;
  readonly tempMax: number;
  readonly tempMin: number;
  readonly wind: number;
  readonly weather: string;
}

// the package's `exports` map hides data/, so locate its entry point (build/index.js) and step up
export const SEATTLE_WEATHER_PATH = join(
  dirname(createRequire(import.meta.url).resolve('vega-datasets')),
  '..',
  'data',
  'seattle-weather.csv',
);

export const loadSeattleDays = (path = SEATTLE_WEATHER_PATH): SeattleDay[] => {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  if (header !== 'date,precipitation,temp_max,temp_min,wind,weather') {
    throw new Error(`${path}: unexpected header "${header}"`);
  }
  return lines.map((line) => {
    const [date, precipitation, tempMax, tempMin, wind, weather] = line.split(',');
    return {
      date: date!,
      month: Number(date!.slice(5, 7)),
      precipitation: Number(precipitation),
      tempMax: Number(tempMax),
      tempMin: Number(tempMin),
      wind: Number(wind),
      weather: weather!,
    };
  });
};

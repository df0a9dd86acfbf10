import { DatasetProfile } from '../../functions/engine/profile/dataset-profile.ts';
import { openFile } from '../../functions/engine/readers/byte-source.ts';
import { openTable } from '../../functions/engine/readers/table.ts';

export const SEATTLE_WEATHER = 'node_modules/vega-datasets/data/seattle-weather.csv';

/** Profiles of seattle-weather split by the year of its `date` column, read through the real CSV reader. */
export const seattleWeatherByYear = async (): Promise<Map<string, DatasetProfile>> => {
  const table = await openTable(SEATTLE_WEATHER, openFile(SEATTLE_WEATHER), {
    onMalformed: (m) => {
      throw new Error(`unexpected malformed record ${m.line}: ${m.reason}`);
    },
  });
  const byYear = new Map<string, DatasetProfile>();
  for await (const row of table.rows) {
    const year = String(row.values[0]).slice(0, 4);
    if (!byYear.has(year)) byYear.set(year, new DatasetProfile(table.columns));
    byYear.get(year)!.addRow(row.values);
  }
  return byYear;
};

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Baseline, loadBaseline, parseJsonText } from '../functions/engine/baseline/load-baseline.ts';
import { stringifyReport } from '../functions/engine/report/drift-report.ts';
import { type InputLocations, makeInputLocations } from './input-location.ts';

export const STATISTICS_FILE = 'statistics.json';
export const CONSTRAINTS_FILE = 'constraints.json';

/** Loads `statistics.json` and `constraints.json` from a directory or an s3:// prefix, ours or Model Monitor's. */
export const readBaselineDir = async (
  dir: string,
  locations: InputLocations = makeInputLocations(),
): Promise<Baseline> => {
  const statistics = locations.join(dir, STATISTICS_FILE);
  const constraints = locations.join(dir, CONSTRAINTS_FILE);
  const read = async (file: string) => parseJsonText(await locations.readText(file), file);
  return loadBaseline(await read(statistics), await read(constraints), { statistics, constraints });
};

/** Writes JSON files into `dir`, creating it; returns the paths written. */
export const writeJsonFiles = async (dir: string, files: Record<string, unknown>): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, `${stringifyReport(content)}\n`);
    written.push(path);
  }
  return written;
};

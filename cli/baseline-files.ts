import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Baseline, loadBaseline, parseJsonText } from '../functions/engine/baseline/load-baseline.ts';
import { InputError } from '../functions/engine/errors.ts';
import { stringifyReport } from '../functions/engine/report/drift-report.ts';

export const STATISTICS_FILE = 'statistics.json';
export const CONSTRAINTS_FILE = 'constraints.json';

const readJson = async (file: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      { file },
      code === 'ENOENT' ? 'no such file' : `cannot read: ${code ?? String(error)}`,
    );
  }
  return parseJsonText(text, file);
};

/** Loads `statistics.json` and `constraints.json` from a directory, ours or Model Monitor's. */
export const readBaselineDir = async (dir: string): Promise<Baseline> => {
  const statistics = join(dir, STATISTICS_FILE);
  const constraints = join(dir, CONSTRAINTS_FILE);
  return loadBaseline(await readJson(statistics), await readJson(constraints), { statistics, constraints });
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

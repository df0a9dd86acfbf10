import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `model-care` binary, as a user would after `npm ci`; `node` flags go to node itself. */
export const runCli = (args: string[], input?: string, node: string[] = []): CliResult => {
  const result = spawnSync(process.execPath, [...node, 'bin/model-care-cli.js', ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

export const tempDir = (prefix = 'model-care-'): string => mkdtempSync(join(tmpdir(), prefix));

/** seattle-weather split by year into `<dir>/seattle-<year>.csv`, each with the header */
export const splitSeattleWeather = (dir: string): Record<string, string> => {
  const [header, ...lines] = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv', 'utf8')
    .trim()
    .split('\n');
  const byYear = new Map<string, string[]>();
  for (const line of lines) {
    const year = line.slice(0, 4);
    if (!byYear.has(year)) byYear.set(year, []);
    byYear.get(year)!.push(line);
  }
  const files: Record<string, string> = {};
  for (const [year, rows] of byYear) {
    files[year] = join(dir, `seattle-${year}.csv`);
    writeFileSync(files[year], `${[header, ...rows].join('\n')}\n`);
  }
  return files;
};

export const copyModelMonitorBaseline = (dir: string): string => {
  copyFileSync('test/fixtures/model-monitor/data_quality--statistics.json', join(dir, 'statistics.json'));
  copyFileSync('test/fixtures/model-monitor/data_quality--constraints.json', join(dir, 'constraints.json'));
  return dir;
};

/**
 * `npm run demo`: the CLI session from README on a real public dataset shipped in an npm package
 * (vega-datasets' seattle-weather): a baseline of 2012, then 2013 and 2015 checked against it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'out/demo';
const SOURCE = 'node_modules/vega-datasets/data/seattle-weather.csv';

const splitByYear = (): Map<string, string> => {
  const [header, ...lines] = readFileSync(SOURCE, 'utf8').trim().split('\n');
  const files = new Map<string, string>();
  for (const year of ['2012', '2013', '2015']) {
    const path = join(OUT, `seattle-${year}.csv`);
    writeFileSync(path, `${[header, ...lines.filter((line) => line.startsWith(year))].join('\n')}\n`);
    files.set(year, path);
  }
  return files;
};

const run = (args: string[]): number => {
  process.stdout.write(`\n$ npx model-care ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, ['bin/model-care-cli.js', ...args], { stdio: 'inherit' });
  return result.status ?? 1;
};

mkdirSync(OUT, { recursive: true });
const years = splitByYear();
const steps = [
  ['baseline', '--input', years.get('2012')!, '--out', join(OUT, 'baseline'), '--exclude', 'date'],
  ['check', '--baseline', join(OUT, 'baseline'), '--current', years.get('2013')!, '--exclude', 'date'],
  [
    'check',
    '--baseline',
    join(OUT, 'baseline'),
    '--current',
    years.get('2015')!,
    '--exclude',
    'date',
    '--out',
    join(OUT, 'report-2015'),
  ],
];
for (const step of steps) {
  const code = run(step);
  if (code !== 0) process.exit(code);
}
process.stdout.write(`\nreports in ${join(OUT, 'report-2015')}/ (report.json, constraint_violations.json)\n`);

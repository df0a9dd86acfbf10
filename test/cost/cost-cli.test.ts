import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { knownRegions, loadPriceTable, PriceTableError } from '../../scripts/cost/price-table.ts';

const runCost = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cost.ts', ...args], { encoding: 'utf8' });

describe('npm run cost: bad input', () => {
  test.each([
    [['--requests-per-hour', '-3'], /^--requests-per-hour -3: not a positive number$/],
    [['--requests-per-hour', '0'], /^--requests-per-hour 0: not a positive number$/],
    [['--requests-per-hour', 'lots'], /^--requests-per-hour lots: not a positive number$/],
    [
      ['--region', 'mars-north-1'],
      /^--region mars-north-1: no price table for this region \(known: us-east-1\)$/,
    ],
    [['-c', 'configFile=config/does-not-exist.json'], /config\/does-not-exist\.json/],
  ])('rejects %j with one line and exit 2', (args, message) => {
    const result = runCost(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

describe('price table', () => {
  test('knows the regions with a table in pricing/', () => {
    expect(knownRegions()).toContain('us-east-1');
  });

  test('every price cites an AWS pricing page and the table is dated', () => {
    const table = loadPriceTable('us-east-1');
    expect(table.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const price of Object.values(table.prices))
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  test('rejects a table with a price missing, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prices-'));
    const table = JSON.parse(readFileSync('pricing/us-east-1.json', 'utf8')) as {
      prices: Record<string, unknown>;
    };
    delete table.prices.kmsKeyMonth;
    writeFileSync(join(dir, 'us-east-1.json'), JSON.stringify(table));
    expect(() => loadPriceTable('us-east-1', dir)).toThrow(PriceTableError);
    expect(() => loadPriceTable('us-east-1', dir)).toThrow(/us-east-1\.json: prices\.kmsKeyMonth: /);
  });
});

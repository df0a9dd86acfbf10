import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RUNBOOK_CHECKS } from '../../functions/alert-router/runbooks.ts';

const DIR = 'docs/runbooks';
const SECTIONS = [
  '**Meaning.**',
  '**Likely causes.**',
  '**How to confirm.**',
  '**How to fix.**',
  '**How to silence.**',
];

describe('docs/runbooks', () => {
  test.each(RUNBOOK_CHECKS.map((c) => [c]))(
    'has a page for %s with every section, titled by its check',
    (check) => {
      const file = `${DIR}/${check}.md`;
      expect(existsSync(file), file).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith(`# ${check}: `)).toBe(true);
      const positions = SECTIONS.map((s) => text.indexOf(s));
      expect(
        positions.every((p) => p > 0),
        `${file} sections ${JSON.stringify(positions)}`,
      ).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    },
  );

  test('has no page for a check the system does not emit', () => {
    const pages = readdirSync(DIR).map((f) => f.replace(/\.md$/, ''));
    expect(pages.sort()).toEqual([...RUNBOOK_CHECKS].sort());
  });

  test('names only config fields and commands that exist', () => {
    const schema = readFileSync('config/model-care.schema.json', 'utf8');
    for (const check of RUNBOOK_CHECKS) {
      const text = readFileSync(`${DIR}/${check}.md`, 'utf8');
      // `section.field` config references: the last part must be a property of the JSON Schema
      for (const [, path] of text.matchAll(
        /`((?:capture|thresholds|alerts|quality|operational|retraining|schedules|features\[\]|baseline)\.[A-Za-z.]+)`/g,
      )) {
        const field = path!.split('.').at(-1)!;
        expect(schema, `${check}.md mentions ${path}`).toContain(`"${field}"`);
      }
    }
  });
});

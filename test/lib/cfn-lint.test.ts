import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findCfnLint } from '../support/python-tools.ts';
import { synthConfig } from './support/synth-stack.ts';

/**
 * cfn-lint, AWS's own linter for CloudFormation, over the template of every config in config/. Errors fail;
 * warnings fail unless their id is listed here with the reason it does not apply.
 */
const IGNORED_RULES: Record<string, string> = {
  W3005:
    'aws-cdk-lib makes each Lambda function and state machine DependsOn its role and default policy; the ' +
    'dependency is also implied by the GetAtt of the role, so cfn-lint calls it redundant. It is harmless and ' +
    'CDK generates it: the DependsOn on the *policy* (which no GetAtt implies) is what makes a function wait ' +
    'for its grants.',
};

const configs = readdirSync('config')
  .filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'))
  .map((file) => `config/${file}`);

const workDir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// synthesizing a whole stack and running cfn-lint took ~55 s under load on 2 shared cores (vitest's default here
// is 60 s): a slow machine is not a failure of the template
const CFN_LINT_TIMEOUT_MS = 240_000;

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Location: { readonly Path: readonly (string | number)[] };
}

describe.each(configs)('cfn-lint on the template of %s', (file) => {
  test(
    'reports no error and no warning outside the reasoned ignore list',
    () => {
      const { json } = synthConfig(file);
      const path = join(workDir, `${file.replace(/\W/g, '_')}.template.json`);
      writeFileSync(path, JSON.stringify(json));
      const tool = findCfnLint();
      const result = spawnSync(
        tool.command,
        [
          ...tool.prefixArgs,
          '--format',
          'json',
          '--ignore-checks',
          ...Object.keys(IGNORED_RULES),
          '--',
          path,
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      // cfn-lint exits 0 when clean, and a bit mask of error(2)/warning(4)/informational(8) otherwise
      expect(result.error).toBeUndefined();
      const findings = JSON.parse(result.stdout || '[]') as Finding[];
      const described = findings.map(
        (f) => `${f.Rule.Id} ${f.Level} at ${f.Location.Path.join('/')}: ${f.Message}`,
      );
      expect(described).toEqual([]);
      expect(result.status).toBe(0);
    },
    CFN_LINT_TIMEOUT_MS,
  );
});

test(
  'the ignore list names only rules that cfn-lint would otherwise report here (none is stale)',
  () => {
    const tool = findCfnLint();
    const file = configs[0] ?? 'config/model-care.json';
    const path = join(workDir, 'unfiltered.template.json');
    writeFileSync(path, JSON.stringify(synthConfig(file).json));
    const result = spawnSync(tool.command, [...tool.prefixArgs, '--format', 'json', '--', path], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const reported = new Set((JSON.parse(result.stdout || '[]') as Finding[]).map((f) => f.Rule.Id));
    for (const rule of Object.keys(IGNORED_RULES)) expect(reported.has(rule), rule).toBe(true);
  },
  CFN_LINT_TIMEOUT_MS,
);

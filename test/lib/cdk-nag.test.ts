import { type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { synthConfig } from './support/synth-stack.ts';

interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** every acknowledgement recorded anywhere in the stack, from the construct metadata cdk-nag reads */
const acknowledgements = (stack: Stack): Acknowledgement[] =>
  stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) =>
      Object.entries(entry.data as Record<string, { reason?: string } | string>).map(([id, value]) => ({
        id,
        reason: typeof value === 'string' ? value : (value.reason ?? ''),
      })),
    );

describe.each(['config/model-care.json', 'config/three-models.json'])(
  'cdk-nag AwsSolutions on %s',
  (file) => {
    const { stack } = synthConfig(file);

    test('reports no unacknowledged finding', () => {
      const report = new AwsSolutionsChecks().validateScope(stack);
      const findings = report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    });

    test('every acknowledgement answers a finding below it (none is left over from removed code)', () => {
      // records each finding cdk-nag looks up; isAcknowledged is internal to cdk-nag 3.0.2, pinned in package.json
      const pack = new AwsSolutionsChecks() as unknown as {
        isAcknowledged(node: { node: { path: string } }, id: string): boolean;
        validateScope(scope: Stack): unknown;
      };
      const findings: Array<{ path: string; id: string }> = [];
      const lookUp = pack.isAcknowledged.bind(pack);
      pack.isAcknowledged = (node, id) => {
        findings.push({ path: node.node.path, id });
        return lookUp(node, id);
      };
      pack.validateScope(stack);
      const unused = stack.node.findAll().flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) =>
            Object.keys(entry.data as object).map((key) => key.replace(/^annotation::/i, '')),
          )
          .filter(
            (id) =>
              !findings.some(
                (f) =>
                  f.id === id &&
                  (f.path === construct.node.path || f.path.startsWith(`${construct.node.path}/`)),
              ),
          )
          .map((id) => `${construct.node.path}: ${id}`),
      );
      expect(unused).toEqual([]);
    });

    test('acknowledges by exact id with a written reason, never a whole rule of IAM5', () => {
      const all = acknowledgements(stack);
      expect(all.length).toBeGreaterThan(0);
      for (const { id, reason } of all) {
        expect(reason.length, id).toBeGreaterThan(30);
        expect(id, 'IAM5 acknowledgements name the finding').not.toMatch(/AwsSolutions-IAM5$/);
      }
    });
  },
);

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { ModelCareStack } from '../../lib/model-care-stack.ts';
import type { CfnTemplate } from '../../local/step-functions/resolve-state-machine.ts';
import { testApp } from './support/synth-stack.ts';
import { actionsOn, logicalIdOf, statementsOf } from './support/template-queries.ts';

/** Issue 17, section 3: one stack-level rule for completed transform jobs, and the function judging them. */

// biome-ignore lint/suspicious/noExplicitAny: the variant edits a parsed JSON file
const example: any = JSON.parse(readFileSync('config/model-care.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'model-care-batch-'));

const synth = (batch: boolean) => {
  const config = structuredClone(example);
  if (batch)
    config.models[0].batchTransform = {
      jobNamePrefix: 'nightly',
      captureUri: 's3://team-batch-capture/jobs',
    };
  const file = join(dir, `${batch}.json`);
  writeFileSync(file, JSON.stringify(config));
  const loaded = loadConfig(file);
  const stack = new ModelCareStack(testApp(), loaded.stackName, { config: loaded });
  return { stack, template: Template.fromStack(stack) };
};

describe('BatchTransformTrigger', () => {
  const { stack, template } = synth(true);
  const trigger = stack.care.batchTransform!;

  test('one rule takes completed transform jobs to the batch transform function, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Transform Job State Change'],
        detail: { TransformJobStatus: ['Completed'] },
      },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [logicalIdOf(trigger.job.function), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(trigger.deadLetterQueue.queue), 'Arn'] } },
        },
      ],
    });
  });

  test("the function may read the model's capture URI and write reports, and nothing is unacknowledged", () => {
    const statements = statementsOf(template.toJSON() as CfnTemplate, trigger.job.role);
    const readable = statements.filter((s) => JSON.stringify(s.Resource).includes('team-batch-capture'));
    expect(readable.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))).toEqual(
      expect.arrayContaining(['s3:GetObject*']),
    );
    expect(actionsOn(statements, '*')).not.toContain('s3:GetObject*');
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });

  test('is absent when no model has batch transform jobs', () => {
    const { stack: plain, template: plainTemplate } = synth(false);
    expect(plain.care.batchTransform).toBeUndefined();
    expect(JSON.stringify(plainTemplate.toJSON())).not.toContain('SageMaker Transform Job State Change');
  });
});

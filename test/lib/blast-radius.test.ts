import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.ts';
import { allStates, resolveStateMachine } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { logicalIdOf } from './support/template-queries.ts';

/** Issue 11.3: what a flood, a runaway fan-out or a leaked log can reach. */

// biome-ignore lint/suspicious/noExplicitAny: the variants below edit arbitrary parts of a parsed JSON file
type Json = any;
const dir = mkdtempSync(join(tmpdir(), 'model-care-blast-'));
const variant = (name: string, change: (config: Json) => void): string => {
  const config = JSON.parse(readFileSync('config/model-care.json', 'utf8'));
  change(config);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
};

const defaults = synthConfig('config/model-care.json');
const ref = (construct: Parameters<typeof logicalIdOf>[0]) => ({ Ref: logicalIdOf(construct) });

describe('the capture API', () => {
  const reserved = (stack: ReturnType<typeof synthConfig>) =>
    stack.json.Resources[logicalIdOf(stack.stack.care.captureApi.handler.function)]?.Properties
      ?.ReservedConcurrentExecutions;

  test('reserves 20 concurrent executions by default', () => {
    expect(reserved(defaults)).toBe(20);
  });

  test('takes the reservation from config, and none when it is null', () => {
    const five = synthConfig(variant('five', (c) => (c.captureApi = { reservedConcurrency: 5 })));
    const none = synthConfig(variant('none', (c) => (c.captureApi = { reservedConcurrency: null })));

    expect(reserved(five)).toBe(5);
    expect(reserved(none)).toBeUndefined();
  });

  test.each([0, 1.5, 'twenty'])('rejects a reservation of %j, naming the field', (value) => {
    const file = variant(`bad-${String(value)}`, (c) => (c.captureApi = { reservedConcurrency: value }));

    expect(() => loadConfig(file)).toThrow(ConfigError);
    expect(() => loadConfig(file)).toThrow(/: captureApi\.reservedConcurrency: /);
  });
});

describe('the fan-out', () => {
  const mapOf = (stack: ReturnType<typeof synthConfig>) => {
    const machine = stack.stack.care.jobs.fanOut.stateMachine;
    const { definition } = resolveStateMachine(stack.json, logicalIdOf(machine));
    return allStates(definition).ProfileParts;
  };

  test("bounds the parts profiled at once: 40 by default, the config's number when set", () => {
    const ten = synthConfig(variant('ten', (c) => (c.fanOut = { maxConcurrency: 10 })));

    expect(mapOf(defaults)?.MaxConcurrency).toBe(40);
    expect(mapOf(ten)?.MaxConcurrency).toBe(10);
  });

  test('rejects more than an inline Map runs at once', () => {
    const file = variant('wide', (c) => (c.fanOut = { maxConcurrency: 41 }));

    expect(() => loadConfig(file)).toThrow(/: fanOut\.maxConcurrency: 41 /);
  });

  test('its three functions and its state machine have health alarms like the others', () => {
    const { stack, template } = defaults;
    const care = stack.care;
    for (const fn of Object.values(care.jobs.fanOut.functions)) {
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: ref(fn.function) }],
          AlarmActions: [ref(care.alerting.topics.warning)],
        });
      }
    }
    for (const metric of [
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsAborted',
      'ExecutionThrottled',
    ]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: ref(care.jobs.fanOut.stateMachine) }],
        AlarmActions: [ref(care.alerting.topics.warning)],
      });
    }
  });
});

describe('the retraining state machine', () => {
  test('logs every transition without execution data, where the approval task token travels', () => {
    const { stack, json } = defaults;
    const machine = stack.care.stateMachine('churn');
    expect(machine).toBeDefined();

    const logging = json.Resources[logicalIdOf(machine!)]?.Properties?.LoggingConfiguration as {
      Level: string;
      IncludeExecutionData: boolean;
    };

    expect(logging).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });
});

describe('the key', () => {
  test('admits every service principal of its policy only for this account', () => {
    const { json, stack } = defaults;
    const key = json.Resources[logicalIdOf(stack.care.encryptionKey)]?.Properties?.KeyPolicy as {
      Statement: { Principal?: { Service?: string }; Condition?: Record<string, Record<string, unknown>> }[];
    };

    const services = key.Statement.filter((s) => s.Principal?.Service !== undefined);

    expect(services.length).toBeGreaterThan(0);
    for (const statement of services) {
      expect(statement.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      expect(JSON.stringify(statement.Condition?.ArnLike?.['aws:SourceArn'])).toMatch(/:alarm:\*/);
    }
  });
});

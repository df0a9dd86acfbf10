import { describe, expect, test } from 'vitest';
import { ENVIRONMENT } from '../../functions/shared/environment.ts';
import { STORE_PREFIXES } from '../../functions/shared/store-layout.ts';
import {
  type AslState,
  allStates,
  resolveIntrinsics,
  resolveStateMachine,
} from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { allows, logicalIdOf, statementsOf } from './support/template-queries.ts';

const { stack, json } = synthConfig('config/model-care.json');
const fanOut = stack.care.jobs.fanOut;
const data = stack.care.jobs.functions.data;
const resolved = (value: unknown): string => resolveIntrinsics(value, json) as string;
const bucket = resolved({ Ref: logicalIdOf(stack.care.store.bucket) });
const objects = (prefix: keyof typeof STORE_PREFIXES): string =>
  `arn:aws:s3:::${bucket}/${STORE_PREFIXES[prefix]}*`;
const machineId = logicalIdOf(fanOut.stateMachine);
const machineArn = resolved({ Ref: machineId });

describe('window fan-out', () => {
  test('a Standard state machine: plan, then a Map over the parts with bounded concurrency, then reduce', () => {
    expect(json.Resources[machineId]?.Properties?.StateMachineType).toBe('STANDARD');
    const { definition } = resolveStateMachine(json, machineId);
    expect(definition.StartAt).toBe('Plan');
    const states = allStates(definition);
    expect(states.Plan?.Next).toBe('ProfileParts');
    const map = states.ProfileParts as unknown as Record<string, unknown>;
    expect(map.Type).toBe('Map');
    expect(map.ItemsPath).toBe('$.parts');
    expect(map.MaxConcurrency).toBe(40);
    expect(map.Next).toBe('Reduce');
    const processor = map.ItemProcessor as { StartAt: string; States: Record<string, AslState> };
    expect(processor.StartAt).toBe('ProfilePart');
    const profilePart = processor.States.ProfilePart;
    expect(profilePart?.Type).toBe('Task');
    expect(states.Reduce?.End).toBe(true);
    // each task invokes its own function
    const fnArn = (fn: typeof fanOut.functions.plan) =>
      resolved({ 'Fn::GetAtt': [logicalIdOf(fn.function), 'Arn'] });
    expect(states.Plan?.Resource).toBe(fnArn(fanOut.functions.plan));
    expect(profilePart?.Resource).toBe(fnArn(fanOut.functions.part));
    expect(states.Reduce?.Resource).toBe(fnArn(fanOut.functions.reduce));
  });

  test('the data job knows the state machine and may start it', () => {
    const env = json.Resources[logicalIdOf(data.function)]?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(resolved(env.Variables[ENVIRONMENT.fanOutStateMachineArn.key])).toBe(machineArn);
    expect(allows(statementsOf(json, data.role), 'states:StartExecution', machineArn)).toBe(true);
  });

  test('each state function has only the access its state needs', () => {
    const plan = statementsOf(json, fanOut.functions.plan.role);
    expect(allows(plan, 's3:GetObject*', objects('capture'))).toBe(true);
    expect(plan.some((s) => [s.Action].flat().includes('s3:PutObject'))).toBe(false);
    const part = statementsOf(json, fanOut.functions.part.role);
    expect(allows(part, 's3:GetObject*', objects('capture'))).toBe(true);
    expect(allows(part, 's3:PutObject', objects('profiles'))).toBe(true);
    const reduce = statementsOf(json, fanOut.functions.reduce.role);
    expect(allows(reduce, 's3:GetObject*', objects('profiles'))).toBe(true);
    expect(allows(reduce, 's3:PutObject', objects('reports'))).toBe(true);
    expect(reduce.some((s) => [s.Action].flat().includes('events:PutEvents'))).toBe(true);
    expect(reduce.some((s) => [s.Action].flat().includes('dynamodb:PutItem'))).toBe(true);
  });
});

import { describe, expect, test } from 'vitest';
import { readEnvironment } from '../../functions/shared/environment.ts';
import { allStates, resolveStateMachine } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { logicalIdOf } from './support/template-queries.ts';

const { stack, template, json } = synthConfig('config/three-models.json');
const care = stack.care;
const scheduleOf = (model: string, rule: 'DataSchedule' | 'QualitySchedule') =>
  json.Resources[logicalIdOf(care.models[model]!.triggers.rules[rule]!)]!.Properties!.ScheduleExpression;

describe('a three-model config', () => {
  test('gives every model its own schedules, as configured', () => {
    expect(Object.keys(care.models)).toEqual(['churn', 'demand-forecast', 'ticket-router']);
    expect(scheduleOf('churn', 'DataSchedule')).toBe('rate(1 hour)');
    expect(scheduleOf('churn', 'QualitySchedule')).toBe('rate(1 day)');
    expect(scheduleOf('demand-forecast', 'DataSchedule')).toBe('cron(5 * * * ? *)');
    expect(scheduleOf('demand-forecast', 'QualitySchedule')).toBe('rate(7 days)');
    expect(scheduleOf('ticket-router', 'DataSchedule')).toBe('rate(30 minutes)');
  });

  test('gives every model its own dashboard', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map(
      (d) => d.Properties.DashboardName,
    );
    expect(names.sort()).toEqual([
      'ModelCareThree-churn',
      'ModelCareThree-demand-forecast',
      'ModelCareThree-ticket-router',
    ]);
  });

  test('builds a retraining workflow only for models that configure one', () => {
    expect(care.stateMachine('churn')).toBeDefined();
    expect(care.stateMachine('ticket-router')).toBeDefined();
    expect(care.stateMachine('demand-forecast')).toBeUndefined();
    expect(care.models['demand-forecast']!.triggers.rules.RetrainingRequests).toBeUndefined();
  });

  test('auto approval still contains the approval path, chosen at run time by the evaluate step', () => {
    const churn = allStates(resolveStateMachine(json, logicalIdOf(care.stateMachine('churn')!)).definition);
    expect(churn.RequestApproval).toBeDefined();
  });

  test('the second endpoint is promoted from its live config, under its own guardrails, with its channel names', () => {
    const router = allStates(
      resolveStateMachine(json, logicalIdOf(care.stateMachine('ticket-router')!)).definition,
    );
    // variants and sizing come from the live endpoint at run time (plan-promotion), not from the template
    expect(router.PlanPromotion?.Parameters?.Payload).toMatchObject({ 'model.$': '$.model' });
    expect(router.DeployChallenger).toMatchObject({ InputPath: '$.promotion.update' });
    expect(JSON.stringify(router)).not.toContain('InitialInstanceCount');
    // one machine for every model: the channels (any names) are prepare-data's InputDataConfig, read from the state
    expect(care.stateMachine('ticket-router')).toBe(care.stateMachine('churn'));
    expect(router.TrainChallenger?.Parameters?.['InputDataConfig.$']).toBe('$.data.inputDataConfig');
  });

  test('a model served elsewhere captures through the API under its own name', () => {
    const env = json.Resources[logicalIdOf(care.captureApi.handler.function)]!.Properties!.Environment as {
      Variables: Record<string, string>;
    };
    const routes = readEnvironment(['captureRoutes'], env.Variables).captureRoutes;
    expect(routes.find((r) => r.model === 'demand-forecast')).toEqual({
      model: 'demand-forecast',
      endpointName: 'demand-forecast',
      variantName: 'AllTraffic',
      samplingPercentage: 50,
    });
  });

  test('per-model recipients receive only their model messages; operators receive everything', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'demand-team@example.com',
      Protocol: 'email',
      FilterPolicy: { model: ['demand-forecast'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: '+15555550199',
      Protocol: 'sms',
      FilterPolicy: { model: ['ticket-router'] },
    });
    const operator = Object.values(template.findResources('AWS::SNS::Subscription')).find(
      (s) => s.Properties.Endpoint === 'ml-oncall@example.com',
    );
    expect(operator?.Properties.FilterPolicy).toBeUndefined();
  });

  test('destroy removal policy and retention settings reach the resources', () => {
    template.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

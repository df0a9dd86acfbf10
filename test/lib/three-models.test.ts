import { describe, expect, test } from 'vitest';
import { captureRouteFor } from '../../functions/shared/config/capture-routes.ts';
import { ENVIRONMENT } from '../../functions/shared/environment.ts';
import { allStates, resolveStateMachine } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { logicalIdOf } from './support/template-queries.ts';

const { stack, template, json } = synthConfig('config/three-models.json');
const care = stack.care;

describe('a three-model config', () => {
  test("schedules no model in the template: the one tick rule hands out every model's windows", () => {
    const schedules = Object.values(template.findResources('AWS::Events::Rule'))
      .map((rule) => rule.Properties.ScheduleExpression)
      .filter((expression) => expression !== undefined);
    expect(schedules).toEqual(['rate(5 minutes)']);
  });

  test('builds one dashboard for the three models', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map(
      (d) => d.Properties.DashboardName,
    );
    expect(names).toEqual(['ModelCareThree-models']);
  });

  test('the one retraining workflow serves only the models that configure retraining', () => {
    expect(care.stateMachine('churn')).toBeDefined();
    expect(care.stateMachine('ticket-router')).toBeDefined();
    expect(care.stateMachine('demand-forecast')).toBeUndefined();
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

  test('a model served elsewhere captures through the API under its own name, its route read from the models table', () => {
    const env = json.Resources[logicalIdOf(care.captureApi.handler.function)]!.Properties!.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(Object.keys(env.Variables)).toContain(ENVIRONMENT.modelsTable.key);
    expect(Object.keys(env.Variables)).not.toContain(ENVIRONMENT.captureRoutes.key);
    const demand = care.config.models.find((m) => m.name === 'demand-forecast')!;
    expect(captureRouteFor(demand)).toEqual({
      model: 'demand-forecast',
      endpointName: 'demand-forecast',
      variantName: 'AllTraffic',
      samplingPercentage: 50,
      // issue 13: its records go on the capture stream
      transport: 'stream',
    });
  });

  test("per-model recipients are no CloudFormation subscriptions (the admin service manages them); operators' are", () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription'));
    expect(subscriptions.map((s) => s.Properties.Endpoint)).not.toContain('demand-team@example.com');
    expect(subscriptions.every((s) => s.Properties.FilterPolicy === undefined)).toBe(true);
    expect(subscriptions.map((s) => s.Properties.Endpoint)).toContain('ml-oncall@example.com');
  });

  test('destroy removal policy and retention settings reach the resources', () => {
    template.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TABLE_VARIABLES } from '../../functions/shared/environment.ts';
import { MODELS_SCHEDULES_PARTITION } from '../../functions/shared/tables.ts';
import { HouseFunction } from './house-function.ts';
import type { ResultsTables } from './results-tables.ts';

export const DISPATCHER_HANDLER = 'functions/dispatcher/handler.ts';

export interface DispatcherProps {
  readonly tables: ResultsTables;
  /** `fleet.dispatchEveryMinutes`: the tick rule's rate, which the due-window arithmetic must know */
  readonly dispatchEveryMinutes: number;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The dispatcher Lambda (functions/dispatcher): on each tick it reads the models table's fleet index and puts one
 * `Window Due` per model window that is due on the default bus. Its role may Query that one partition of the
 * models table (`dynamodb:LeadingKeys`), decrypt with the table's key, and put events on the default bus: it
 * cannot read a model's config or write anything else.
 */
export class Dispatcher extends Construct {
  readonly handler: HouseFunction;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.handler = new HouseFunction(this, 'Dispatcher', {
      entry: DISPATCHER_HANDLER,
      description: "model-care: hands out every model's due windows as Window Due events",
      logRetention: props.logRetention,
      environment: {
        eventBusName: defaultBus.eventBusName,
        dispatchEveryMinutes: props.dispatchEveryMinutes,
      },
    });
    const models = props.tables.tables.models;
    this.handler.addEnvironment({ [TABLE_VARIABLES.models]: models.tableName });
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheFleetIndexOnly',
        actions: ['dynamodb:Query'],
        resources: [models.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [MODELS_SCHEDULES_PARTITION] },
        },
      }),
    );
    models.encryptionKey?.grantDecrypt(this.handler.role);
    defaultBus.grantPutEventsTo(this.handler.function);
  }
}

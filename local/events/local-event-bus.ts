import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventPublisher } from '../../functions/adapters/event-publisher.ts';
import { EVENT_SOURCE, SCHEDULED_EVENT } from '../../functions/shared/events.ts';
import type { CfnTemplateJson } from '../runtime/local-stack.ts';
import { type EventPattern, matchesPattern } from './event-pattern.ts';
import { type InputTransformer, renderRuleInput } from './render-rule-input.ts';

/** one rule of the synthesized template, its tokens resolved to local names */
export interface LocalRule {
  readonly id: string;
  readonly pattern?: EventPattern;
  readonly schedule?: string;
  readonly targets: ReadonlyArray<{ readonly logicalId: string; readonly transformer?: InputTransformer }>;
}

/** what a rule target receives, and who receives it (a Lambda or a state machine, by logical id) */
export type Dispatch = (targetLogicalId: string, input: unknown, ruleId: string) => Promise<void>;

/** an EventBridge envelope, as rules and input transformers see it */
export interface EventEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

type Resolve = (value: unknown) => unknown;

const targetId = (arn: unknown): string => {
  const ref = arn as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = ref.Ref ?? ref['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`rule target ${JSON.stringify(arn)} is not a Ref or GetAtt`);
  return id;
};

/** Reads every EventBridge rule of the template; `resolve` turns Ref/GetAtt tokens into local names. */
export const rulesOf = (template: CfnTemplateJson, resolve: Resolve): LocalRule[] =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Events::Rule')
    .map(([id, resource]) => {
      const props = resource.Properties ?? {};
      const targets = (props.Targets as Array<Record<string, unknown>> | undefined) ?? [];
      return {
        id,
        pattern: props.EventPattern ? (resolve(props.EventPattern) as EventPattern) : undefined,
        schedule: props.ScheduleExpression as string | undefined,
        targets: targets.map((t) => ({
          logicalId: targetId(t.Arn),
          transformer: t.InputTransformer ? (resolve(t.InputTransformer) as InputTransformer) : undefined,
        })),
      };
    });

/**
 * The account's default event bus, locally: publishing an event finds the rules whose pattern matches and
 * hands each target what EventBridge would (the rule's input transformer applied to the envelope). Events
 * are delivered one at a time, in order, after the publisher's call returns, as EventBridge delivers them
 * asynchronously; `drain()` waits until nothing is left, including events those deliveries published.
 */
export class LocalEventBus implements EventPublisher {
  /** `onlyRule`: a scheduled event goes to the rule that scheduled it, whatever other patterns say */
  private readonly queue: Array<{ envelope: EventEnvelope; onlyRule?: string }> = [];
  private draining: Promise<void> | undefined;
  readonly delivered: Array<{ rule: string; target: string; detailType: string; time: string }> = [];

  constructor(
    private readonly rules: readonly LocalRule[],
    private readonly dispatch: Dispatch,
    private readonly now: () => Date,
    private readonly onError: (error: unknown, rule: string) => void,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      this.queue.push({
        envelope: this.envelope(
          EVENT_SOURCE,
          event.detailType,
          event.detail,
          event.time ?? this.now(),
          event.resources,
        ),
      });
    }
  }

  /** S3's `Object Created` notification for a new object, as EventBridge-enabled buckets send it */
  objectCreated(bucket: string, key: string, size: number): void {
    this.queue.push({
      envelope: this.envelope(
        'aws.s3',
        'Object Created',
        { bucket: { name: bucket }, object: { key, size } },
        this.now(),
      ),
    });
  }

  /** an AWS service's event, e.g. SageMaker's `SageMaker Transform Job State Change` (source `aws.sagemaker`) */
  serviceEvent(
    source: string,
    detailType: string,
    detail: Record<string, unknown>,
    resources?: readonly string[],
  ): void {
    this.queue.push({ envelope: this.envelope(source, detailType, detail, this.now(), resources) });
  }

  /** fires every scheduled rule (the local clock calls it at each period boundary) */

  /** the schedule expressions of the template's scheduled rules */
  schedules(): string[] {
    return [...new Set(this.rules.flatMap((rule) => (rule.schedule ? [rule.schedule] : [])))];
  }

  /** fires every scheduled rule that is `due` (local/runtime/schedule-ticker.ts calls it at each fire time) */
  tick(time: Date, due: (schedule: string) => boolean = () => true): void {
    for (const rule of this.rules) {
      if (!rule.schedule || !due(rule.schedule)) continue;
      this.queue.push({
        envelope: this.envelope('aws.events', SCHEDULED_EVENT, {}, time, [`rule/${rule.id}`]),
        onlyRule: rule.id,
      });
    }
  }

  /** delivers queued events until the queue is empty */
  async drain(): Promise<void> {
    this.draining ??= this.deliverAll().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async deliverAll(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      const { envelope, onlyRule } = next;
      for (const rule of this.rules) {
        const matches = onlyRule
          ? rule.id === onlyRule
          : rule.pattern !== undefined && matchesPattern(rule.pattern, envelope);
        if (!matches) continue;
        for (const target of rule.targets) {
          const input = target.transformer ? renderRuleInput(target.transformer, envelope) : envelope;
          this.delivered.push({
            rule: rule.id,
            target: target.logicalId,
            detailType: envelope['detail-type'],
            time: envelope.time,
          });
          try {
            await this.dispatch(target.logicalId, input, rule.id);
          } catch (error) {
            // EventBridge would retry and then dead-letter; locally the failure is reported and the run goes on
            this.onError(error, rule.id);
          }
        }
      }
    }
  }

  private envelope(
    source: string,
    detailType: string,
    detail: unknown,
    time: Date,
    resources: readonly string[] = [],
  ): EventEnvelope {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: '000000000000',
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'local',
      resources,
      detail,
    };
  }
}

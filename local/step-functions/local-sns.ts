import { randomUUID } from 'node:crypto';

/** one message the state machine published (SNS Publish task), with its attributes as strings */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  /** the body as SNS would deliver it (a JSON object is serialized, as Step Functions does) */
  readonly message: string;
  /** the body parsed, when it is JSON */
  readonly json?: unknown;
  readonly attributes: Readonly<Record<string, string>>;
  readonly at: string;
}

/** the SNS Publish parameters a state machine passes (Message may be an object in ASL) */
export interface PublishParameters {
  readonly TopicArn?: string;
  readonly Subject?: string;
  readonly Message: unknown;
  readonly MessageAttributes?: Readonly<Record<string, { DataType?: string; StringValue?: string }>>;
}

/**
 * Where the state machine's SNS tasks publish locally (approval requests, retraining failures): kept in
 * memory for tests and the console, and handed to subscribers (the local runtime writes them to
 * out/alerts.jsonl). Nothing leaves the machine.
 */
export class LocalSnsSink {
  readonly messages: PublishedMessage[] = [];
  private readonly listeners = new Set<(message: PublishedMessage) => void>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** SNS Publish as a Step Functions task calls it */
  publish(parameters: PublishParameters): { MessageId: string } {
    return { MessageId: this.record(parameters).messageId };
  }

  /** publishes and returns the message as recorded */
  record(parameters: PublishParameters): PublishedMessage {
    const text =
      typeof parameters.Message === 'string' ? parameters.Message : JSON.stringify(parameters.Message);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const message: PublishedMessage = {
      messageId: randomUUID(),
      topicArn: parameters.TopicArn ?? '',
      ...(parameters.Subject === undefined ? {} : { subject: parameters.Subject }),
      message: text,
      ...(json === undefined ? {} : { json }),
      attributes: Object.fromEntries(
        Object.entries(parameters.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          value.StringValue ?? '',
        ]),
      ),
      at: this.now().toISOString(),
    };
    this.messages.push(message);
    for (const listener of this.listeners) listener(message);
    return message;
  }

  /** listens to every message published from now on; returns the unsubscribe function */
  subscribe(listener: (message: PublishedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** the messages whose `kind` attribute is `kind` (alert | approval-request | retraining-failed) */
  ofKind(kind: string): PublishedMessage[] {
    return this.messages.filter((m) => m.attributes.kind === kind);
  }
}

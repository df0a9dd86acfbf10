/**
 * Errors the adapters raise instead of the AWS SDK's: callers branch on these classes, never on SDK
 * error names, so a port's users do not depend on the service behind it. Messages are safe to log and
 * to show (names and keys, never payloads); the SDK error, when there is one, is kept as `cause`.
 */

/** A name, date or value that cannot become part of an object key or an item key. */
export class InvalidKeyPartError extends Error {
  override readonly name = 'InvalidKeyPartError';
  constructor(
    readonly part: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`invalid ${part} ${JSON.stringify(String(value))}: ${reason}`);
  }
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`object not found: ${key}`, options);
  }
}

/** An object exists but its content is not what the caller asked for (e.g. not JSON). */
export class InvalidObjectError extends Error {
  override readonly name = 'InvalidObjectError';
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`invalid object ${key}: ${reason}`, options);
  }
}

/** A record that DynamoDB (or the EventBridge/SNS payload limit) would refuse, caught before sending. */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(`${what} is ${bytes} bytes, over the ${limitBytes}-byte limit`);
  }
}

/** A value that does not satisfy a port's contract (negative count, non-finite metric, bad window). */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(`invalid ${what}: ${reason}`);
  }
}

/** An item read back from a table does not have the shape this code writes: schema drift or manual edits. */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
  constructor(
    readonly table: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`item ${key} in ${table} is not readable: ${reason}`);
  }
}

/** BatchWriteItem still had unprocessed items after every retry. */
export class BatchWriteIncompleteError extends Error {
  override readonly name = 'BatchWriteIncompleteError';
  constructor(
    readonly table: string,
    readonly unprocessed: number,
    readonly attempts: number,
  ) {
    super(`${unprocessed} item(s) still unprocessed in ${table} after ${attempts} attempts`);
  }
}

export class VersionExistsError extends Error {
  override readonly name = 'VersionExistsError';
  constructor(
    readonly model: string,
    readonly version: number,
  ) {
    super(`model ${model} already has version ${version}`);
  }
}

export class VersionNotFoundError extends Error {
  override readonly name = 'VersionNotFoundError';
  constructor(
    readonly model: string,
    readonly version: number,
  ) {
    super(`model ${model} has no version ${version}`);
  }
}

/** Someone else changed the champion since the caller read it (optimistic concurrency). */
export class StaleChampionError extends Error {
  override readonly name = 'StaleChampionError';
  constructor(
    readonly model: string,
    readonly expected: number | null,
    readonly actual: number | null,
  ) {
    super(`champion of ${model} is ${actual ?? 'unset'}, expected ${expected ?? 'unset'}`);
  }
}

/** Detector state was saved by someone else since the caller loaded it (optimistic concurrency). */
export class StaleStateError extends Error {
  override readonly name = 'StaleStateError';
  constructor(
    readonly key: string,
    readonly expectedVersion: number,
  ) {
    super(`state ${key} is no longer at version ${expectedVersion}`);
  }
}

/** SNS refused or kept throttling a notification. `throttled` tells whether a later retry may succeed. */
export class NotificationError extends Error {
  override readonly name = 'NotificationError';
  constructor(
    readonly code: string,
    readonly throttled: boolean,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(`notification not sent (${code}) after ${attempts} attempt(s)`, options);
  }
}

/** EventBridge kept failing some entries after every retry. */
export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
  constructor(
    readonly failed: number,
    readonly errorCodes: readonly string[],
    readonly attempts: number,
  ) {
    super(`${failed} event(s) not published after ${attempts} attempts: ${errorCodes.join(', ')}`);
  }
}

export type InferenceFailure = 'model-error' | 'not-ready' | 'invalid-request' | 'unavailable';

/**
 * An endpoint invocation failed. `statusCode` is what an HTTP proxy should answer (SageMaker answers 424 for
 * a model error); the model's own message stays in `detail`, which may echo user data: log it, do not return it.
 */
export class InferenceError extends Error {
  override readonly name = 'InferenceError';
  constructor(
    readonly endpoint: string,
    readonly failure: InferenceFailure,
    readonly statusCode: number,
    readonly retryable: boolean,
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(`invocation of endpoint ${endpoint} failed: ${failure}`, options);
  }
}

export class EndpointNotFoundError extends Error {
  override readonly name = 'EndpointNotFoundError';
  constructor(
    readonly resource: string,
    options?: ErrorOptions,
  ) {
    super(`not found: ${resource}`, options);
  }
}

/** The endpoint is being created or updated; SageMaker refuses another update until it is InService. */
export class EndpointBusyError extends Error {
  override readonly name = 'EndpointBusyError';
  constructor(
    readonly endpoint: string,
    options?: ErrorOptions,
  ) {
    super(`endpoint ${endpoint} is busy with another change`, options);
  }
}

/** Variant names the endpoint does not have; nothing was changed. */
export class VariantNotFoundError extends Error {
  override readonly name = 'VariantNotFoundError';
  constructor(
    readonly endpoint: string,
    readonly variants: readonly string[],
    readonly known: readonly string[],
  ) {
    super(
      `endpoint ${endpoint} has no variant ${variants.join(', ')} (it has ${known.join(', ') || 'none'}); nothing changed`,
    );
  }
}

/** CloudWatch could not return an endpoint's metrics (a query failed, or it kept answering with partial data). */
export class EndpointMetricsError extends Error {
  override readonly name = 'EndpointMetricsError';
  constructor(
    readonly endpoint: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`metrics of endpoint ${endpoint} unavailable: ${reason}`, options);
  }
}

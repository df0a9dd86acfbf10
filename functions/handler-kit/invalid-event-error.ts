/** An event without the shape its handler expects; the message names the field, e.g. `event.trigger.time: ...`. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

import {
  EventBridgeClient,
  type PutEventsCommandInput,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { MotoServer } from './moto-server.ts';

export interface CallLog {
  /** entries per PutEvents call that reached moto */
  sizes: number[];
  maxInFlight: number;
}

/**
 * A client to moto that records each call's size and the calls in flight, and can fail chosen entries.
 * moto never fails an entry for throttling, so `failWith` does: a chosen entry is taken out of the request
 * before it reaches moto (it is not delivered) and put back into the response as a failed entry, which is
 * exactly what a partially failed PutEvents looks like to the caller. Everything else is moto's own answer.
 */
export const instrumentedClient = (
  moto: MotoServer,
  failWith: (entry: PutEventsRequestEntry, call: number) => string | undefined = () => undefined,
) => {
  const client = new EventBridgeClient(moto.clientConfig);
  const log: CallLog = { sizes: [], maxInFlight: 0 };
  let inFlight = 0;
  let calls = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as PutEventsCommandInput;
      const entries = input.Entries ?? [];
      const call = calls++;
      const verdicts = entries.map((entry) => failWith(entry, call));
      const passed = entries.filter((_, i) => verdicts[i] === undefined);
      inFlight += 1;
      log.maxInFlight = Math.max(log.maxInFlight, inFlight);
      try {
        const result =
          passed.length > 0
            ? await next({ ...args, input: { ...input, Entries: passed } })
            : { output: { FailedEntryCount: 0, Entries: [], $metadata: {} }, response: {} };
        if (passed.length > 0) log.sizes.push(passed.length);
        const output = result.output as PutEventsCommandOutput;
        const real = [...(output.Entries ?? [])];
        const injected = verdicts.filter((v) => v !== undefined).length;
        return {
          ...result,
          output: {
            ...output,
            FailedEntryCount: (output.FailedEntryCount ?? 0) + injected,
            Entries: verdicts.map((code) =>
              code ? { ErrorCode: code, ErrorMessage: 'injected' } : real.shift(),
            ),
          },
        };
      } finally {
        inFlight -= 1;
      }
    },
    { step: 'initialize', name: 'recordAndFailEntries' },
  );
  return { client, log };
};

import { createHash } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidKeyPartError, RecordTooLargeError } from '../errors.ts';
import type { WorkflowStarter } from '../workflow-starter.ts';

const defaultSfn = new SFNClient({});

/** Step Functions: 1-80 characters; ASCII letters, digits, `-` and `_` are safe for every workflow type and log */
const NAME_MAX = 80;
const INPUT_MAX_BYTES = 256 * 1024;

/**
 * A deterministic execution name from its parts, e.g. `executionName('retrain', model, windowStart)`.
 * Unsafe characters become `-`; when that changed anything or the name is too long, a hash of the original
 * parts is appended, so two part lists whose `-`-joined texts differ never share a name.
 */
export const executionName = (...parts: readonly string[]): string => {
  if (parts.length === 0 || parts.some((p) => p.length === 0)) {
    throw new InvalidKeyPartError('execution name', parts.join('-'), 'needs non-empty parts');
  }
  const raw = parts.join('-');
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, '-');
  if (safe === raw && safe.length <= NAME_MAX) return safe;
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
  return `${safe.slice(0, NAME_MAX - hash.length - 1)}-${hash}`;
};

/** `...:stateMachine:<sm>` to `...:execution:<sm>:<name>`, the ARN StartExecution would have returned */
export const executionArnFor = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

export const makeSfnWorkflowStarter = (sfn: SFNClient = defaultSfn): WorkflowStarter => ({
  async start({ stateMachineArn, name, input }) {
    if (name.length === 0 || name.length > NAME_MAX || /[^A-Za-z0-9_-]/.test(name)) {
      throw new InvalidKeyPartError('execution name', name, 'use executionName() to build one');
    }
    const body = JSON.stringify(input ?? {});
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > INPUT_MAX_BYTES) throw new RecordTooLargeError('execution input', bytes, INPUT_MAX_BYTES);
    try {
      const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: body }));
      return {
        executionArn: out.executionArn ?? executionArnFor(stateMachineArn, name),
        alreadyStarted: false,
      };
    } catch (error) {
      // a redelivered event: the execution it asks for exists (running, or closed within 90 days)
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        return { executionArn: executionArnFor(stateMachineArn, name), alreadyStarted: true };
      }
      throw error;
    }
  },
});

import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import type {
  StartRequest,
  StartResult,
  WorkflowStarter,
} from '../../functions/adapters/workflow-starter.ts';
import {
  DETAIL_TYPES,
  EVENT_SOURCE,
  type EventTrigger,
  type RetrainingRequestedDetail,
} from '../../functions/shared/events.ts';
import type {
  FailureInfo,
  RetrainingExecutionInput,
  RetrainingState,
  RetrainingStep,
} from '../../functions/shared/retraining-contract.ts';
import type { LocalSageMaker } from '../sagemaker/local-sagemaker.ts';
import type { LocalSnsSink, PublishedMessage, PublishParameters } from './local-sns.ts';
import { type AslDefinition, allStates } from './resolve-state-machine.ts';
import type { RetrainingMachine } from './retraining-machine.ts';
import type { LambdaHandler } from './retraining-steps.ts';
import { type Binding, bindTask, type Json, json, named, type RunContext, sleep } from './task-bindings.ts';
import { unwrapTaskInput, withStateInputFields } from './task-input-fields.ts';

/**
 * Runs a model's synthesized retraining state machine locally in aws-local-stepfunctions, every Task bound to
 * a local stand-in: Lambda tasks to the real step handlers (and the baseline job), SageMaker tasks to the local
 * SageMaker (`.sync` polls its Describe* until the job ends and returns that shape, as Step Functions does),
 * SNS tasks to a local sink, `.waitForTaskToken` to a pending token that `sendTaskSuccess` / `sendTaskFailure`
 * answers. Wait states and retry intervals shrink to `pollIntervalMs`. Executions start by the runner's clock:
 * aws-local-stepfunctions stamps `$$.Execution.StartTime` with the wall clock, so the definition's references
 * to it are pointed at a context field holding the runner's time instead.
 */

export interface RetrainingRunnerOptions {
  readonly machine: RetrainingMachine;
  /** the real step handlers with local ports: makeLocalRetrainingSteps(...) */
  readonly steps: Record<RetrainingStep, LambdaHandler>;
  /** what the NewBaseline state invokes (the baseline job's handler) */
  readonly baselineJob: LambdaHandler;
  readonly sageMaker: LocalSageMaker;
  readonly sns: LocalSnsSink;
  /** the clock executions start by (a simulated one in the local runtime); @default the wall clock */
  readonly now?: () => Date;
  /** ms between polls of a `.sync` job, and the length of every Wait state and retry interval; @default 5 */
  readonly pollIntervalMs?: number;
  /** ms an unanswered task token waits before failing with States.Timeout; @default - the state's TimeoutSeconds */
  readonly taskTokenTimeoutMs?: number;
  /** called when a task token is waiting, e.g. to answer approvals automatically in a demo */
  readonly onTaskToken?: (pending: PendingTaskToken) => void;
  readonly region?: string;
  readonly accountId?: string;
}

/** a `.waitForTaskToken` task waiting for an answer (the retraining workflow's approval request) */
export interface PendingTaskToken {
  readonly token: string;
  readonly executionId: string;
  readonly executionName: string;
  readonly state: string;
  /** what the task published; for RequestApproval, `json` is the ApprovalRequestMessage */
  readonly message: PublishedMessage;
  readonly requestedAt: string;
}

/** one Task state as it ran: its input after Parameters, and its result or error */
export interface TaskRecord {
  readonly state: string;
  readonly resource: string;
  readonly input: unknown;
  /** the role the task ran with (`Credentials`), null when it ran with the state machine's own */
  readonly roleArn: string | null;
  output?: unknown;
  error?: FailureInfo;
  readonly startedAt: string;
  endedAt?: string;
  /** wall-clock time the local stand-in took */
  durationMs?: number;
}

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionOutcome {
  readonly id: string;
  readonly name: string;
  readonly startTime: string;
  readonly stopTime: string;
  readonly status: ExecutionStatus;
  /** the final state on success (Done or Skipped) */
  readonly output: RetrainingState | null;
  /** the Fail state's error and cause (`$.failure`) on failure */
  readonly error: string | null;
  readonly cause: string | null;
  /** Task states in the order they started, Parallel branches included */
  readonly tasks: readonly TaskRecord[];
  /** aws-local-stepfunctions' event log: StateEntered/Exited, Caught, Retried, Execution* */
  readonly history: readonly unknown[];
}

export interface LocalExecution {
  readonly id: string;
  readonly name: string;
  readonly startTime: string;
  /** Task records so far (live) */
  readonly tasks: readonly TaskRecord[];
  readonly result: Promise<ExecutionOutcome>;
  abort(): void;
}

export interface StartOptions {
  /** @default `local-<n>-<random>`; names are unique per runner, as per state machine in AWS */
  readonly name?: string;
  /** @default a `Retraining Requested` event for the model, at the runner's clock */
  readonly trigger?: EventTrigger<RetrainingRequestedDetail>;
  /** the whole execution input; @default `{ trigger }` for the runner's model */
  readonly input?: RetrainingExecutionInput;
}

/** an answer for a token nobody waits for (answered already, or never issued) */
export class TaskTokenNotFoundError extends Error {
  override readonly name = 'TaskDoesNotExist';
  constructor(readonly token: string) {
    super(`no task is waiting for token ${token}`);
  }
}

const LOCAL_START_TIME = '$$.Execution.LocalStartTime';
const ROLE_NAME = 'local-step-functions';

/** `$$.Execution.StartTime` anywhere in the definition, pointed at the runner's clock */
const withLocalStartTime = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withLocalStartTime);
  if (value === '$$.Execution.StartTime') return LOCAL_START_TIME;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withLocalStartTime(v)]));
};

interface Waiter {
  readonly pending: PendingTaskToken;
  resolve(output: Json): void;
  reject(error: Error): void;
}

export class RetrainingRunner {
  readonly machine: RetrainingMachine;
  private readonly definition: AslDefinition;
  private readonly bindings = new Map<string, { resource: string; bind: Binding }>();
  private readonly waiting = new Map<string, Waiter>();
  private readonly tokenListeners = new Set<(pending: PendingTaskToken) => void>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly now: () => Date;
  private readonly pollMs: number;
  private sequence = 0;

  constructor(private readonly options: RetrainingRunnerOptions) {
    this.machine = options.machine;
    this.now = options.now ?? (() => new Date());
    this.pollMs = options.pollIntervalMs ?? 5;
    this.definition = withStateInputFields(withLocalStartTime(options.machine.definition) as AslDefinition);
    for (const [name, state] of Object.entries(allStates(this.definition))) {
      if (state.Type !== 'Task') continue;
      const bind = bindTask(name, state, {
        machine: this.machine,
        steps: options.steps,
        baselineJob: options.baselineJob,
        sageMaker: options.sageMaker,
        sns: options.sns,
        pollMs: this.pollMs,
        waitForToken: (input, run) => this.waitForToken(input, run),
      });
      this.bindings.set(name, { resource: String(state.Resource), bind });
    }
  }

  /** Starts an execution and returns at once; `result` settles when it ends. */
  start(options: StartOptions = {}): LocalExecution {
    this.sequence += 1;
    const name = options.name ?? `local-${this.sequence}-${randomUUID().slice(0, 8)}`;
    if (this.executions.has(name)) {
      throw named('ExecutionAlreadyExists', `an execution named ${name} already ran on this runner`);
    }
    const region = this.options.region ?? 'us-east-1';
    const account = this.options.accountId ?? '123456789012';
    const id = `arn:aws:states:${region}:${account}:execution:${this.machine.stateMachineName}:${name}`;
    const startTime = this.now().toISOString();
    const input: RetrainingExecutionInput = options.input ?? {
      trigger: options.trigger ?? {
        id: randomUUID(),
        source: EVENT_SOURCE,
        detailType: DETAIL_TYPES.retrainingRequested,
        time: startTime,
        detail: { model: this.machine.model.name, reason: 'requested locally' },
      },
    };
    const token = `${name}:${randomUUID()}`;
    const tasks: TaskRecord[] = [];
    const handlers = Object.fromEntries(
      [...this.bindings].map(([state, { resource, bind }]) => [
        state,
        async (input: Json) => {
          const { request: parameters, roleArn } = unwrapTaskInput(input);
          const record: TaskRecord = {
            state,
            resource,
            input: json(parameters),
            roleArn,
            startedAt: this.now().toISOString(),
          };
          tasks.push(record);
          const began = performance.now();
          try {
            const output = await bind(parameters, { id, name, token, state });
            record.output = output;
            return output;
          } catch (error) {
            const failure = error as Error;
            record.error = { Error: failure.name, Cause: failure.message };
            throw error;
          } finally {
            record.endedAt = this.now().toISOString();
            record.durationMs = Math.round(performance.now() - began);
          }
        },
      ]),
    );
    const waits = Object.fromEntries(
      Object.entries(allStates(this.definition))
        .filter(([, state]) => state.Type === 'Wait')
        .map(([state]) => [state, this.pollMs]),
    );
    const retries = Object.fromEntries(
      Object.entries(allStates(this.definition))
        .filter(([, state]) => (state.Retry?.length ?? 0) > 0)
        .map(([state]) => [state, this.pollMs]),
    );
    const machine = new StateMachine(this.definition as Json, { validationOptions: { checkArn: false } });
    const run = machine.run(json(input), {
      overrides: {
        taskResourceLocalHandlers: handlers,
        waitTimeOverrides: waits,
        retryIntervalOverrides: retries,
      },
      context: {
        Execution: {
          Id: id,
          Name: name,
          LocalStartTime: startTime,
          RoleArn: `arn:aws:iam::${account}:role/${ROLE_NAME}`,
        },
        StateMachine: { Id: this.machine.stateMachineArn, Name: this.machine.stateMachineName },
        Task: { Token: token },
      },
    });
    const history: unknown[] = [];
    const drained = (async () => {
      for await (const event of run.eventLogs) history.push(event);
    })();
    const result = (async (): Promise<ExecutionOutcome> => {
      let status: ExecutionStatus = 'SUCCEEDED';
      let output: RetrainingState | null = null;
      let error: string | null = null;
      let cause: string | null = null;
      try {
        output = (await run.result) as unknown as RetrainingState;
      } catch (thrown) {
        if (thrown instanceof ExecutionTimeoutError) status = 'TIMED_OUT';
        else if (thrown instanceof ExecutionAbortedError) status = 'ABORTED';
        else status = 'FAILED';
        const failure = (thrown as Error).cause as Error | undefined;
        error = failure?.name ?? (thrown as Error).name;
        cause = failure?.message ?? (thrown as Error).message;
      } finally {
        for (const [key, waiter] of this.waiting)
          if (waiter.pending.executionName === name) this.waiting.delete(key);
      }
      await Promise.race([drained, sleep(50)]);
      return {
        id,
        name,
        startTime,
        stopTime: this.now().toISOString(),
        status,
        output,
        error,
        cause,
        tasks,
        history,
      };
    })();
    const execution: LocalExecution = { id, name, startTime, tasks, result, abort: () => run.abort() };
    this.executions.set(name, execution);
    return execution;
  }

  /** Starts an execution and waits for its end. */
  run(options: StartOptions = {}): Promise<ExecutionOutcome> {
    return this.start(options).result;
  }

  /** an execution this runner started, by name */
  execution(name: string): LocalExecution | undefined {
    return this.executions.get(name);
  }

  /** the tokens waiting for an answer, oldest first */
  pendingTaskTokens(): PendingTaskToken[] {
    return [...this.waiting.values()].map((waiter) => waiter.pending);
  }

  /** the next token waiting (one already waiting, or the next to come), optionally of one execution */
  nextTaskToken(executionName?: string, timeoutMs = 10_000): Promise<PendingTaskToken> {
    const matches = (pending: PendingTaskToken) =>
      executionName === undefined || pending.executionName === executionName;
    const waiting = this.pendingTaskTokens().find(matches);
    if (waiting) return Promise.resolve(waiting);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.tokenListeners.delete(listener);
        reject(new Error(`no task token within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (pending: PendingTaskToken) => {
        if (!matches(pending)) return;
        clearTimeout(timer);
        this.tokenListeners.delete(listener);
        resolve(pending);
      };
      this.tokenListeners.add(listener);
    });
  }

  /** `aws stepfunctions send-task-success`: the waiting task succeeds with `output` (approval: {approved, ...}) */
  sendTaskSuccess(token: string, output: unknown): void {
    const waiter = this.waiting.get(token);
    if (!waiter) throw new TaskTokenNotFoundError(token);
    this.waiting.delete(token);
    waiter.resolve(json(output));
  }

  /** `aws stepfunctions send-task-failure`: the waiting task fails with `error` (its Catch sees that name) */
  sendTaskFailure(token: string, error: string, cause = ''): void {
    const waiter = this.waiting.get(token);
    if (!waiter) throw new TaskTokenNotFoundError(token);
    this.waiting.delete(token);
    waiter.reject(named(error, cause));
  }

  /** the WorkflowStarter port over this runner, for whatever starts retraining locally (the alert router) */
  asWorkflowStarter(): WorkflowStarter {
    return {
      start: async (request: StartRequest): Promise<StartResult> => {
        if (request.stateMachineArn !== this.machine.stateMachineArn) {
          throw named(
            'StateMachineDoesNotExist',
            `${request.stateMachineArn} is not ${this.machine.stateMachineArn}`,
          );
        }
        const existing = this.executions.get(request.name);
        if (existing) return { executionArn: existing.id, alreadyStarted: true };
        const started = this.start({ name: request.name, input: request.input as RetrainingExecutionInput });
        return { executionArn: started.id, alreadyStarted: false };
      },
    };
  }

  private waitForToken(input: Json, run: RunContext): Promise<Json> {
    const published = this.options.sns.record(input as PublishParameters);
    let resolve!: (output: Json) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: PendingTaskToken = {
      token: run.token,
      executionId: run.id,
      executionName: run.name,
      state: run.state,
      message: published,
      requestedAt: this.now().toISOString(),
    };
    this.waiting.set(run.token, { pending, resolve, reject });
    let timer: NodeJS.Timeout | undefined;
    if (this.options.taskTokenTimeoutMs !== undefined) {
      timer = setTimeout(() => {
        if (!this.waiting.delete(run.token)) return;
        reject(
          named('States.Timeout', `no answer for task token within ${this.options.taskTokenTimeoutMs} ms`),
        );
      }, this.options.taskTokenTimeoutMs);
    }
    for (const listener of [...this.tokenListeners]) listener(pending);
    this.options.onTaskToken?.(pending);
    return promise.finally(() => clearTimeout(timer));
  }
}

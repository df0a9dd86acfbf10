/** Starts Step Functions workflows (retraining) idempotently. Implementation: sfn/sfn-workflow-starter.ts. */

export interface StartRequest {
  readonly stateMachineArn: string;
  /** a deterministic name (see executionName) makes a redelivered trigger find the first execution */
  readonly name: string;
  readonly input: unknown;
}

export interface StartResult {
  readonly executionArn: string;
  /** true when an execution with this name already existed and nothing new was started */
  readonly alreadyStarted: boolean;
}

export interface WorkflowStarter {
  start(request: StartRequest): Promise<StartResult>;
}

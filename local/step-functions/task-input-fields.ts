import type { AslDefinition, AslState } from './resolve-state-machine.ts';

/**
 * Two Task fields Step Functions evaluates against the state's input, which aws-local-stepfunctions gets wrong:
 * it ignores `Credentials` (every model's SageMaker call would run with one identity, and no test could tell
 * which role a call was made with), and it resolves `TimeoutSecondsPath` against the input after Parameters
 * (where `$.settings...` no longer exists). Before running, each such Task is rewritten so that both are
 * evaluated on the state's input as in AWS and reach the local handler beside the request:
 *
 *   { InputPath: P, Credentials: { RoleArn.$: R }, TimeoutSecondsPath: T }
 *     -> { Parameters: { __request.$: P, __roleArn.$: R, __timeoutSeconds.$: T }, TimeoutSecondsPath: $.__timeoutSeconds }
 *   { Parameters: X, ... }  -> the same with  __request: X
 *
 * and `unwrapTaskInput` splits the request and the role again in the handler. A Task with InputPath and
 * Parameters as well has no faithful rewrite and is refused.
 */

const REQUEST = '__request';
const ROLE = '__roleArn';
const TIMEOUT = '__timeoutSeconds';

interface Credentials {
  readonly RoleArn?: string;
  readonly 'RoleArn.$'?: string;
}

const rewriteState = (name: string, state: AslState): AslState => {
  if (state.Type === 'Parallel') {
    return { ...state, Branches: (state.Branches ?? []).map(withStateInputFields) };
  }
  const credentials = state.Credentials as Credentials | undefined;
  const timeoutPath = state.TimeoutSecondsPath as string | undefined;
  if (state.Type !== 'Task' || (!credentials && !timeoutPath)) return state;
  if (state.InputPath !== undefined && state.Parameters !== undefined) {
    throw new Error(`state ${name}: InputPath and Parameters with Credentials or TimeoutSecondsPath`);
  }
  const {
    Credentials: _credentials,
    InputPath: inputPath,
    Parameters: parameters,
    TimeoutSecondsPath: _timeout,
    ...rest
  } = state;
  const request =
    parameters !== undefined ? { [REQUEST]: parameters } : { [`${REQUEST}.$`]: (inputPath as string) ?? '$' };
  const role = !credentials
    ? {}
    : credentials['RoleArn.$'] !== undefined
      ? { [`${ROLE}.$`]: credentials['RoleArn.$'] }
      : { [ROLE]: credentials.RoleArn ?? null };
  const timeout = timeoutPath ? { [`${TIMEOUT}.$`]: timeoutPath } : {};
  return {
    ...rest,
    Parameters: { ...request, ...role, ...timeout },
    ...(timeoutPath ? { TimeoutSecondsPath: `$.${TIMEOUT}` } : {}),
  };
};

/**
 * Node's timers hold at most 2^31-1 ms (24.8 days): a longer `TimeoutSeconds` (the shared machine's ceiling is
 * about 60 days) would fire at once in aws-local-stepfunctions. Locally the ceiling is clamped to what a timer holds.
 */
const MAX_LOCAL_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** every Task with Credentials or TimeoutSecondsPath, Parallel branches included, rewritten as above */
export const withStateInputFields = (definition: AslDefinition): AslDefinition => ({
  ...definition,
  ...(definition.TimeoutSeconds !== undefined
    ? { TimeoutSeconds: Math.min(definition.TimeoutSeconds, MAX_LOCAL_TIMEOUT_SECONDS) }
    : {}),
  States: Object.fromEntries(
    Object.entries(definition.States).map(([name, state]) => [name, rewriteState(name, state)]),
  ),
});

/** a rewritten Task's input split into its request and role ARN; other inputs pass whole, with a null role */
export const unwrapTaskInput = (input: unknown): { request: unknown; roleArn: string | null } => {
  if (input !== null && typeof input === 'object' && REQUEST in input) {
    const record = input as Record<string, unknown>;
    return { request: record[REQUEST], roleArn: (record[ROLE] as string | undefined) ?? null };
  }
  return { request: input, roleArn: null };
};

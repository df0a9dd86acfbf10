import { ENV, requireEnv } from '../shared/env-keys.ts';

/**
 * The dispatcher function's environment. The keys are shared with lib/ (the construct that creates the function
 * sets them); `MODEL_CARE_MODELS_TABLE` is the models table of the fleet design.
 */
export const DISPATCHER_ENV = {
  modelsTable: 'MODEL_CARE_MODELS_TABLE',
  /** `fleet.dispatchEveryMinutes`: the tick rule's rate, which the due-window arithmetic must know */
  dispatchEveryMinutes: 'MODEL_CARE_DISPATCH_EVERY_MINUTES',
} as const;

export interface DispatcherEnvironment {
  readonly modelsTable: string;
  readonly eventBusName: string;
  readonly periodMinutes: number;
}

/** Read once, at cold start, failing with the variable's name. */
export const readDispatcherEnvironment = (env: NodeJS.ProcessEnv = process.env): DispatcherEnvironment => {
  const text = requireEnv(DISPATCHER_ENV.dispatchEveryMinutes, env);
  const periodMinutes = Number(text);
  if (!/^\d+$/.test(text) || periodMinutes < 1) {
    throw new Error(
      `environment variable ${DISPATCHER_ENV.dispatchEveryMinutes} is not a positive whole number`,
    );
  }
  return {
    modelsTable: requireEnv(DISPATCHER_ENV.modelsTable, env),
    eventBusName: requireEnv(ENV.eventBusName, env),
    periodMinutes,
  };
};

import { ENV, requireEnv } from '../shared/env-keys.ts';

/** What every monitoring job's function has in its environment (lib/constructs/monitoring-jobs.ts). */
export interface JobEnvironment {
  readonly bucket: string;
  readonly eventBusName: string;
  readonly metricsTtlDays: number;
  readonly dashboardPrefix: string;
  /** for console links in alerts; Lambda sets it */
  readonly region: string;
}

/** Read once, at cold start, failing with the variable's name. */
export const readJobEnvironment = (env: NodeJS.ProcessEnv = process.env): JobEnvironment => {
  const ttl = Number(requireEnv(ENV.metricsTtlDays, env));
  if (!Number.isInteger(ttl) || ttl < 1) {
    throw new Error(`environment variable ${ENV.metricsTtlDays} is not a positive integer`);
  }
  return {
    bucket: requireEnv(ENV.captureBucket, env),
    eventBusName: requireEnv(ENV.eventBusName, env),
    metricsTtlDays: ttl,
    dashboardPrefix: requireEnv(ENV.dashboardPrefix, env),
    region: requireEnv('AWS_REGION', env),
  };
};

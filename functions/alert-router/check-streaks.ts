import type { RunRecord, RunRepository } from '../adapters/run-repository.ts';
import type { CheckStreak } from './alert-message.ts';

const violatedChecks = (run: RunRecord): string[] => {
  const checks = run.summary.violatedChecks;
  return Array.isArray(checks) ? checks.filter((c): c is string => typeof c === 'string') : [];
};

/**
 * Since when each check has been violated: walking back from this run over the model's runs of the job, as long
 * as each one lists the check among its `violatedChecks`. Looks back at most `lookbackMs`.
 */
export const checkStreaks = async (deps: {
  readonly runs: RunRepository;
  readonly model: string;
  readonly job: 'data' | 'quality';
  readonly windowStart: string;
  readonly checks: readonly string[];
  readonly lookbackMs: number;
}): Promise<CheckStreak[]> => {
  const from = new Date(Date.parse(deps.windowStart) - deps.lookbackMs);
  const to = new Date(Date.parse(deps.windowStart) + 1000);
  const history = (await deps.runs.listRuns(deps.model, deps.job, from, to))
    .filter((run) => run.windowStart <= deps.windowStart)
    .sort((a, b) => (a.windowStart < b.windowStart ? 1 : -1));
  return deps.checks.map((check) => {
    let since = deps.windowStart;
    let runs = 1;
    for (const run of history) {
      if (run.windowStart === deps.windowStart) continue;
      if (!violatedChecks(run).includes(check)) break;
      since = run.windowStart;
      runs += 1;
    }
    return { check, since, runs };
  });
};

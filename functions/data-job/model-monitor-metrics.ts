import type { RunMetrics } from '../adapters/run-metrics.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';

/**
 * Where `compat.modelMonitorMetrics` sends the data job's per-feature metrics as well: Model Monitor's dimensions
 * (`Endpoint`, `MonitoringSchedule`) for a model with an endpoint, the schedule named as the import wrote it (or
 * `model-care-<model>`). Nothing for a model without the setting or without an endpoint.
 */
export const modelMonitorMetrics = (model: ModelConfig): Pick<RunMetrics, 'modelMonitor'> => {
  const compat = model.compat;
  if (!compat?.modelMonitorMetrics || !model.endpoint) return {};
  return {
    modelMonitor: {
      endpoint: model.endpoint.name,
      schedule: compat.monitoringScheduleName ?? `model-care-${model.name}`,
    },
  };
};

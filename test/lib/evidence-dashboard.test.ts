import { describe, expect, it } from 'vitest';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { logicalIdOf } from './support/template-queries.ts';

describe('the dashboard’s evidence widgets (issue 12)', () => {
  it('draws each feature’s drift evidence and the error evidence against the 1/α line', () => {
    const { stack, json } = synthConfig('config/model-care.json');
    const care = stack.care;
    const body = JSON.parse(
      resolveIntrinsics(
        json.Resources[logicalIdOf(care.models.churn!.dashboard.dashboard)]!.Properties!.DashboardBody,
        json,
      ) as string,
    ) as {
      widgets: {
        properties: {
          title?: string;
          metrics?: unknown[][];
          annotations?: { horizontal?: { value: number; label: string }[] };
        };
      }[];
    };
    const titled = (title: string) =>
      body.widgets.find((w) => w.properties.title?.startsWith(title))!.properties;
    const features = titled('Drift evidence per feature');
    const names = JSON.stringify(features.metrics);
    for (const feature of care.config.models[0]!.features)
      expect(names).toContain(`"feature_drift_evidence_${feature.name}"`);
    expect(features.annotations?.horizontal).toEqual([
      expect.objectContaining({ value: 20, label: 'alarm: 1/α = 20' }),
    ]);
    const error = titled('Model error evidence');
    expect(JSON.stringify(error.metrics)).toContain('"error_evidence"');
    expect(error.annotations?.horizontal?.[0]?.value).toBe(20);
  });
});

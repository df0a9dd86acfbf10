import type { z } from 'zod';
import { ConfigError, formatConfigIssue } from './config-error.ts';
import { type ModelCareConfig, modelCareConfigSchema } from './model-care-schema.ts';
import { type ModelConfig, modelConfigSchema } from './model-schema.ts';

// the first problem becomes a ConfigError of one line
const parseWith = <T extends z.ZodType>(schema: T, input: unknown, source: string): z.output<T> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new ConfigError(first ? formatConfigIssue(source, first, input) : `${source}: invalid configuration`);
};

export const parseModelCareConfig = (input: unknown, source: string): ModelCareConfig =>
  parseWith(modelCareConfigSchema, input, source);

/** For handlers: the model config their event carries, parsed once more so a hand-made event fails clearly. */
export const parseModelConfig = (input: unknown, source = 'event.model'): ModelConfig =>
  parseWith(modelConfigSchema, input, source);

import { readFileSync } from 'node:fs';
import { ConfigError } from '../functions/shared/config/config-error.ts';
import type { ModelCareConfig } from '../functions/shared/config/model-care-schema.ts';
import { parseModelCareConfig } from '../functions/shared/config/parse-config.ts';

export { ConfigError } from '../functions/shared/config/config-error.ts';

/** where `cdk synth` finds the config unless the `configFile` context says otherwise */
export const DEFAULT_CONFIG_FILE = 'config/model-care.json';

/**
 * Reads and validates a model-care config file. Every problem becomes one ConfigError line naming the file,
 * the field path and the bad value, e.g.
 * `config/x.json: models[0].schedules.data: "every hour" is not a cron(...) or rate(...) expression`.
 */
export const loadConfig = (file: string = DEFAULT_CONFIG_FILE): ModelCareConfig => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot be read (${code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: is not valid JSON (${(error as Error).message})`);
  }
  return parseModelCareConfig(json, file);
};

import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { InputError } from '../functions/engine/errors.ts';
import {
  compilePayloadMapping,
  type ExcludeRuleSpec,
  PayloadExpressionError,
  type PayloadMappingSpec,
} from '../functions/engine/readers/payload-mapping.ts';
import { ConfigError } from '../functions/shared/config/config-error.ts';
import { parseModelConfig } from '../functions/shared/config/parse-config.ts';

/** `check`'s capture payload settings: the model config's `payload` block, as flags or from the file itself. */
export interface PayloadFlags {
  modelConfig?: string;
  inputsPath?: string;
  outputsPath?: string;
  excludeAttribute?: ExcludeRuleSpec[];
  excludeInput?: ExcludeRuleSpec[];
}

/** `key=v1|v2` → a rule; `field` says which flag, for the message */
const rule =
  (field: 'attribute' | 'inputPath') =>
  (text: string, previous: ExcludeRuleSpec[] = []): ExcludeRuleSpec[] => {
    const eq = text.indexOf('=');
    if (eq < 1 || eq === text.length - 1)
      throw new InvalidArgumentError(`"${text}" is not KEY=VALUE (several values: KEY=V1|V2)`);
    const key = text.slice(0, eq);
    const values = text.slice(eq + 1).split('|');
    return [...previous, field === 'attribute' ? { attribute: key, values } : { inputPath: key, values }];
  };

export const addPayloadOptions = (command: Command): Command =>
  command
    .option(
      '--model-config <file>',
      'a model config (as `models put` takes): its `payload` block says where JSON payloads hold features and outputs, and which records to leave out',
    )
    .option(
      '--inputs-path <jmespath>',
      'capture: JMESPath to the features in JSON requests (payload.inputsPath)',
    )
    .option(
      '--outputs-path <jmespath>',
      'capture: JMESPath to the outputs in JSON responses (payload.outputsPath)',
    )
    .option(
      '--exclude-attribute <key=values>',
      'capture: leave out records whose custom attribute KEY is one of V1|V2 (repeatable)',
      rule('attribute'),
    )
    .option(
      '--exclude-input <path=values>',
      'capture: leave out records whose JSON request holds one of V1|V2 at PATH (repeatable)',
      rule('inputPath'),
    );

const fromFile = (file: string): PayloadMappingSpec | undefined => {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code
          ? `cannot be read (${code})`
          : `is not JSON (${(error as Error).message})`;
    throw new InputError({ file }, reason);
  }
  try {
    return parseModelConfig(input, file).payload;
  } catch (error) {
    // ConfigError's message already starts with the file
    if (error instanceof ConfigError) throw new InputError({ file }, error.message.slice(file.length + 2));
    throw error;
  }
};

const FLAG_OF: Record<string, string> = {
  'payload.inputsPath': '--inputs-path',
  'payload.outputsPath': '--outputs-path',
};

/**
 * The payload mapping the flags ask for, flags over the file's; undefined when none. An expression that does not
 * parse is an InputError naming its flag (or the file's field), so exit 2.
 */
export const payloadSpecOf = (flags: PayloadFlags): PayloadMappingSpec | undefined => {
  const file = flags.modelConfig === undefined ? undefined : fromFile(flags.modelConfig);
  const exclude = [...(flags.excludeAttribute ?? []), ...(flags.excludeInput ?? [])];
  const spec: PayloadMappingSpec = {
    ...file,
    ...(flags.inputsPath === undefined ? {} : { inputsPath: flags.inputsPath }),
    ...(flags.outputsPath === undefined ? {} : { outputsPath: flags.outputsPath }),
    ...(exclude.length === 0 ? {} : { exclude: [...(file?.exclude ?? []), ...exclude] }),
  };
  try {
    compilePayloadMapping(spec);
  } catch (error) {
    if (!(error instanceof PayloadExpressionError)) throw error;
    const flag =
      FLAG_OF[error.field] ?? (error.field.startsWith('payload.exclude') ? '--exclude-input' : error.field);
    throw new InputError(
      { file: flag },
      `${JSON.stringify(error.expression)} is not a JMESPath expression (${error.reason})`,
    );
  }
  return Object.keys(spec).length === 0 ? undefined : spec;
};

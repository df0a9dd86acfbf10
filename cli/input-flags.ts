import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_NAME_LENGTH } from '../functions/engine/readers/limits.ts';
import type { TableFormat, TableSchema } from '../functions/engine/readers/table.ts';
import { type AwsFlags, addAwsOptions } from './aws-options.ts';
import { makeInputLocations } from './input-location.ts';
import type { InputOptions } from './read-input.ts';

export interface InputFlags extends AwsFlags {
  format: TableFormat | 'auto';
  header?: boolean;
  names?: string;
  exclude?: string;
  quiet?: boolean;
  maxLineLength: number;
  maxNameLength: number;
}

export const positiveInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
};

/** The options every command that reads data shares. */
export const addInputOptions = (command: Command): Command =>
  addAwsOptions(command)
    .addOption(
      new Option('--format <format>', 'input format (auto: sniffed; `.parquet` files are Parquet)')
        .choices(['auto', 'csv', 'jsonl', 'capture', 'parquet'])
        .default('auto'),
    )
    .option('--header', 'the CSV input has a header row (default: detected)')
    .option('--no-header', 'the CSV input has no header row')
    .option(
      '--names <list>',
      'comma-separated names for unnamed columns (headerless CSV, JSON arrays, capture input)',
    )
    .option('--exclude <list>', 'comma-separated columns to leave out (ids, timestamps)')
    .option(
      '--max-line-length <chars>',
      'a longer line (CSV record) is malformed: counted, listed, skipped',
      positiveInteger,
      DEFAULT_MAX_LINE_LENGTH,
    )
    .option(
      '--max-name-length <chars>',
      'a longer column name (CSV header cell, JSON key) is refused',
      positiveInteger,
      DEFAULT_MAX_NAME_LENGTH,
    )
    .option('-q, --quiet', 'no progress bar');

const list = (text: string | undefined): string[] | undefined =>
  text
    ?.split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);

/** the columns `--exclude` names */
export const excludedColumns = (flags: InputFlags): string[] => list(flags.exclude) ?? [];

export const inputOptionsOf = (flags: InputFlags, defaultSchema?: TableSchema): InputOptions => {
  const names = list(flags.names);
  return {
    format: flags.format,
    header: flags.header ?? 'auto',
    schema: names ? { inputNames: names } : defaultSchema,
    limits: { maxLineLength: flags.maxLineLength, maxNameLength: flags.maxNameLength },
    quiet: flags.quiet ?? false,
    locations: makeInputLocations(flags),
  };
};

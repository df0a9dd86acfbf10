/**
 * `npm run cost -- [-c configFile=<file>] [--requests-per-hour N] [--region us-east-1]`: synthesizes the stack
 * in-process and prints, per resource kind, the count from the template, the unit price from pricing/<region>.json
 * and the monthly figure, then `stack_month_usd=` and `per_model_month_usd=` (the marginal cost of one more model
 * like the config's first, from the templates with one and with three). Bad input: one line, exit 2.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../lib/config.ts';
import { costReport, renderCostReport } from './cost/cost-report.ts';
import { loadPriceTable, PriceTableError } from './cost/price-table.ts';
import { synthTemplate } from './cost/synth-template.ts';

// the CLI's codes: 2 bad input or usage, 70 internal error
const EXIT_BAD_INPUT = 2;
const EXIT_INTERNAL = 70;

const positiveNumber = (text: string): number => {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`--requests-per-hour ${text}: not a positive number`);
  }
  return value;
};

const contextValue = (entries: readonly string[], key: string): string | undefined => {
  for (const entry of entries) {
    const [name, ...rest] = entry.split('=');
    if (name === key) return rest.join('=');
  }
  return undefined;
};

const program = new Command()
  .name('npm run cost --')
  .description('monthly cost of the synthesized stack, per resource kind, and of each further model')
  .option('-c, --context <key=value...>', 'CDK context, as for cdk synth: configFile=<file>', [])
  .option('--requests-per-hour <n>', 'captured requests per hour, per model', positiveNumber, 200)
  .option('--region <region>', 'price table pricing/<region>.json', 'us-east-1')
  .exitOverride()
  .configureOutput({ writeErr: () => undefined });

const fail = (message: string, code: number): never => {
  console.error(message);
  process.exit(code);
};

try {
  program.parse();
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(0);
    // commander prefixes our own message with the option's usage: the user needs only ours
    fail(error.message.replace(/^error: /, '').replace(/^option .* is invalid\. /, ''), EXIT_BAD_INPUT);
  }
  throw error;
}

const options = program.opts<{ context: string[]; requestsPerHour: number; region: string }>();
const configFile = contextValue(options.context, 'configFile') ?? DEFAULT_CONFIG_FILE;
try {
  const prices = loadPriceTable(options.region);
  const config = loadConfig(configFile);
  const report = costReport(config, prices, options.requestsPerHour, synthTemplate);
  console.log(renderCostReport(report, prices, { configFile, requestsPerHour: options.requestsPerHour }));
} catch (error) {
  if (error instanceof PriceTableError || error instanceof ConfigError) fail(error.message, EXIT_BAD_INPUT);
  console.error(`internal error: ${(error as Error).message}`);
  process.exit(EXIT_INTERNAL);
}

import './quiet-sdk-notice.ts';
import { Command, CommanderError } from 'commander';
import { registerAlertsCommand } from '../cli/alerts-command.ts';
import { registerAuditCommand } from '../cli/audit-command.ts';
import { registerBacktestCommand } from '../cli/backtest-command.ts';
import { registerBaselineCommand } from '../cli/baseline-command.ts';
import { registerCheckCommand } from '../cli/check-command.ts';
import { registerEnableCaptureCommand } from '../cli/enable-capture-command.ts';
import { registerImportModelMonitorCommand } from '../cli/import-model-monitor-command.ts';
import { registerModelsCommand } from '../cli/models-command.ts';
import { registerQualityCommand } from '../cli/quality-command.ts';
import { InputError } from '../functions/engine/errors.ts';

/** exit code for bad input or usage: the user can fix it */
const EXIT_INPUT = 2;
/** exit code for a bug on our side */
const EXIT_INTERNAL = 70;

const program = new Command()
  .name('model-care')
  .description(
    'Checks data for drift and quality against a baseline, compatible with SageMaker Model Monitor files',
  )
  .version('0.1.0')
  // program options only before a subcommand, so `models get NAME --version N` is the subcommand's
  .enablePositionalOptions()
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerBaselineCommand(program);
registerCheckCommand(program);
registerQualityCommand(program);
registerModelsCommand(program);
registerAuditCommand(program);
registerAlertsCommand(program);
registerBacktestCommand(program);
registerEnableCaptureCommand(program);
registerImportModelMonitorCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_INPUT;
  } else if (error instanceof InputError) {
    // one line, whatever a quoted name or value holds
    process.stderr.write(`model-care: ${error.message.replace(/[\r\n]+/g, ' ')}\n`);
    process.exitCode = EXIT_INPUT;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`model-care: internal error: ${message}\n`);
    if (process.env.MODEL_CARE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = EXIT_INTERNAL;
  }
}

#!/usr/bin/env node
/**
 * `transfer-lab`: the engine without VS Code (dist/cli.js). Same run store and code paths as
 * the server's workers. User errors end in one line on stderr and exit code 1, never a trace.
 */
import { Command } from 'commander';
import { describeError, UserError } from './errors';
import { registerFineTune } from './commands/finetuneCommand';
import { registerAttentionCommand } from './commands/attentionCommand';
import { registerModelCommands } from './commands/modelCommands';
import { registerPretrain } from './commands/pretrainCommand';
import { registerBench } from './commands/benchCommand';
import { registerInferenceCommands } from './commands/inferenceCommands';
import { registerSweep } from './commands/sweepCommand';

const program = new Command('transfer-lab')
  .description('Fine-tune and inspect transformer models locally (the engine of the Transfer Lab VS Code extension).')
  // Usage errors stay on one line (commander's "error: …"); --help shows the full usage.
  .showSuggestionAfterError();
registerFineTune(program);
registerModelCommands(program);
registerAttentionCommand(program);
registerPretrain(program);
registerBench(program);
registerInferenceCommands(program);
registerSweep(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`transfer-lab: ${describeError(err)}\n`);
  if (!(err instanceof UserError) && err instanceof Error && process.env['TRANSFER_LAB_DEBUG']) process.stderr.write(`${err.stack ?? ''}\n`);
  process.exitCode = 1;
});

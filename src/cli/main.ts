import { Command, CommanderError, Option } from 'commander';
import { isUserError } from '../errors.js';
import type { PresetSet } from '../presets/parse.js';
import { plain, type Style } from '../format/table.js';
import type { CommandOutput, Context } from './context.js';
import { collectValues, readFlags, readListFlag } from './flags.js';
import { OPTIONS, optionsFor, type CommandName } from './options.js';

/** What the entry passes in: arguments, streams' facts and environment. */
export interface MainEnv {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
  version: string;
}

const DESCRIPTIONS: Record<CommandName, string> = {
  estimate: 'training compute, wall-clock, GPU-hours, capex, power and energy of one run',
  solve: 'turn the estimate around: what a time budget buys (params, tokens, GPUs or MFU)',
};

function addRunOptions(cmd: Command, name: CommandName): Command {
  for (const spec of optionsFor(name)) {
    const flags = spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} ${spec.arg ?? '<value>'}`;
    // A `--no-x` switch is declared as such so commander sets attr x=false when given.
    const option = new Option(flags, spec.help);
    if (spec.kind === 'string' && spec.choices) option.choices(spec.choices);
    if (spec.kind === 'string' && spec.repeatable) option.argParser(collectValues);
    cmd.addOption(option);
  }
  return cmd.option('--no-color', 'no colour in tables (also NO_COLOR or a non-TTY stdout)');
}

/** Returns the registry's --presets-dir as a commander option, for the commands outside estimate/solve. */
function presetsDirOption(): Option {
  const spec = OPTIONS.find((o) => o.flag === 'presets-dir');
  return new Option(`--presets-dir ${spec?.arg ?? '<dir>'}`, spec?.help).argParser(collectValues);
}

/** Returns a one-line message for a commander error. */
function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Runs the CLI on `argv`; returns the exit code (0 ok, 2 usage or preset error).
 * Writes stdout only when the whole command succeeded.
 */
export async function main(io: MainEnv): Promise<number> {
  let output: CommandOutput | undefined;
  let colorFlag = true;
  let presetsCache: PresetSet | undefined;
  const ctx: Context = {
    presets: () => presetsCache ?? (presetsCache = loadBuiltin()),
    style: () => (colorFlag && io.stdoutIsTTY && !io.env['NO_COLOR'] ? colorStyle : plain),
  };
  let colorStyle: Style = plain;
  let loadBuiltin: () => PresetSet = () => {
    throw new Error('presets not loaded');
  };
  const prepare = async (opts: Record<string, unknown>): Promise<void> => {
    colorFlag = opts['color'] !== false;
    const [{ loadPresets }, { presetSources }, chalkModule, { chalkStyle }] = await Promise.all([
      import('../presets/load.js'),
      import('../presets/sources.js'),
      import('chalk'),
      import('../format/table.js'),
    ]);
    // Built-ins < user config dir < LLMCOST_PRESETS < --presets-dir (see presetSources).
    const flagDirs = readListFlag(opts, 'presets-dir');
    loadBuiltin = () => loadPresets(presetSources({ env: io.env, flagDirs }));
    colorStyle = chalkStyle(new chalkModule.Chalk({ level: 1 }));
  };

  const program = new Command('llmcost')
    .description('Training compute, time, cost and power of large models, with sources')
    .version(io.version)
    .exitOverride()
    .configureOutput({ writeOut: io.writeOut, writeErr: () => {}, outputError: () => {} })
    .showSuggestionAfterError(true);

  for (const name of ['estimate', 'solve'] as const) {
    addRunOptions(program.command(name).description(DESCRIPTIONS[name]), name).action(async (opts: Record<string, unknown>) => {
      await prepare(opts);
      const flags = readFlags(name, opts);
      const mod = name === 'estimate' ? await import('./estimate.js') : await import('./solve.js');
      output = 'estimateCommand' in mod ? mod.estimateCommand(flags, ctx) : mod.solveCommand(flags, ctx);
    });
  }
  const presets = program
    .command('presets')
    .description('list the GPU, model and cluster presets (or show one with its sources)')
    .option('--json', 'print JSON')
    .option('--no-color', 'no colour')
    .addOption(presetsDirOption())
    .action(async (opts: Record<string, unknown>) => {
      await prepare(opts);
      const { presetsListCommand } = await import('./presets.js');
      output = presetsListCommand(opts['json'] === true, ctx);
    });
  presets
    .command('show <name>')
    .description('every field of one preset, with its source')
    .option('--json', 'print JSON')
    .option('--no-color', 'no colour')
    .addOption(presetsDirOption())
    .action(async (name: string, opts: Record<string, unknown>) => {
      await prepare(opts);
      const { presetsShowCommand } = await import('./presets.js');
      output = presetsShowCommand(name, opts['json'] === true, ctx);
    });
  presets
    .command('validate <dir>')
    .description('check a directory of user presets (with the built-ins for cross-references); every problem, one per line')
    .action(async (dir: string) => {
      const { presetsValidateCommand } = await import('./presets.js');
      output = presetsValidateCommand(dir);
    });

  try {
    await program.parseAsync([...io.argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      io.writeErr(`llmcost: ${commanderMessage(error)}\n`);
      return 2;
    }
    if (isUserError(error)) {
      io.writeErr(`llmcost: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    throw error;
  }
  if (output?.stderr) io.writeErr(output.stderr);
  if (output?.exitCode) return output.exitCode;
  if (output) io.writeOut(output.stdout);
  else if (io.argv.length === 0) io.writeOut(program.helpInformation());
  return 0;
}

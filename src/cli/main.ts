import { Command, CommanderError, Option } from 'commander';
import { isUserError, OutputError, UsageError } from '../errors.js';
import { safeOutput, safeText } from '../text.js';
import type { PresetSet } from '../presets/parse.js';
import { outputFormat } from '../format/formats.js';
import { chalkStyle, plain, type Style } from '../format/style.js';
import { COMPARE_LIST_FLAGS, COMPARE_OPTIONS, PLAN_OPTIONS, OUTPUT_OPTIONS, SWEEP_OPTIONS, VIEW_OPTIONS, type CommandOptionSpec } from './command-options.js';
import type { CommandOutput, Context, View } from './context.js';
import { collectValues, matchChoice, readFlags, readListFlag } from './flags.js';
import { NUMBER_HELP, OPTIONS, optionHelp, optionsFor, type CommandName, type OptionSpec } from './options.js';
import { terminalWidth, useColor } from './terminal.js';
import { wrapText } from '../format/wrap.js';

/** What the entry passes in: arguments, streams' facts and environment. */
export interface MainEnv {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  writeOut: (text: string) => void;
  /** Writes bytes (UTF-8) to stdout; large outputs (a long sweep) come as bytes. Default: writeOut of their text. */
  writeOutBytes?: (bytes: Uint8Array) => void;
  writeErr: (text: string) => void;
  /** stdout's width in columns when it is a terminal (asked only for tables); undefined otherwise. */
  stdoutColumns?: number | undefined;
  version: string;
  /**
   * The built-in presets compiled by the build (dist/presets.json), used when no user preset
   * directory applies; without it (or if unreadable) presets/ is parsed and validated.
   */
  compiledPresets?: string;
}

const DESCRIPTIONS: Record<CommandName, string> = {
  estimate: 'training compute, wall-clock, GPU-hours, capex, power and energy of one run',
  solve: 'turn the estimate around: what a time budget buys (params, tokens, GPUs or MFU)',
};

function addRunOptions(cmd: Command, name: CommandName): Command {
  for (const spec of optionsFor(name)) {
    const flags = spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} ${spec.arg ?? '<value>'}`;
    // A `--no-x` switch is declared as such so commander sets attr x=false when given.
    const option = new Option(flags, optionHelp(spec));
    if (spec.kind === 'string' && spec.choices) withChoices(option, spec.flag, spec.choices);
    if (spec.kind === 'string' && spec.repeatable) option.argParser(collectValues);
    cmd.addOption(option);
  }
  addOutputOptions(cmd);
  // Once per command (sweep calls this after its own options).
  if (!cmd.options.some((o) => o.long === '--color')) cmd.addHelpText('after', NUMBER_HELP);
  return addColorOptions(cmd);
}

/**
 * Limits an option to its choices, matched case-insensitively (--gpu-style: --format JSON): help
 * lists them as commander does; a wrong value is a one-line error listing them.
 */
function withChoices(option: Option, flag: string, choices: readonly string[]): void {
  option.choices(choices);
  // A UsageError thrown here passes through commander to the entry: "llmcost: --format: expected one of ...".
  option.argParser((value: string) => matchChoice(flag, choices, value));
}

/** Adds --color and --no-color (unset: NO_COLOR, FORCE_COLOR, TERM=dumb and whether stdout is a terminal decide). */
function addColorOptions(cmd: Command): Command {
  return cmd
    .option('--color', 'colour tables even when stdout is not a terminal (also FORCE_COLOR=1)')
    .option('--no-color', 'no colour in tables (also NO_COLOR=1, TERM=dumb, or a stdout that is not a terminal)');
}

/** Adds command-specific or output options (command-options.ts) to a command. */
function addOptions(cmd: Command, specs: ReadonlyArray<CommandOptionSpec | OptionSpec>, helpSuffix = ''): Command {
  for (const spec of specs) {
    const option = new Option(spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} ${spec.arg ?? '<value>'}`, optionHelp(spec) + helpSuffix);
    if (spec.kind === 'string' && spec.choices) withChoices(option, spec.flag, spec.choices);
    if (spec.kind === 'string' && spec.repeatable) option.argParser(collectValues);
    cmd.addOption(option);
  }
  return cmd;
}

/** Adds --format, --out and --quiet (every command). */
function addOutputOptions(cmd: Command): Command {
  return addOptions(cmd, [...OUTPUT_OPTIONS, ...VIEW_OPTIONS.filter((o) => o.flag === 'quiet')]);
}

/** Adds --full (the commands whose table has a headline view: estimate, solve, compare). */
function addFullOption(cmd: Command): Command {
  return addOptions(cmd, VIEW_OPTIONS.filter((o) => o.flag === 'full'));
}

/** Returns the --out file of a command's options (checked: a non-empty name), or undefined for stdout (`--out -` too). */
function outFile(opts: Record<string, unknown>): string | undefined {
  const out = opts['out'];
  if (out === undefined || out === '-') return undefined;
  if (typeof out !== 'string' || out.trim() === '') throw new UsageError('--out: expected a file name, got an empty value');
  return out;
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
 * Returns an error message as one readable line: newlines collapsed, control characters escaped
 * (src/text.ts), a quoted value the user typed cut to 60 characters (a 10,000-character argument is
 * echoed as its start, not in full), and the whole line cut to MAX_ERROR_CHARS.
 */
export function errorLine(message: string): string {
  const line = safeText(message.replace(/\s*\n\s*/g, ' '))
    .replace(/(["'])([^"'\n]{61,}?)\1/g, (_, q: string, text: string) => `${q}${text.slice(0, 57)}...${q}`);
  // Whatever the input held, the line stays readable: its start, and how much was cut.
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 40)}... (${line.length - MAX_ERROR_CHARS + 40} more characters)` : line;
}

/** The longest error line printed, in characters. */
export const MAX_ERROR_CHARS = 1_000;

/**
 * Runs the CLI on `argv`; returns the exit code (0 ok, 2 usage or preset error).
 * Writes stdout only when the whole command succeeded.
 */
export async function main(io: MainEnv): Promise<number> {
  let output: CommandOutput | undefined;
  let out: string | undefined;
  let colorFlag: boolean | undefined;
  // A file named by --out is not a terminal, whatever stdout is.
  const color = (): boolean => useColor({ flag: colorFlag, env: io.env, isTTY: () => out === undefined && io.stdoutIsTTY });
  let presetsCache: PresetSet | undefined;
  const ctx: Context = {
    presets: () => presetsCache ?? (presetsCache = loadBuiltin()),
    // Set by prepare: chalk's only for a table on a terminal with colour allowed.
    style: () => colorStyle,
    view: () => view,
  };
  let colorStyle: Style = plain;
  let view: View = { full: false, quiet: false };
  // Columns of stderr's lines (warnings), decided with the table's width; COLUMNS or 80 for other formats.
  let lineWidth = terminalWidth({ env: io.env });
  // What the output is, for its last guard: JSON-like or text, and whether llmcost coloured it.
  let outputKind: 'json' | 'text' = 'text';
  let outputColor = false;
  let loadBuiltin: () => PresetSet = () => {
    throw new Error('presets not loaded');
  };
  const prepare = async (opts: Record<string, unknown>): Promise<void> => {
    colorFlag = typeof opts['color'] === 'boolean' ? opts['color'] : undefined;
    view = { full: opts['full'] === true, quiet: opts['quiet'] === true };
    out = outFile(opts);
    const { presetSources, readCompiledPresets } = await import('../presets/sources.js');
    // Built-ins < user config dir < LLMCOST_PRESETS < --presets-dir (see presetSources).
    const sources = presetSources({ env: io.env, flagDirs: readListFlag(opts, 'presets-dir') });
    const compiled = sources.length === 0 && io.compiledPresets !== undefined ? readCompiledPresets(io.compiledPresets) : undefined;
    if (compiled) loadBuiltin = () => compiled;
    else {
      const { loadPresets } = await import('../presets/load.js');
      loadBuiltin = () => loadPresets(sources);
    }
    // Width and colour matter only for tables: other formats never ask about the terminal. chalk is
    // loaded only when colour is on (see useColor).
    const format = outputFormat(opts);
    outputKind = format === 'json' || format === 'ndjson' ? 'json' : 'text';
    if (format === 'table') {
      outputColor = color();
      const width = terminalWidth({ columns: out === undefined && io.stdoutIsTTY ? io.stdoutColumns : undefined, env: io.env });
      colorStyle = color() ? chalkStyle(new (await import('chalk')).Chalk({ level: 1 }), width) : { ...plain, width };
      lineWidth = width;
    }
  };

  const program = new Command('llmcost')
    .description('Training compute, time, cost and power of large models, with sources')
    .version(io.version, '-v, --version', 'print the version')
    .exitOverride()
    // Without this, `presets` would take `--json` (and its other options) given after `presets show NAME`.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: () => {},
      outputError: () => {},
      // Help wraps to the same width as tables (asked only when help is printed).
      getOutHelpWidth: () => terminalWidth({ columns: io.stdoutIsTTY ? io.stdoutColumns : undefined, env: io.env }),
    })
    .showSuggestionAfterError(true);

  // estimate, solve, compare and sweep get their ~60 options only when they are the command run (or
  // for the top-level help and `help NAME`): building every option of every command is a measurable
  // part of start-up. An unknown command's suggestions need only the names.
  const invoked = io.argv.find((arg) => !arg.startsWith('-'));
  // `completion` lists every command's options, so it needs them all built too.
  const full = (name: string): boolean => invoked === undefined || invoked === name || invoked === 'help' || invoked === 'completion';

  for (const name of ['estimate', 'solve'] as const) {
    if (!full(name)) {
      program.command(name).description(DESCRIPTIONS[name]);
      continue;
    }
    addFullOption(addRunOptions(program.command(name).description(DESCRIPTIONS[name]), name)).action(async (opts: Record<string, unknown>) => {
      await prepare(opts);
      const format = outputFormat(opts);
      const flags = { ...readFlags(name, opts), format };
      output = await (name === 'estimate' ? (await import('./estimate.js')).estimateCommand(flags, ctx) : (await import('./solve.js')).solveCommand(flags, ctx));
    });
  }
  const planCmd = program
    .command('plan')
    .description('search every parallel plan (TP, PP, DP, CP, EP, micro-batch, recompute, interleaving, ZeRO) and rank the fastest that fit');
  if (full('plan')) addOptions(addRunOptions(planCmd, 'estimate'), PLAN_OPTIONS);
  planCmd.action(async (opts: Record<string, unknown>) => {
    await prepare(opts);
    const format = outputFormat(opts);
    const { planCommand, readTop } = await import('./plan.js');
    output = planCommand({ ...readFlags('estimate', opts), format }, readTop(opts['top']), ctx, format);
  });
  const compare = program
    .command('compare')
    .description('two or more scenarios side by side (repeat --model/--cluster/--gpu, or --scenarios FILE), with ratios to the first');
  if (full('compare')) addFullOption(addRunOptions(addOptions(compare, COMPARE_OPTIONS), 'estimate'));
  for (const flag of COMPARE_LIST_FLAGS) {
    // Repeatable here: one scenario per value (every combination).
    compare.options.find((o) => o.long === `--${flag}`)?.argParser(collectValues);
  }
  compare.action(async (opts: Record<string, unknown>) => {
    await prepare(opts);
    const { compareCommand } = await import('./compare.js');
    output = await compareCommand(opts, ctx.presets, outputFormat(opts), ctx.style(), ctx.view());
  });
  const sweep = program
    .command('sweep')
    .description('estimate (or solve, with --solve) over a range of one or two numeric flags: --vary NAME=SPEC');
  if (full('sweep')) {
    addOptions(sweep, SWEEP_OPTIONS);
    addRunOptions(sweep, 'estimate');
    addOptions(sweep, optionsFor('solve').filter((spec) => !optionsFor('estimate').includes(spec)), ' (with --solve)');
  }
  sweep.action(async (opts: Record<string, unknown>) => {
    await prepare(opts);
    const { sweepCommand } = await import('./sweep/index.js');
    const format = outputFormat(opts);
    // Only a table asks whether stdout is a terminal (for the chart and colour).
    const terminal = format === 'table' && out === undefined && io.stdoutIsTTY;
    output = await sweepCommand(opts, ctx.presets, { format, style: ctx.style(), terminal, color: terminal && color(), quiet: ctx.view().quiet });
  });

  const backtestCmd = program
    .command('backtest')
    .description('predicted vs reported accelerator-hours, FLOPs and energy of every published run in the presets')
    .option('--json', 'print JSON')
    .addOption(presetsDirOption())
    .action(async (opts: Record<string, unknown>) => {
      await prepare(opts);
      const { backtestCommand } = await import('./backtest.js');
      output = backtestCommand(ctx.presets(), outputFormat(opts), ctx.style());
    });
  addColorOptions(addOutputOptions(backtestCmd));

  const presets = program
    .command('presets')
    .description('list the GPU, model and cluster presets (or show one with its sources)')
    .option('--json', 'print JSON')
    .addOption(presetsDirOption())
    .action(async (opts: Record<string, unknown>) => {
      await prepare(opts);
      const format = outputFormat(opts);
      const { presetsListCommand } = await import('./presets.js');
      if (format === 'table' || format === 'json') output = presetsListCommand(format === 'json', ctx);
      else output = (await import('./presets-format.js')).presetsListRows(format, ctx.presets());
    });
  const presetsShow = presets
    .command('show <name>')
    .description('every field of one preset, with its source')
    .option('--json', 'print JSON')
    .addOption(presetsDirOption())
    .action(async (name: string, opts: Record<string, unknown>) => {
      await prepare(opts);
      const format = outputFormat(opts);
      const { presetsShowCommand } = await import('./presets.js');
      // Checks the name (with suggestions) whatever the format.
      output = presetsShowCommand(name, format === 'json', ctx);
      if (format !== 'table' && format !== 'json') output = (await import('./presets-format.js')).presetsShowRows(name, format, ctx.presets());
    });
  addColorOptions(addOutputOptions(presets));
  addColorOptions(addOutputOptions(presetsShow));
  presets
    .command('validate <dir>')
    .description('check a directory of user presets (with the built-ins for cross-references); every problem, one per line')
    .action(async (dir: string) => {
      const { presetsValidateCommand } = await import('./presets.js');
      output = presetsValidateCommand(dir);
    });

  program
    .command('completion <shell>')
    .description('print a shell completion script: bash, zsh or fish (commands, flags, choices, preset names)')
    .addOption(presetsDirOption())
    .action(async (shell: string, opts: Record<string, unknown>) => {
      await prepare(opts);
      const { completionCommands, completionScript } = await import('./completion.js');
      const p = ctx.presets();
      const names = { gpus: [...p.gpus.keys()], models: [...p.models.keys()], clusters: [...p.clusters.keys()] };
      output = { stdout: completionScript(shell, completionCommands(program, names)) };
    });

  try {
    await program.parseAsync([...io.argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      // `help <unknown>` makes commander print the help to stderr and fail with the message "(outputHelp)".
      if (error.code === 'commander.help') {
        const names = program.commands.map((c) => c.name()).join(', ');
        // Without arguments commander takes the same path: name the choices, not `help`.
        const what = io.argv.length === 0 ? 'expected a command' : 'help: expected a command name';
        io.writeErr(`llmcost: ${what} (${names}); llmcost --help for more\n`);
        return 2;
      }
      io.writeErr(`llmcost: ${errorLine(commanderMessage(error))}\n`);
      return 2;
    }
    if (isUserError(error)) {
      io.writeErr(`llmcost: ${errorLine(error.message)}\n`);
      return 2;
    }
    if (error instanceof OutputError) {
      io.writeErr(`llmcost: ${errorLine(error.message)}\n`);
      return 1;
    }
    throw error;
  }
  if (output?.stderr) io.writeErr(output.stderr.split('\n').map((line) => safeOutput(line, 'text')).join('\n'));
  if (output?.exitCode) return output.exitCode;
  // The last guard against hostile text (after the escaping at read): see safeOutput.
  if (output) output = safeCommandOutput(output, outputKind as 'json' | 'text', outputColor);
  if (output && out !== undefined) {
    const { writeFileAtomic } = await import('./output.js');
    try {
      await writeFileAtomic(out, [output.stdout, ...(output.chunks ?? [])], output.writeRest);
    } catch (error) {
      if (error instanceof OutputError) {
        io.writeErr(`llmcost: ${errorLine(error.message)}\n`);
        return 1;
      }
      if (!isUserError(error)) throw error;
      io.writeErr(`llmcost: ${errorLine(error.message)}\n`);
      return 2;
    }
  } else if (output) {
    try {
      writeStdout(io, output);
    } catch (error) {
      // stdout failed (a full disk, a reader that closed the pipe): one line, exit 1.
      if (!(error instanceof OutputError)) throw error;
      io.writeErr(`llmcost: ${errorLine(error.message)}\n`);
      return 1;
    }
  }
  if (output) writeWarnings(output, view.quiet, lineWidth, io.writeErr);
  else if (io.argv.length === 0) io.writeOut(program.helpInformation());
  return 0;
}

/**
 * Writes a command's warnings (every format) and its notes for scripts (unless --quiet) to stderr,
 * one "llmcost: warning: ..." per warning, wrapped to `width` with an indent under the first line.
 */
function writeWarnings(output: CommandOutput, quiet: boolean, width: number, writeErr: (text: string) => void): void {
  const lines: string[] = [];
  const wrap = (prefix: string, text: string): void => {
    lines.push(...wrapText(text, width, prefix, 4));
  };
  // Warnings and notes may quote a preset's text: escaped like every other output (src/text.ts).
  for (const warning of output.warnings ?? []) wrap('llmcost: warning: ', safeText(warning));
  if (!quiet) for (const note of output.notes ?? []) wrap('llmcost: note: ', safeText(note));
  if (lines.length > 0) writeErr(`${lines.join('\n')}\n`);
}

/**
 * Returns the output with its text made safe for a terminal (safeOutput). Byte chunks and writeRest
 * (a long sweep's rows: numbers, and names that presets validate) pass unchanged.
 */
function safeCommandOutput(output: CommandOutput, kind: 'json' | 'text', keepColor: boolean): CommandOutput {
  return {
    ...output,
    stdout: safeOutput(output.stdout, kind, keepColor),
    ...(output.chunks ? { chunks: output.chunks.map((c) => (typeof c === 'string' ? safeOutput(c, kind, keepColor) : c)) } : {}),
  };
}

/** Writes a command's output to stdout, in order: text, chunks, then what writeRest makes. */
function writeStdout(io: MainEnv, output: CommandOutput): void {
  io.writeOut(output.stdout);
  // Bytes are written before the next piece is made (stdout is synchronous on Linux for files,
  // pipes and terminals), or copied to text.
  const writeBytes = (bytes: Uint8Array): void => {
    if (io.writeOutBytes) io.writeOutBytes(bytes);
    else io.writeOut(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  };
  for (const chunk of output.chunks ?? []) {
    if (typeof chunk === 'string') io.writeOut(chunk);
    else writeBytes(chunk);
  }
  output.writeRest?.(writeBytes);
}

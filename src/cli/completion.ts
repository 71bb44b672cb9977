import type { Command } from 'commander';
import { UsageError } from '../errors.js';

// `llmcost completion bash|zsh|fish` (issue 14): a shell completion script generated from the
// commands and options commander was built with (which come from the option registry), with the
// choices of each option and the preset names known when the script is generated.

/** The shells a completion script is written for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
/** One shell. */
export type Shell = (typeof SHELLS)[number];

/** What an option's value completes to. */
type ValueKind = { choices: readonly string[] } | 'file' | 'dir' | 'free';

interface CompletionOption {
  /** "--model" */
  long: string;
  help: string;
  /** undefined for a switch. */
  value?: ValueKind;
}

interface CompletionCommand {
  name: string;
  help: string;
  options: CompletionOption[];
  /** What a positional argument completes to (presets show NAME, presets validate DIR). */
  argument?: ValueKind;
  subcommands: CompletionCommand[];
}

/** Preset names by kind, offered for --model, --gpu, --cluster and `presets show`. */
export interface PresetNames {
  gpus: readonly string[];
  models: readonly string[];
  clusters: readonly string[];
}

const FILE_FLAGS = new Set(['--hf-config', '--scenarios', '--out']);

/** Returns the completion model of commander's command tree (without help and completion itself). */
export function completionCommands(program: Command, names: PresetNames): CompletionCommand[] {
  const presetNames = [...names.gpus, ...names.models, ...names.clusters];
  const valueOf = (long: string, choices: readonly string[] | undefined, takes: boolean): ValueKind | undefined => {
    if (!takes) return undefined;
    if (choices) return { choices };
    if (long === '--model') return { choices: names.models };
    if (long === '--gpu') return { choices: names.gpus };
    if (long === '--cluster') return { choices: names.clusters };
    if (FILE_FLAGS.has(long)) return 'file';
    if (long === '--presets-dir') return 'dir';
    return 'free';
  };
  const walk = (cmd: Command): CompletionCommand => {
    const arg = cmd.registeredArguments[0]?.name();
    return {
      name: cmd.name(),
      help: cmd.description(),
      options: cmd.options
        .filter((o) => o.long !== undefined)
        .map((o) => {
          const value = valueOf(o.long as string, o.argChoices, o.required || o.optional);
          return { long: o.long as string, help: o.description, ...(value ? { value } : {}) };
        }),
      ...(arg === 'name' ? { argument: { choices: presetNames } } : arg === 'dir' ? { argument: 'dir' as const } : {}),
      subcommands: cmd.commands.filter((c) => c.name() !== 'help').map(walk),
    };
  };
  return program.commands.filter((c) => c.name() !== 'completion').map(walk);
}

/** Returns the completion script for `shell`; throws a UsageError naming the shells otherwise. */
export function completionScript(shell: string, commands: readonly CompletionCommand[]): string {
  switch (shell.toLowerCase()) {
    case 'bash':
      return bashScript(commands);
    case 'zsh':
      return zshScript(commands);
    case 'fish':
      return fishScript(commands);
    default:
      throw new UsageError(`completion: expected a shell, one of ${SHELLS.join(', ')}, got "${shell.slice(0, 40)}"`);
  }
}

const words = (list: readonly string[]): string => list.join(' ');
const singleQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function bashScript(commands: readonly CompletionCommand[]): string {
  const lines = [
    '# llmcost completion for bash. Load it with: eval "$(llmcost completion bash)"',
    '# or save it as ~/.local/share/bash-completion/completions/llmcost',
    '_llmcost() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  local cmd="${COMP_WORDS[1]}" sub="${COMP_WORDS[2]}"',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W ${singleQuoted(words([...commands.map((c) => c.name), 'completion', 'help', '--help', '--version']))} -- "$cur")); return`,
    '  fi',
    '  if [ "$cmd" = completion ]; then',
    `    COMPREPLY=($(compgen -W ${singleQuoted(words(SHELLS))} -- "$cur")); return`,
    '  fi',
  ];
  const body = (cmd: CompletionCommand, indent: string): string[] => {
    const out: string[] = [`${indent}case "$prev" in`];
    for (const o of cmd.options) {
      if (!o.value) continue;
      const reply =
        o.value === 'file'
          ? 'COMPREPLY=($(compgen -f -- "$cur"))'
          : o.value === 'dir'
            ? 'COMPREPLY=($(compgen -d -- "$cur"))'
            : o.value === 'free'
              ? 'COMPREPLY=()'
              : `COMPREPLY=($(compgen -W ${singleQuoted(words(o.value.choices))} -- "$cur"))`;
      out.push(`${indent}  ${o.long}) ${reply}; return ;;`);
    }
    out.push(`${indent}esac`);
    const flags = words(cmd.options.map((o) => o.long).concat('--help'));
    const positional =
      cmd.argument === undefined
        ? ''
        : cmd.argument === 'dir'
          ? ' $(compgen -d -- "$cur")'
          : typeof cmd.argument === 'object'
            ? ` $(compgen -W ${singleQuoted(words(cmd.argument.choices))} -- "$cur")`
            : '';
    out.push(`${indent}COMPREPLY=($(compgen -W ${singleQuoted(flags)} -- "$cur")${positional})`);
    return out;
  };
  lines.push('  case "$cmd" in');
  for (const cmd of commands) {
    lines.push(`    ${cmd.name})`);
    if (cmd.subcommands.length > 0) {
      lines.push('      if [ "$COMP_CWORD" -eq 2 ]; then', `        COMPREPLY=($(compgen -W ${singleQuoted(words([...cmd.subcommands.map((c) => c.name), ...cmd.options.map((o) => o.long)]))} -- "$cur")); return`, '      fi');
      lines.push('      case "$sub" in');
      for (const sub of cmd.subcommands) lines.push(`        ${sub.name})`, ...body(sub, '          '), '          return ;;');
      lines.push('      esac');
    }
    lines.push(...body(cmd, '      '), '      ;;');
  }
  lines.push('  esac', '}', 'complete -o default -F _llmcost llmcost', '');
  return lines.join('\n');
}

/** Text inside a zsh _arguments spec: no brackets, colons escaped, single quotes closed and reopened. */
const zshText = (text: string): string => text.replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, '\\:').replace(/'/g, `'\\''`);

function zshScript(commands: readonly CompletionCommand[]): string {
  const spec = (o: CompletionOption): string => {
    const head = `${o.long}[${zshText(o.help)}]`;
    if (!o.value) return `'${head}'`;
    const action = o.value === 'file' ? '_files' : o.value === 'dir' ? '_files -/' : o.value === 'free' ? ' ' : `(${o.value.choices.map(zshText).join(' ')})`;
    return `'${head}:${zshText(o.long.slice(2))}:${action}'`;
  };
  const argSpec = (cmd: CompletionCommand): string[] =>
    cmd.argument === undefined ? [] : [`'1:${cmd.argument === 'dir' ? 'directory:_files -/' : typeof cmd.argument === 'object' ? `name:(${cmd.argument.choices.join(' ')})` : 'value: '}'`];
  const lines = [
    '#compdef llmcost',
    '# llmcost completion for zsh. Load it with: source <(llmcost completion zsh)',
    '# or save it as _llmcost in a directory of your $fpath',
    '_llmcost() {',
    '  local -a commands',
    // _describe splits "name:description" at the first colon: the description keeps its own.
    `  commands=(${[...commands.map((c) => `'${c.name}:${c.help.replace(/'/g, `'\\''`)}'`), `'completion:print a completion script (bash, zsh, fish)'`].join(' ')})`,
    '  if (( CURRENT == 2 )); then _describe command commands; return; fi',
    '  case $words[2] in',
    `    completion) _values shell ${SHELLS.join(' ')} ;;`,
  ];
  for (const cmd of commands) {
    if (cmd.subcommands.length > 0) {
      lines.push(`    ${cmd.name})`, '      if (( CURRENT == 3 )); then');
      lines.push(`        _values subcommand ${cmd.subcommands.map((s) => s.name).join(' ')}; return`, '      fi', '      case $words[3] in');
      for (const sub of cmd.subcommands) lines.push(`        ${sub.name}) shift 2 words; (( CURRENT -= 2 )); _arguments ${[...sub.options.map(spec), ...argSpec(sub)].join(' ')} ;;`);
      lines.push('      esac ;;');
    } else lines.push(`    ${cmd.name}) shift words; (( CURRENT-- )); _arguments ${[...cmd.options.map(spec), ...argSpec(cmd)].join(' ')} ;;`);
  }
  lines.push('  esac', '}', 'if [ "$funcstack[1]" = _llmcost ]; then _llmcost "$@"; else compdef _llmcost llmcost; fi', '');
  return lines.join('\n');
}

function fishScript(commands: readonly CompletionCommand[]): string {
  const q = singleQuoted;
  const lines = [
    '# llmcost completion for fish. Load it with: llmcost completion fish | source',
    '# or save it as ~/.config/fish/completions/llmcost.fish',
    'complete -c llmcost -f',
    ...commands.map((c) => `complete -c llmcost -n __fish_use_subcommand -a ${c.name} -d ${q(c.help)}`),
    `complete -c llmcost -n __fish_use_subcommand -a completion -d ${q('print a completion script (bash, zsh, fish)')}`,
    `complete -c llmcost -n '__fish_seen_subcommand_from completion' -a ${q(words(SHELLS))}`,
  ];
  const optionLines = (condition: string, cmd: CompletionCommand): string[] => {
    const out = cmd.options.map((o) => {
      const value =
        o.value === undefined ? '' : o.value === 'file' ? ' -r -F' : o.value === 'dir' ? ` -r -xa '(__fish_complete_directories)'` : o.value === 'free' ? ' -x' : ` -xa ${q(words(o.value.choices))}`;
      return `complete -c llmcost -n ${q(condition)} -l ${o.long.slice(2)} -d ${q(o.help)}${value}`;
    });
    if (typeof cmd.argument === 'object') out.push(`complete -c llmcost -n ${q(condition)} -a ${q(words(cmd.argument.choices))}`);
    if (cmd.argument === 'dir') out.push(`complete -c llmcost -n ${q(condition)} -a '(__fish_complete_directories)'`);
    return out;
  };
  for (const cmd of commands) {
    if (cmd.subcommands.length > 0) {
      const none = cmd.subcommands.map((s) => s.name).join(' ');
      lines.push(...cmd.subcommands.map((s) => `complete -c llmcost -n ${q(`__fish_seen_subcommand_from ${cmd.name}; and not __fish_seen_subcommand_from ${none}`)} -a ${s.name} -d ${q(s.help)}`));
      lines.push(...optionLines(`__fish_seen_subcommand_from ${cmd.name}; and not __fish_seen_subcommand_from ${none}`, cmd));
      for (const sub of cmd.subcommands) lines.push(...optionLines(`__fish_seen_subcommand_from ${cmd.name}; and __fish_seen_subcommand_from ${sub.name}`, sub));
    } else lines.push(...optionLines(`__fish_seen_subcommand_from ${cmd.name}`, cmd));
  }
  lines.push('');
  return lines.join('\n');
}

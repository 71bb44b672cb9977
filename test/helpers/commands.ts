/**
 * One run of every command (and its help), for the tests that check every command's output the
 * same way (issue 14): widths at COLUMNS=80, colour on vs off.
 */
export const EVERY_COMMAND: ReadonlyArray<readonly string[]> = [
  ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k'],
  ['estimate', '--model', 'llama-405b', '--cluster', 'h100x16k', '--full'],
  ['estimate', '--model', 'deepseek-v3', '--full'],
  ['estimate', '--params', '1T', '--tokens', '30T', '--gpus', '100k', '--mfu', '0.3'],
  ['solve', '--days', '100'],
  ['solve', '--days', '100', '--full'],
  ['solve', '--model', 'llama-405b', '--days', '30'],
  ['compare', '--model', 'llama-405b', '--model', 'llama-70b'],
  ['compare', '--model', 'llama-405b', '--model', 'llama-70b', '--model', 'llama-8b', '--model', 'gpt-3', '--model', 'mpt-7b', '--full'],
  ['sweep', '--model', 'llama-405b', '--vary', 'gpus=8k:64k:*2'],
  ['sweep', '--model', 'llama-405b', '--vary', 'gpus=8k,16k', '--vary', 'mfu=0.3,0.4'],
  ['plan', '--model', 'llama-405b', '--cluster', 'h100x16k'],
  ['presets'],
  ['presets', 'show', 'h100'],
  ['presets', 'show', 'llama-405b'],
  ['presets', 'show', 'h100x16k'],
  ['presets', 'show', 'colossus'],
  ['backtest'],
  ['--help'],
  ['estimate', '--help'],
  ['solve', '--help'],
  ['compare', '--help'],
  ['sweep', '--help'],
  ['plan', '--help'],
  ['presets', '--help'],
  ['backtest', '--help'],
];

export { main } from './main.js';
export type { Command } from './command.js';
export { processIo, UsageError, type CliIo } from './io.js';
export { ProgressBar, formatDuration, formatNumber, type ProgressOptions } from './progress.js';
export { commands } from './commands/index.js';

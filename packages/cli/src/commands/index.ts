import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { metricsCommand } from './metrics.js';
import { sampleCommand } from './sample.js';

/** Every sub-command, in the order `sparling --help` lists them. */
export const commands: readonly Command[] = [demoCommand, metricsCommand, sampleCommand];

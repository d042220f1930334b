import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { evalCommand } from './eval.js';
import { metricsCommand } from './metrics.js';
import { reportCommand } from './report.js';
import { reproduceCommand } from './reproduce.js';
import { retrainCommand } from './retrain.js';
import { sampleCommand } from './sample.js';
import { sweepCommand } from './sweep.js';
import { trainCommand } from './train.js';

/** Every sub-command, in the order `sparling --help` lists them. */
export const commands: readonly Command[] = [benchCommand, compareCommand, demoCommand, evalCommand, metricsCommand, reportCommand, reproduceCommand, retrainCommand, sampleCommand, sweepCommand, trainCommand];

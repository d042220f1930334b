import { resolve } from 'node:path';
import type { DomainName } from '@sparling/domains';
import { UsageError, type CliIo } from './io.js';
import { ProgressBar } from './progress.js';

/**
 * The GPL package with the built-in synthetic speech, an optional dependency. tsup bundles every
 * import it can resolve that is not a dependency or peer dependency, so it is marked external in
 * tsup.config.ts, and the specifier is a variable so that neither tsup nor tsc needs the package
 * installed: GPL code never lands in this MIT package's dist.
 */
const SPEECH_PACKAGE = '@sparling/speech-espeak';

/** What the CLI uses of `@sparling/speech-espeak`. */
export interface SpeechPackage {
  renderSyntheticSpeech(options: { onProgress?: (done: number, total: number) => void }): Promise<string>;
  defaultSpeechCache(): string;
}

/** Loads {@link SpeechPackage}; injectable so tests can stand in for a missing or slow package. */
export type SpeechLoader = () => Promise<SpeechPackage>;

const importSpeech: SpeechLoader = async () => (await import(SPEECH_PACKAGE)) as SpeechPackage;

const NO_SPEECH =
  'audio-mnist-sequence needs speech, and none was given: install @sparling/speech-espeak (GPL-3.0) for the built-in synthetic voices ' +
  `(npm install @sparling/speech-espeak), or pass recordings in the AudioMNIST layout with --domain-options '{"speech":"/path/to/AudioMNIST/data"}'`;

/**
 * The domain options a command should build its domain with. For audio-mnist-sequence without
 * `speech`, the built-in synthetic speech: `@sparling/speech-espeak` renders it into its cache
 * once (about 45 s, with a progress bar on stderr; later calls return at once) and `speech`
 * becomes the cache folder. A given `speech` path is made absolute. Either way the path is
 * recorded in run.json, so eval, report and --resume rebuild the same domain from any folder.
 * Other domains' options are returned unchanged.
 *
 * @throws UsageError when the speech package cannot be loaded, saying how to get speech.
 */
export async function resolveDomainOptions(
  name: DomainName,
  options: Record<string, unknown>,
  io: CliIo,
  load: SpeechLoader = importSpeech,
): Promise<Record<string, unknown>> {
  if (name !== 'audio-mnist-sequence') return options;
  const { speech } = options;
  // Anything else (a number, '') is left for the domain to reject, naming options.speech.
  if (typeof speech === 'string' && speech !== '') return { ...options, speech: resolve(speech) };
  if (speech !== undefined && speech !== null) return options;

  let speechPackage: SpeechPackage;
  try {
    speechPackage = await load();
  } catch (err) {
    throw new UsageError(`${NO_SPEECH} (loading ${SPEECH_PACKAGE} failed: ${err instanceof Error ? err.message : String(err)})`);
  }
  let bar: ProgressBar | null = null;
  try {
    const root = await speechPackage.renderSyntheticSpeech({
      onProgress: (done, total) => {
        if (bar === null) {
          io.stderr(`rendering the built-in synthetic speech once (${total} recordings by @sparling/speech-espeak) into ${speechPackage.defaultSpeechCache()}\n`);
          bar = new ProgressBar(io, { total, label: 'speech', unit: 'files' });
        }
        bar.update(done);
      },
    });
    return { ...options, speech: root };
  } finally {
    (bar as ProgressBar | null)?.finish();
  }
}

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where `renderSyntheticSpeech` writes by default: `$SPARLING_SPEECH_CACHE` if set, else
 * `$XDG_CACHE_HOME/sparling/speech-espeak-v1` if `XDG_CACHE_HOME` is set (to an absolute path), else
 * `~/.cache/sparling/speech-espeak-v1`. The `v1` changes whenever the rendered audio would.
 *
 * @example
 * ```ts
 * defaultSpeechCache(); // '/home/me/.cache/sparling/speech-espeak-v1'
 * ```
 */
export function defaultSpeechCache(): string {
  const explicit = process.env.SPARLING_SPEECH_CACHE;
  if (explicit) return resolve(explicit);
  const xdg = process.env.XDG_CACHE_HOME;
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'sparling', 'speech-espeak-v1');
}

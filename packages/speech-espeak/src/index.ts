/**
 * `@sparling/speech-espeak` (GPL-3.0-or-later): the built-in offline synthetic speech for the
 * AudioMNISTSequence domain — 60 eSpeak NG voices saying "zero".."nine", rendered once into an
 * AudioMNIST-layout cache folder that `@sparling/domains` reads like the real data set.
 */
export { defaultSpeechCache } from './default-speech-cache.js';
export { renderSyntheticSpeech, type RenderSyntheticSpeechOptions, type SpeechManifest } from './render-synthetic-speech.js';
export { speakerVoices, type SpeakerVoice } from './speaker-voices.js';

// espeak-ng@1.0.2 ships no types: the parts of its Emscripten module factory that we use.
declare module 'espeak-ng' {
  /** The Emscripten module object (only the members this package touches). */
  export interface ESpeakNgModule {
    FS: {
      readFile(path: string): Uint8Array;
      unlink(path: string): void;
    };
  }

  /** Emscripten `Module` settings read by the factory. */
  export interface ESpeakNgSettings {
    arguments?: string[];
    noInitialRun?: boolean;
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    quit?: (status: number, toThrow: unknown) => void;
    /** Instantiate the wasm module yourself (WebAssembly types are not in this repo's `lib`). */
    instantiateWasm?: (imports: object, receive: (instance: object, module: object) => void) => object;
  }

  export default function ESpeakNg(settings?: ESpeakNgSettings): Promise<ESpeakNgModule>;
}

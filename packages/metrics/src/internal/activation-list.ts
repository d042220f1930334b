import { fail, MotifInputError } from '../errors.js';
import type { MotifMap } from '../motif-map.js';

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * The nonzero activations of one motif map in struct-of-arrays form, ordered channels-last
 * row-major (position first, then channel) whatever the input form, so sparse and dense inputs
 * produce the same list. Buffers grow and are reused, so streaming many items allocates little.
 */
export class ActivationList {
  shape: readonly number[] = [];
  channels = 0;
  /** Number of spatial positions (product of the shape). */
  positions = 0;
  count = 0;
  coords = new Int32Array(128);
  channel = new Int32Array(64);
  value = new Float64Array(64);
  private keys = new Float64Array(64);
  private source = new Int32Array(64);
  private order: number[] = [];

  get rank(): number {
    return this.shape.length;
  }

  /** Validates `map` (naming `path` and `where` in errors) and fills the list with its nonzeros. */
  load(map: MotifMap, path: string, where?: string): this {
    if (typeof map !== 'object' || map === null) fail(path, 'a motif map object', map, where);
    this.loadGeometry(map, path, where);
    this.count = 0;
    if (map.kind === 'dense') this.loadDense(map.values, path, where);
    else if (map.kind === 'sparse') this.loadSparse(map.activations, path, where);
    else fail(`${path}.kind`, '"sparse" or "dense"', (map as { kind?: unknown }).kind, where);
    return this;
  }

  private loadGeometry(map: MotifMap, path: string, where: string | undefined): void {
    const shape: unknown = map.shape;
    if (!Array.isArray(shape) || shape.length === 0) fail(`${path}.shape`, 'a non-empty array of positive integers', shape, where);
    let positions = 1;
    shape.forEach((d: unknown, i) => {
      // Coordinates and channels are stored as int32.
      if (!isInteger(d) || d < 1 || d > 0x7fffffff) fail(`${path}.shape[${i}]`, 'a positive integer below 2^31', d, where);
      positions *= d;
    });
    const channels: unknown = map.channels;
    if (!isInteger(channels) || channels < 1 || channels > 0x7fffffff) fail(`${path}.channels`, 'a positive integer below 2^31', channels, where);
    if (!Number.isSafeInteger(positions * channels)) {
      throw new MotifInputError(path, `the map has ${positions} × ${channels} entries, more than can be indexed`, where);
    }
    this.shape = shape as number[];
    this.channels = channels;
    this.positions = positions;
  }

  /** Makes room for `n` activations (and their coordinates at the current rank). */
  private reserve(n: number): void {
    if (n > this.channel.length) {
      let cap = this.channel.length;
      while (cap < n) cap *= 2;
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (size: number) => T)(cap);
        b.set(a);
        return b;
      };
      this.channel = grow(this.channel);
      this.value = grow(this.value);
      this.keys = grow(this.keys);
      this.source = grow(this.source);
    }
    const need = this.channel.length * this.rank;
    if (this.coords.length < need) {
      const coords = new Int32Array(need);
      coords.set(this.coords);
      this.coords = coords;
    }
  }

  private loadDense(values: unknown, path: string, where: string | undefined): void {
    if (!(values instanceof Float32Array || values instanceof Float64Array)) {
      fail(`${path}.values`, 'a Float32Array or Float64Array', values, where);
    }
    const channels = this.channels;
    const total = this.positions * channels;
    if (values.length !== total) {
      throw new MotifInputError(
        `${path}.values`,
        `expected length ${total} (${this.shape.join('×')} positions × ${channels} channels, channels-last), received length ${values.length}`,
        where,
      );
    }
    this.reserve(0);
    const push = (v: number, i: number): void => {
      if (!(v > 0) || v === Infinity) fail(`${path}.values[${i}]`, 'a finite value >= 0 (motif maps are post-ReLU)', v, where);
      const n = this.count;
      if (n === this.channel.length) this.reserve(n + 1);
      const p = Math.floor(i / channels);
      this.channel[n] = i - p * channels;
      this.value[n] = v;
      this.writeCoords(n, p);
      this.count = n + 1;
    };
    // Extremely sparse maps are almost all zeros: reading two float32s as one float64 halves the
    // number of loads. A float64 is ±0 exactly when both halves are ±0 (any other bit pattern is
    // a nonzero number or NaN), so no nonzero is skipped.
    if (values instanceof Float32Array && values.byteOffset % 8 === 0) {
      const pairs = new Float64Array(values.buffer, values.byteOffset, values.length >>> 1);
      for (let j = 0; j < pairs.length; j++) {
        if (pairs[j] !== 0) {
          const i = 2 * j;
          const a = values[i]!;
          const b = values[i + 1]!;
          if (a !== 0) push(a, i);
          if (b !== 0) push(b, i + 1);
        }
      }
      if (values.length % 2 === 1) {
        const last = values[values.length - 1]!;
        if (last !== 0) push(last, values.length - 1);
      }
    } else {
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v !== 0) push(v, i);
      }
    }
  }

  private writeCoords(n: number, flat: number): void {
    const rank = this.rank;
    for (let d = rank - 1; d >= 0; d--) {
      const size = this.shape[d]!;
      const q = Math.floor(flat / size);
      this.coords[n * rank + d] = flat - q * size;
      flat = q;
    }
  }

  private loadSparse(activations: unknown, path: string, where: string | undefined): void {
    const apath = `${path}.activations`;
    if (!Array.isArray(activations)) fail(apath, 'an array of { channel, position, value }', activations, where);
    const { channels, shape, rank } = this;
    this.reserve(activations.length);
    // First pass: validate and compute each activation's channels-last flat index.
    let n = 0;
    let sorted = true;
    for (let k = 0; k < activations.length; k++) {
      const a: unknown = activations[k];
      const at = `${apath}[${k}]`;
      if (typeof a !== 'object' || a === null || Array.isArray(a)) fail(at, 'an object { channel, position, value }', a, where);
      const { channel, position, value } = a as { channel?: unknown; position?: unknown; value?: unknown };
      if (!isInteger(channel) || channel < 0 || channel >= channels) fail(`${at}.channel`, `an integer in [0, ${channels})`, channel, where);
      if (!Array.isArray(position) || position.length !== rank) {
        fail(`${at}.position`, `an array of ${rank} integer coordinate${rank === 1 ? '' : 's'}`, position, where);
      }
      let flat = 0;
      for (let d = 0; d < rank; d++) {
        const x: unknown = position[d];
        const size = shape[d]!;
        if (!isInteger(x) || x < 0 || x >= size) fail(`${at}.position[${d}]`, `an integer in [0, ${size})`, x, where);
        flat = flat * size + x;
      }
      if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
        fail(`${at}.value`, 'a finite number >= 0 (motif maps are post-ReLU)', value, where);
      }
      if (value === 0) continue;
      const key = flat * channels + channel;
      if (n > 0 && key <= this.keys[n - 1]!) sorted = false;
      this.keys[n] = key;
      this.source[n] = k;
      n++;
    }
    const order = this.order;
    order.length = n;
    for (let i = 0; i < n; i++) order[i] = i;
    if (!sorted) order.sort((x, y) => this.keys[x]! - this.keys[y]!);
    // Second pass: copy in channels-last order, rejecting a (channel, position) given twice.
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      const k = this.source[j]!;
      if (i > 0 && this.keys[j] === this.keys[order[i - 1]!]) {
        const first = Math.min(k, this.source[order[i - 1]!]!);
        const again = Math.max(k, this.source[order[i - 1]!]!);
        const a = activations[again] as { channel: number; position: number[] };
        throw new MotifInputError(
          `${apath}[${again}]`,
          `channel ${a.channel} at [${a.position.join(', ')}] appears twice (also ${apath}[${first}]); expected each activation once`,
          where,
        );
      }
      const a = activations[k] as { channel: number; position: number[]; value: number };
      this.channel[i] = a.channel;
      this.value[i] = a.value;
      for (let d = 0; d < rank; d++) this.coords[i * rank + d] = a.position[d]!;
    }
    this.count = n;
  }
}


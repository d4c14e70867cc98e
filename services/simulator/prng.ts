// A small seeded PRNG (mulberry32) and the distributions the simulator draws from.
// Deterministic: the same seed gives the same telemetry on every machine.

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(minInclusive: number, maxExclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxExclusive - minInclusive));
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape sigma: a radio-like long tail. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)];
  }

  /** An independent stream derived from this seed and a label (for per-flow generators). */
  fork(label: string): Prng {
    let h = this.state ^ 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Prng(h >>> 0);
  }
}

/** A 32-bit hash of a string (FNV-1a), for seeds derived from names. */
export function hashString(label: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: full avalanche, so neighbouring inputs give unrelated outputs. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Counter-based draws for packet n of a stream: the mulberry32 sequence seeded with a hash of
 * (streamSeed, n). Any packet's values can be computed without generating the ones before it,
 * so an interval of event time is a pure function of (seed, interval), whatever the splits.
 * `draw(j)` is the (j+1)-th uniform of the packet; the same j always gives the same value.
 */
export class PacketDraws {
  private key = 0;

  /** Positions on packet n (a non-negative integer below 2^53) of the stream. */
  at(streamSeed: number, n: number): this {
    const lo = n >>> 0;
    const hi = Math.floor(n / 4294967296) >>> 0;
    this.key = fmix32((streamSeed ^ fmix32(lo + Math.imul(hi, 0x9e3779b9))) + 0x6a09e667);
    return this;
  }

  /** Uniform in [0, 1): mulberry32's output at step j + 1 of the packet's sequence. */
  draw(j: number): number {
    let t = (this.key + Math.imul(j + 1, 0x6d2b79f5)) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal from draws j and j + 1 (Box-Muller). */
  normal(j: number): number {
    const u = 1 - this.draw(j);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.draw(j + 1));
  }
}

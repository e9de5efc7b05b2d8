import { log } from "../math/libm.ts";
import { sincospiInto } from "../math/trig_pi.ts";

/**
 * gradlab's seeded random number generator: the same seed gives the same numbers on
 * every machine and every JavaScript engine: the stream uses only 32-bit integer
 * arithmetic, and the normals only correctly rounded functions (`Math.log`, `Math.cos` and
 * `Math.sin` differ between engines: Chromium's and Node's disagreed on 1264 of 20000 draws).
 *
 * ```text
 * seed s (any integer) → four 32-bit words by SplitMix32:  z ← s + 0x9E3779B9 (repeated),
 *                        z ← (z ⊕ z>>>16)·0x85EBCA6B, z ← (z ⊕ z>>>13)·0xC2B2AE35, z ⊕ z>>>16
 * next 32-bit word       xoshiro128** (Blackman & Vigna): r = rotl(s1·5, 7)·9, then the xor-shift update
 * uniform in [0, 1)      (a>>>5 · 2^26 + b>>>6) / 2^53, from two words a, b (53 random bits)
 * normal N(0, 1)         Box–Muller: √(−2 ln(1 − u1)) · cos(2π u2), then the sin partner on the next call,
 *                        with ln, cos(2π·) and sin(2π·) correctly rounded (libm.log, cospi(2u2), sinpi(2u2))
 *                        and √, × as IEEE 754 rounds them
 * ```
 * These are not PyTorch's numbers (PyTorch uses a Mersenne Twister and other transforms);
 * tests that need PyTorch's random weights copy them in from a fixture.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;
  private initialSeed = 0;

  constructor(seed = 0) {
    this.manual_seed(seed);
  }

  /** Resets the generator to the stream of `seed` and returns it. */
  manual_seed(seed: number): this {
    this.initialSeed = seed;
    let z = seed | 0;
    const splitmix = (): number => {
      z = (z + 0x9e3779b9) | 0;
      let r = z;
      r = Math.imul(r ^ (r >>> 16), 0x85ebca6b);
      r = Math.imul(r ^ (r >>> 13), 0xc2b2ae35);
      return (r ^ (r >>> 16)) >>> 0;
    };
    // Fold the high bits of seeds beyond 32 bits into the stream so they still matter.
    z = (z ^ Math.floor(seed / 2 ** 32)) | 0;
    this.s0 = splitmix();
    this.s1 = splitmix();
    this.s2 = splitmix();
    this.s3 = splitmix();
    this.spareNormal = null;
    return this;
  }

  /** The seed last given to `manual_seed`. */
  initial_seed(): number {
    return this.initialSeed;
  }

  /** The next 32-bit unsigned integer of the stream (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform number in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal number (Box–Muller, using both outputs of each pair). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const radius = Math.sqrt(-2 * log(1 - this.uniform()));
    const [sin, cos] = sincospiInto(2 * this.uniform(), angle);
    this.spareNormal = radius * sin!;
    return radius * cos!;
  }

  /** A uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** The generator's full state, to save and restore a stream. */
  get_state(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal ?? NaN, this.initialSeed];
  }

  set_state(state: number[]): void {
    this.s0 = (state[0] ?? 0) | 0;
    this.s1 = (state[1] ?? 0) | 0;
    this.s2 = (state[2] ?? 0) | 0;
    this.s3 = (state[3] ?? 0) | 0;
    const spare = state[4] ?? NaN;
    this.spareNormal = Number.isNaN(spare) ? null : spare;
    this.initialSeed = state[5] ?? 0;
  }
}

/** sin and cos of the Box–Muller angle (reused: no allocation per draw). */
const angle = new Float64Array(2);

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** The generator used when a function is not given one (as PyTorch's default generator). */
export const default_generator = new Generator(0);

/** Seeds the default generator, as `torch.manual_seed`; returns it. */
export const manual_seed = (seed: number): Generator => default_generator.manual_seed(seed);

/**
 * Secure aggregation by pairwise additive masks (after Bonawitz et al.,
 * "Practical Secure Aggregation for Privacy-Preserving Machine Learning",
 * CCS 2017, the masking layer without its dropout secret-sharing).
 *
 * Each client scales its update by its weight n_k / N, encodes it in
 * fixed point as integers modulo 2^52 and adds, for every other client j,
 * a mask that it shares with j: +m_kj when its name sorts before j's, and
 * -m_kj otherwise. Every mask appears once with each sign, so the sum of
 * the masked vectors modulo 2^52 is exactly the sum of the encoded
 * updates, while each masked vector alone is uniformly distributed.
 *
 * The pair's mask comes from an X25519 key agreement (node:crypto): the
 * coordinator only relays public keys, so it cannot compute any mask.
 * Masks are AES-256-CTR keystreams under SHA-256(shared secret, round,
 * attempt). Node only.
 *
 * Integers modulo 2^52 are held in doubles: every element is an exact
 * integer in [0, 2^52) and the sum of two is below 2^53, so every step is
 * exact. The only error is the encoding's rounding, at most 2^-37 per
 * client and coordinate (about 7e-12), which is why secure and plain
 * FedAvg agree to ~1e-11 rather than bit for bit. The price is range:
 * a weighted update entry must stay below 2^15 in magnitude.
 */
import {
  createCipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import type { NamedParams } from "./params.js";

/** The ring's modulus, 2^52. */
export const RING = 4503599627370496; // 2^52
const HALF_RING = 2251799813685248; // 2^51
const TWO_POW_32 = 4294967296; // 2^32
/** Fixed-point scale: 36 fractional bits. */
export const FIXED_SCALE = 68719476736; // 2^36
/** Largest |value| that encodes without wrapping: 2^15. */
export const MAX_ENCODED = HALF_RING / FIXED_SCALE;

/** One client's key pair for the pairwise mask agreement. */
export interface MaskKeys {
  /** X25519 public key, SPKI DER in base64: safe to publish */
  publicKey: string;
  privateKey: KeyObject;
}

/** A fresh X25519 key pair. */
export function maskKeys(): MaskKeys {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  const der = publicKey.export({ type: "spki", format: "der" });
  return { publicKey: Buffer.from(der).toString("base64"), privateKey };
}

/** A peer as the coordinator announces it for one round. */
export interface MaskPeer {
  client: string;
  publicKey: string;
}

/**
 * Encodes x in the ring: round(x * 2^36) modulo 2^52.
 * @throws RangeError when |x| >= 2^15 (it would wrap) or x is not finite
 */
export function encodeFixed(x: number): number {
  if (!(Math.abs(x) < MAX_ENCODED)) {
    throw new RangeError(
      `a weighted update entry must be finite with magnitude < ${MAX_ENCODED} for secure aggregation, got ${x}`,
    );
  }
  const q = Math.round(x * FIXED_SCALE);
  return q < 0 ? q + RING : q;
}

/** The signed value of a ring element, / 2^36. */
export function decodeFixed(r: number): number {
  return (r >= HALF_RING ? r - RING : r) / FIXED_SCALE;
}

/** (a + b) mod 2^52 for a, b in [0, 2^52): exact in doubles. */
function addRing(a: number, b: number): number {
  const s = a + b;
  return s >= RING ? s - RING : s;
}

/** (a - b) mod 2^52 for a, b in [0, 2^52). */
function subRing(a: number, b: number): number {
  const s = a - b;
  return s < 0 ? s + RING : s;
}

/**
 * `length` ring elements drawn from the pair's shared secret for one
 * round attempt: both clients of the pair get the same stream.
 */
function maskStream(
  secret: Buffer,
  round: number,
  attempt: number,
  length: number,
): Float64Array {
  const key = createHash("sha256")
    .update(secret)
    .update(`wasmlearn mask ${round} ${attempt}`)
    .digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  const bytes = Buffer.concat([
    cipher.update(Buffer.alloc(8 * length)),
    cipher.final(),
  ]);
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    const lo = bytes.readUInt32LE(8 * k);
    const hi = bytes.readUInt32LE(8 * k + 4) & 0xfffff; // 20 bits: 52 in all
    out[k] = hi * TWO_POW_32 + lo;
  }
  return out;
}

/**
 * Masks one client's weighted update. Parameter names are visited in
 * sorted order so that both ends of a pair draw the same stream for the
 * same parameter.
 * @param self this client's name (must appear among `peers`)
 * @param keys this client's key pair
 * @param peers every client of the round, with their public keys
 * @param weighted the update already multiplied by n_k / N
 * @returns the masked ring elements, same names and shapes
 * @throws RangeError for an entry too large to encode
 */
export function maskUpdate(
  self: string,
  keys: MaskKeys,
  peers: readonly MaskPeer[],
  weighted: NamedParams,
  round: number,
  attempt: number,
): NamedParams {
  const names = Object.keys(weighted).sort();
  const total = names.reduce((s, n) => s + weighted[n].values.length, 0);
  const masked = new Float64Array(total);
  let at = 0;
  for (const n of names) {
    for (const v of weighted[n].values) masked[at++] = encodeFixed(v);
  }

  for (const peer of peers) {
    if (peer.client === self) continue;
    const publicKey = createPublicKey({
      key: Buffer.from(peer.publicKey, "base64"),
      format: "der",
      type: "spki",
    });
    const secret = diffieHellman({ privateKey: keys.privateKey, publicKey });
    const mask = maskStream(secret, round, attempt, total);
    const add = self < peer.client;
    for (let k = 0; k < total; k++) {
      masked[k] = add
        ? addRing(masked[k], mask[k])
        : subRing(masked[k], mask[k]);
    }
  }

  const out: NamedParams = {};
  at = 0;
  for (const n of names) {
    const len = weighted[n].values.length;
    out[n] = {
      shape: [...weighted[n].shape],
      values: masked.slice(at, at + len),
    };
    at += len;
  }
  return out;
}

/**
 * The sum of the clients' weighted updates from their masked vectors:
 * adds them modulo 2^52 (the masks cancel) and decodes. With every
 * client's weight n_k / N applied, this is FedAvg's weighted mean.
 * The caller checks names and shapes first (see aggregate.ts).
 */
export function unmaskSum(masked: readonly NamedParams[]): NamedParams {
  const out: NamedParams = {};
  for (const [name, t] of Object.entries(masked[0])) {
    const sum = new Float64Array(t.values.length);
    for (const m of masked) {
      const v = m[name].values;
      for (let k = 0; k < sum.length; k++) sum[k] = addRing(sum[k], v[k]);
    }
    out[name] = { shape: [...t.shape], values: sum.map(decodeFixed) };
  }
  return out;
}

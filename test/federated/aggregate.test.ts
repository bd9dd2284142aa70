import { describe, expect, it } from "vitest";
import {
  aggregateUpdates,
  EmptyAggregateError,
} from "../../src/federated/aggregate.js";
import {
  decodeFixed,
  encodeFixed,
  maskKeys,
  maskUpdate,
  unmaskSum,
  RING,
} from "../../src/federated/secure.js";
import { clipUpdate } from "../../src/federated/privacy.js";
import { paramsNorm, type NamedParams } from "../../src/federated/params.js";

const p = (coef: number[], intercept: number[]): NamedParams => ({
  coef: { shape: [1, coef.length], values: Float64Array.from(coef) },
  intercept: { shape: [1], values: Float64Array.from(intercept) },
});

describe("aggregateUpdates", () => {
  it("weights each client by its sample count", () => {
    const a = aggregateUpdates([
      { client: "a", nSamples: 1, params: p([1, 2], [0]) },
      { client: "b", nSamples: 3, params: p([5, 6], [4]) },
    ]);
    expect(Array.from(a.params.coef.values)).toEqual([4, 5]);
    expect(Array.from(a.params.intercept.values)).toEqual([3]);
    expect(a.nSamples).toBe(4);
  });

  it("when a client has zero samples then it is skipped", () => {
    const a = aggregateUpdates([
      { client: "a", nSamples: 2, params: p([1, 1], [1]) },
      { client: "empty", nSamples: 0, params: p([9], [9]) },
    ]);
    expect(a.skipped).toEqual(["empty"]);
    expect(Array.from(a.params.coef.values)).toEqual([1, 1]);
  });

  it("when every client is empty then it throws", () => {
    expect(() =>
      aggregateUpdates([{ client: "a", nSamples: 0, params: p([1], [1]) }]),
    ).toThrow(EmptyAggregateError);
    expect(() => aggregateUpdates([])).toThrow(/all empty/);
  });

  it("when shapes differ then the error names the client and the parameter", () => {
    const run = () =>
      aggregateUpdates([
        { client: "a", nSamples: 1, params: p([1, 2], [0]) },
        { client: "b", nSamples: 1, params: p([1, 2, 3], [0]) },
      ]);
    expect(run).toThrow(RangeError);
    expect(run).toThrow(/client "b": parameter "coef" must have shape \[1,2\]/);
  });

  it("when a parameter is missing then the error names it", () => {
    const { intercept: _, ...onlyCoef } = p([1, 2], [0]);
    expect(() =>
      aggregateUpdates([
        { client: "a", nSamples: 1, params: p([1, 2], [0]) },
        { client: "b", nSamples: 1, params: onlyCoef },
      ]),
    ).toThrow(/client "b" is missing parameter "intercept"/);
  });
});

describe("secure aggregation masks", () => {
  it("masked vectors look uniform alone but sum to the plain sum", () => {
    const names = ["c0", "c1", "c2"];
    const keys = names.map(() => maskKeys());
    const peers = names.map((client, k) => ({
      client,
      publicKey: keys[k].publicKey,
    }));
    const updates = [
      p([0.5, -1.25], [0.1]),
      p([-0.25, 2], [0.2]),
      p([1e-3, 0], [-0.3]),
    ];
    const masked = names.map((n, k) =>
      maskUpdate(n, keys[k], peers, updates[k], 3, 0),
    );
    for (const [k, m] of masked.entries()) {
      for (const v of m.coef.values) {
        expect(Number.isInteger(v) && v >= 0 && v < RING).toBe(true);
      }
      expect(decodeFixed(m.coef.values[0])).not.toBeCloseTo(
        updates[k].coef.values[0],
        3,
      );
    }
    const sum = unmaskSum(masked);
    // rounding of the fixed-point encoding: at most 3 * 2^-37
    expect(sum.coef.values[0]).toBeCloseTo(0.251, 10);
    expect(sum.coef.values[1]).toBeCloseTo(0.75, 10);
    expect(sum.intercept.values[0]).toBeCloseTo(0, 10);
  });

  it("encodeFixed round-trips and refuses values that would wrap", () => {
    for (const x of [0, -0, 1.5, -3.25, 1e-9, 32767])
      expect(decodeFixed(encodeFixed(x))).toBeCloseTo(x, 10);
    expect(() => encodeFixed(40000)).toThrow(/magnitude < 32768/);
    expect(() => encodeFixed(NaN)).toThrow(RangeError);
  });
});

describe("clipUpdate", () => {
  it("scales an update down to the clip norm and reports the norm before", () => {
    const u = p([3, 4], [0]);
    expect(clipUpdate(u, 1)).toBe(5);
    expect(paramsNorm(u)).toBeCloseTo(1, 12);
    const small = p([0.3, 0.4], [0]);
    clipUpdate(small, 1);
    expect(Array.from(small.coef.values)).toEqual([0.3, 0.4]);
  });
});

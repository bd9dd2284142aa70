import { describe, expect, it } from "vitest";
import { makeClassification } from "../../src/data/make-classification.js";

function column(
  X: { data: Float64Array; rows: number; cols: number },
  j: number,
): number[] {
  return Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe("makeClassification", () => {
  it("has scikit-learn's defaults: 100 x 20, two balanced classes", () => {
    const { X, y } = makeClassification({ randomState: 0, flipY: 0 });
    expect([X.rows, X.cols]).toEqual([100, 20]);
    expect(y.filter((v) => v === 1).length).toBe(50);
  });

  it("is reproducible from randomState and differs between seeds", () => {
    const a = makeClassification({ randomState: 4 });
    expect(makeClassification({ randomState: 4 })).toEqual(a);
    expect(makeClassification({ randomState: 5 }).X.data).not.toEqual(a.X.data);
  });

  it("lays out informative, redundant, repeated and noise columns without shuffle", () => {
    const o = {
      nSamples: 4000,
      nFeatures: 10,
      nInformative: 3,
      nRedundant: 2,
      nRepeated: 2,
      nClasses: 2,
      nClustersPerClass: 2,
      classSep: 2,
      flipY: 0,
      shuffle: false,
      randomState: 1,
    };
    const { X, y } = makeClassification(o);

    // Rows come cluster by cluster (1000 each), class = cluster mod 2, and
    // each cluster's informative mean sits near a distinct vertex (±2).
    const vertices = new Set<string>();
    for (let k = 0; k < 4; k++) {
      const rows = Array.from({ length: 1000 }, (_, r) => k * 1000 + r);
      expect(rows.every((i) => y[i] === k % 2)).toBe(true);
      const centre = [0, 1, 2].map((j) =>
        mean(rows.map((i) => X.data[i * 10 + j])),
      );
      for (const c of centre)
        expect(Math.abs(Math.abs(c) - 2)).toBeLessThan(0.15);
      vertices.add(centre.map(Math.sign).join());
    }
    expect(vertices.size).toBe(4);

    // Redundant columns are exact linear combinations of the informative
    // ones: with 3 informative columns, any 4 rows are linearly dependent.
    const minor = (m: number[][], c: number) =>
      m.slice(1).map((r) => r.filter((_, q) => q !== c));
    const det = (m: number[][]): number =>
      m.length === 1
        ? m[0][0]
        : m[0].reduce(
            (s, v, c) => s + (c % 2 ? -1 : 1) * v * det(minor(m, c)),
            0,
          );
    const rowsOf = (cols: number[]) =>
      [5, 1500, 2700, 3999].map((i) => cols.map((j) => X.data[i * 10 + j]));
    expect(Math.abs(det(rowsOf([0, 1, 2, 3])))).toBeLessThan(1e-9);
    expect(Math.abs(det(rowsOf([0, 1, 2, 4])))).toBeLessThan(1e-9);

    // Repeated columns copy one of the first five; the rest are N(0, 1).
    for (const j of [5, 6]) {
      const c = column(X, j);
      const copies = [0, 1, 2, 3, 4].filter((s) =>
        column(X, s).every((v, i) => v === c[i]),
      );
      expect(copies.length).toBeGreaterThan(0);
    }
    for (const j of [7, 8, 9]) {
      const c = column(X, j);
      expect(Math.abs(mean(c))).toBeLessThan(0.06);
      expect(Math.abs(mean(c.map((v) => v * v)) - 1)).toBeLessThan(0.08);
    }
  });

  it("deals leftover rows to the first clusters; flips about flipY", () => {
    const { y } = makeClassification({
      nSamples: 101,
      nClasses: 4,
      nClustersPerClass: 1,
      flipY: 0,
      shuffle: false,
      randomState: 0,
    });
    const sizes = [0, 1, 2, 3].map((k) => y.filter((v) => v === k).length);
    expect(sizes).toEqual([26, 25, 25, 25]);
    const labels = (flipY: number) =>
      makeClassification({
        nSamples: 5000,
        flipY,
        shuffle: false,
        randomState: 2,
      }).y;
    const base = labels(0);
    const flipped = labels(0.2);
    const changed = base.filter((v, i) => v !== flipped[i]).length / 5000;
    expect(changed).toBeGreaterThan(0.07); // a flip picks the same class half the time
    expect(changed).toBeLessThan(0.13);
  });

  it("works beyond 30 informative features", () => {
    const { X } = makeClassification({
      nFeatures: 40,
      nInformative: 35,
      nRedundant: 0,
      randomState: 0,
    });
    expect(X.cols).toBe(40);
  });

  it("validates scikit-learn's constraints, without 32-bit overflow", () => {
    const tooMany = {
      nFeatures: 5,
      nInformative: 3,
      nRedundant: 2,
      nRepeated: 1,
    };
    expect(() => makeClassification(tooMany)).toThrow(
      "nInformative + nRedundant + nRepeated must be <= nFeatures (5), got 6",
    );
    const clusters = { nInformative: 2, nClasses: 3, nClustersPerClass: 2 };
    expect(() => makeClassification(clusters)).toThrow(
      "nClasses * nClustersPerClass must be <= 2^nInformative (4), got 6",
    );
    // 1 << 32 would be 1 in 32-bit arithmetic; 3 * 2^31 > 2^32 must fail.
    const wide = {
      nFeatures: 40,
      nInformative: 32,
      nRedundant: 0,
      nClasses: 3,
      nClustersPerClass: 2 ** 31,
    };
    expect(() => makeClassification(wide)).toThrow(
      "nClasses * nClustersPerClass must be <= 2^nInformative " +
        "(4294967296), got 6442450944",
    );
    expect(() => makeClassification({ nSamples: 0 })).toThrow(
      "nSamples must be an integer >= 1, got 0",
    );
    expect(() => makeClassification({ flipY: 2 })).toThrow(RangeError);
    expect(() => makeClassification({ classSep: NaN })).toThrow(RangeError);
  });
});

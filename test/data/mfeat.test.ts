import { describe, expect, it } from "vitest";
import type { Label } from "../../src/data/dataset.js";
import {
  loadMfeat,
  loadWdbc,
  MFEAT_DEFAULT_VIEWS,
  MFEAT_VIEWS,
} from "../../src/data/mfeat.js";

function countBy(labels: readonly Label[]): Map<Label, number> {
  const counts = new Map<Label, number>();
  for (const v of labels) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe("loadMfeat", () => {
  it("loads all five views: 2000 rows, published feature counts", () => {
    const data = loadMfeat(Object.keys(MFEAT_VIEWS));
    expect(data.name).toBe("mfeat");
    expect(data.modalities.map((m) => [m.name, m.X.rows, m.X.cols])).toEqual([
      ["factors", 2000, 216],
      ["karhunen", 2000, 64],
      ["zernike", 2000, 47],
      ["pixel", 2000, 240],
      ["morphological", 2000, 6],
    ]);
  });

  it("labels 200 rows each of classes 1..10, sorted by class", () => {
    const { y } = loadMfeat(["morphological"]);
    expect(y).toHaveLength(2000);
    const counts = countBy(y);
    expect([...counts.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...counts.values()].every((n) => n === 200)).toBe(true);
    expect(y[0]).toBe(1);
    expect(y[1999]).toBe(10);
  });

  it("loads factors, karhunen and zernike by default, in that order", () => {
    const data = loadMfeat();
    const names = data.modalities.map((m) => m.name);
    expect(names).toEqual([...MFEAT_DEFAULT_VIEWS]);
    expect(MFEAT_DEFAULT_VIEWS).toEqual(["factors", "karhunen", "zernike"]);
  });

  it("keeps the order of the views asked for", () => {
    const data = loadMfeat(["zernike", "pixel"]);
    expect(data.modalities.map((m) => m.name)).toEqual(["zernike", "pixel"]);
  });

  it("holds finite values whose first row matches the shipped file", () => {
    // data/mfeat/morphological.csv.gz, line 2:
    // 1.00000000,0.00000000,0.00000000,133.15086140,1.31169276,1620.22177892,1
    const { modalities } = loadMfeat(["morphological"]);
    expect(Array.from(modalities[0].X.data.subarray(0, 6))).toEqual([
      1, 0, 0, 133.1508614, 1.31169276, 1620.22177892,
    ]);
  });

  const errors: [string, unknown, ErrorConstructor, string][] = [
    [
      "an unknown view",
      ["factors", "fourier"],
      RangeError,
      "views[1] must be one of factors, karhunen, zernike, pixel, " +
        'morphological, got "fourier"',
    ],
    [
      "a repeated view",
      ["pixel", "pixel"],
      RangeError,
      'views must not repeat, got "pixel" twice',
    ],
    ["no views", [], RangeError, "views must name at least one view, got none"],
    ["a string", "pixel", TypeError, 'views must be an array, got "pixel"'],
    [
      "a number among the views",
      ["pixel", 3],
      TypeError,
      "views[1] must be a string, got 3",
    ],
  ];
  for (const [what, views, type, message] of errors) {
    it(`when given ${what} then throws a ${type.name}`, () => {
      const f = () => loadMfeat(views as string[]);
      expect(f).toThrow(type);
      expect(f).toThrow(message);
    });
  }
});

describe("loadWdbc", () => {
  it("loads 569 x 30 with classes 1 (357 benign) and 2 (212 malignant)", () => {
    const { X, y, featureNames } = loadWdbc();
    expect([X.rows, X.cols]).toEqual([569, 30]);
    const names = Array.from({ length: 30 }, (_, j) => `V${j + 1}`);
    expect(featureNames).toEqual(names);
    const counts = countBy(y);
    expect(counts.get(1)).toBe(357);
    expect(counts.get(2)).toBe(212);
    expect(counts.size).toBe(2);
    // First row of the file: 17.99,10.38,122.8,1001,... Class 2.
    const first = Array.from(X.data.subarray(0, 4));
    expect(first).toEqual([17.99, 10.38, 122.8, 1001]);
    expect(y[0]).toBe(2);
  });
});

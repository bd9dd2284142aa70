import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Label } from "../../src/data/dataset.js";
import { trainTestSplit } from "../../src/data/split.js";
import { DataError } from "../../src/errors.js";

/** Train and test are disjoint and together cover 0..n-1 exactly once. */
function expectPartition(
  s: { train: Int32Array; test: Int32Array },
  n: number,
): void {
  const all = [...s.train, ...s.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

function countBy(labels: readonly Label[]): Map<Label, number> {
  const counts = new Map<Label, number>();
  for (const v of labels) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** 10 classes of 200 rows, sorted by class like the mfeat files. */
const SORTED_10 = Array.from({ length: 2000 }, (_, i) => 1 + ((i / 200) | 0));

describe("trainTestSplit", () => {
  describe("sizes", () => {
    it("takes ceil(testSize * n) rows for testing, as scikit-learn", () => {
      // sklearn: train_test_split(range(10), test_size=0.25) -> 3 test rows
      expect(trainTestSplit(10).test).toHaveLength(3);
      expect(trainTestSplit(10, { testSize: 0.31 }).test).toHaveLength(4);
      expect(trainTestSplit(2000, { testSize: 0.2 }).test).toHaveLength(400);
    });

    it("takes an integer testSize as a row count", () => {
      const s = trainTestSplit(10, { testSize: 1 });
      expect(s.test).toHaveLength(1);
      expect(s.train).toHaveLength(9);
      expect(trainTestSplit(10, { testSize: 9 }).train).toHaveLength(1);
    });

    it("partitions the rows for any size and seed", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 2, max: 300 }),
          fc.double({ min: 0.01, max: 0.5, noNaN: true }),
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          (n, testSize, seed) => {
            const s = trainTestSplit(n, { testSize, seed });
            expect(s.test).toHaveLength(Math.ceil(testSize * n));
            expectPartition(s, n);
          },
        ),
      );
    });
  });

  describe("shuffle", () => {
    it("when shuffle is false then the first nTrain rows train", () => {
      const s = trainTestSplit(1000, { testSize: 200, shuffle: false });
      expect(Array.from(s.train)).toEqual(
        Array.from({ length: 800 }, (_, i) => i),
      );
      expect(s.test[0]).toBe(800);
      expect(s.test[199]).toBe(999);
    });

    it("gives the same split for the same seed and another for another", () => {
      const a = trainTestSplit(100, { seed: 7 });
      const b = trainTestSplit(100, { seed: 7 });
      const c = trainTestSplit(100, { seed: 8 });
      expect(a).toEqual(b);
      expect(Array.from(c.test)).not.toEqual(Array.from(a.test));
    });

    it("pins the split of seed 0 so the stream cannot change silently", () => {
      // Recorded from this implementation (xoshiro128** seeded with 0,
      // Fisher-Yates from the end, test = first nTest of the shuffle).
      const s = trainTestSplit(8, { testSize: 3 });
      expect(Array.from(s.test)).toEqual([1, 4, 3]);
      expectPartition(s, 8);
    });
  });

  describe("stratify", () => {
    it("keeps each class's share of mfeat-like sorted data", () => {
      const s = trainTestSplit(2000, {
        testSize: 0.2,
        seed: 3,
        stratify: SORTED_10,
      });
      expect(s.test).toHaveLength(400);
      expectPartition(s, 2000);
      const test = countBy(Array.from(s.test, (i) => SORTED_10[i]));
      for (let c = 1; c <= 10; c++) expect(test.get(c)).toBe(40);
    });

    it("rounds shares so that the test size is exact", () => {
      // nTest = ceil(0.25 * 21) = 6; shares 6/21 * (5, 7, 9) = 1.43, 2,
      // 2.57 floor to 1, 2, 2 (sum 5); the largest remainder, class "c",
      // gets the sixth test row.
      const y = [...Array(5).fill("a"), ...Array(7).fill("b")];
      y.push(...Array(9).fill("c"));
      const s = trainTestSplit(21, { testSize: 0.25, stratify: y });
      const test = countBy(Array.from(s.test, (i) => y[i]));
      expect(s.test).toHaveLength(6);
      expect([test.get("a"), test.get("b"), test.get("c")]).toEqual([1, 2, 3]);
    });

    /** Labels 0, 0, ..., 1, 1, ... with `sizes[c]` rows of class c. */
    const classesOf = (sizes: number[]) =>
      sizes.flatMap((size, c) => Array<number>(size).fill(c));

    it("puts every class in train even when testSize is large", () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 2, max: 12 }), {
            minLength: 2,
            maxLength: 6,
          }),
          fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          fc.integer({ min: 0, max: 1000 }),
          (sizes, testSize, seed) => {
            const y = classesOf(sizes);
            const n = y.length;
            const nTest = Math.ceil(testSize * n);
            fc.pre(nTest >= sizes.length && n - nTest >= sizes.length);
            const s = trainTestSplit(n, { testSize, seed, stratify: y });
            expect(s.test).toHaveLength(nTest);
            expectPartition(s, n);
            const train = countBy(Array.from(s.train, (i) => y[i]));
            for (const c of sizes.keys()) expect(train.get(c)).toBeDefined();
          },
        ),
      );
    });

    it("gives each class its test share to within one row", () => {
      // With testSize <= 0.5 and classes of >= 4 rows no class reaches the
      // cap of size - 1 test rows, so largest remainders alone decide.
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 4, max: 30 }), {
            minLength: 2,
            maxLength: 6,
          }),
          fc.double({ min: 0.05, max: 0.5, noNaN: true }),
          fc.integer({ min: 0, max: 1000 }),
          (sizes, testSize, seed) => {
            const y = classesOf(sizes);
            const n = y.length;
            const nTest = Math.ceil(testSize * n);
            fc.pre(nTest >= sizes.length);
            const s = trainTestSplit(n, { testSize, seed, stratify: y });
            const test = countBy(Array.from(s.test, (i) => y[i]));
            for (const [c, size] of sizes.entries()) {
              const share = (size * nTest) / n;
              expect(Math.abs((test.get(c) ?? 0) - share)).toBeLessThan(1);
            }
          },
        ),
      );
    });

    it("accepts class indices as an Int32Array", () => {
      const y = Int32Array.from(SORTED_10.slice(0, 400));
      const a = trainTestSplit(400, { seed: 1, stratify: y });
      const b = trainTestSplit(400, { seed: 1, stratify: Array.from(y) });
      expect(a).toEqual(b);
    });

    it("is reproducible for a seed", () => {
      const options = { seed: 11, stratify: SORTED_10 };
      expect(trainTestSplit(2000, options)).toEqual(
        trainTestSplit(2000, options),
      );
    });
  });

  describe("errors", () => {
    const rangeCases: [string, () => unknown, string][] = [
      [
        "testSize 0",
        () => trainTestSplit(10, { testSize: 0 }),
        "testSize must be a fraction in (0, 1) or a count in [1, 9], got 0",
      ],
      [
        "testSize equal to n",
        () => trainTestSplit(10, { testSize: 10 }),
        "testSize must be a fraction in (0, 1) or a count in [1, 9], got 10",
      ],
      [
        "a negative testSize",
        () => trainTestSplit(10, { testSize: -0.5 }),
        "testSize must be a fraction in (0, 1) or a count in [1, 9], got -0.5",
      ],
      [
        "a fractional testSize above 1",
        () => trainTestSplit(10, { testSize: 2.5 }),
        "testSize must be a fraction in (0, 1) or a count in [1, 9], got 2.5",
      ],
      [
        "a NaN testSize",
        () => trainTestSplit(10, { testSize: NaN }),
        "testSize must be a fraction in (0, 1) or a count in [1, 9], got NaN",
      ],
      [
        "a fraction that leaves no training rows",
        () => trainTestSplit(10, { testSize: 0.95 }),
        "testSize must leave at least one training row, got 0.95 of 10 " +
          "rows (10 for testing)",
      ],
      [
        "one sample",
        () => trainTestSplit(1),
        "nSamples must be an integer >= 2, got 1",
      ],
      [
        "a fractional nSamples",
        () => trainTestSplit(2.5),
        "nSamples must be an integer >= 2, got 2.5",
      ],
      [
        "a fractional seed",
        () => trainTestSplit(10, { seed: 0.5 }),
        "seed must be an integer, got 0.5",
      ],
      [
        "stratify without shuffle",
        () => trainTestSplit(4, { shuffle: false, stratify: [0, 0, 1, 1] }),
        "shuffle must be true when stratify is given, got false",
      ],
    ];
    for (const [what, f, message] of rangeCases) {
      it(`when given ${what} then throws a RangeError`, () => {
        expect(f).toThrow(RangeError);
        expect(f).toThrow(message);
      });
    }

    const dataCases: [string, () => unknown, string][] = [
      [
        "a class with one member",
        () => trainTestSplit(5, { stratify: ["a", "a", "b", "c", "c"] }),
        "the least populated class in y has only 1 member, which is too " +
          "few: stratify must have at least 2 rows per class, got 1 for " +
          'class "b"',
      ],
      [
        "stratify of the wrong length",
        () => trainTestSplit(5, { stratify: [1, 1, 2, 2] }),
        "stratify must have one label per sample (5), got 4",
      ],
      [
        "fewer test rows than classes",
        () => trainTestSplit(6, { testSize: 2, stratify: [0, 0, 1, 1, 2, 2] }),
        "the test size must be at least the number of classes (3), got 2",
      ],
      [
        "fewer train rows than classes",
        () => trainTestSplit(6, { testSize: 4, stratify: [0, 0, 1, 1, 2, 2] }),
        "the train size must be at least the number of classes (3), got 2",
      ],
    ];
    for (const [what, f, message] of dataCases) {
      it(`when given ${what} then throws a DataError`, () => {
        expect(f).toThrow(DataError);
        expect(f).toThrow(message);
      });
    }

    const typeCases: [string, () => unknown, string][] = [
      [
        "a string testSize",
        () => trainTestSplit(10, { testSize: "0.2" as unknown as number }),
        'testSize must be a number, got "0.2"',
      ],
      [
        "a string nSamples",
        () => trainTestSplit("10" as unknown as number),
        'nSamples must be a number, got "10"',
      ],
      [
        "stratify labels of mixed kinds",
        () => trainTestSplit(4, { stratify: [1, 1, "a", "a"] }),
        "stratify must hold only numbers or only strings, got 1 at index 0 " +
          'and "a" at index 2',
      ],
      [
        "a shuffle that is not a boolean",
        () => trainTestSplit(4, { shuffle: 0 as unknown as boolean }),
        "shuffle must be a boolean, got 0",
      ],
    ];
    for (const [what, f, message] of typeCases) {
      it(`when given ${what} then throws a TypeError`, () => {
        expect(f).toThrow(TypeError);
        expect(f).toThrow(message);
      });
    }
  });
});

import { describe, expect, it } from "vitest";
import { StandardScaler } from "../../src/data/scale.js";
import { Rng } from "../../src/kernels/rng.js";
import { matrix, type Matrix } from "../../src/data/matrix.js";
import { DataError, NotFittedError } from "../../src/errors.js";

function rowsOf(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) =>
    Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );
}

/** Relative closeness with an absolute floor for values near zero. */
function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    const tol = 1e-13 * Math.max(1, Math.abs(expected[k]));
    expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(tol);
  }
}

describe("StandardScaler", () => {
  describe("hand-computed example", () => {
    // Column 0: 1, 3, 5 -> mean 3, population variance (4+0+4)/3 = 8/3.
    // Column 1: 2, 2, 2 -> constant: variance 0, scale 1.
    const X = [
      [1, 2],
      [3, 2],
      [5, 2],
    ];

    it("learns means, population variances and scales", () => {
      const s = new StandardScaler().fit(X);
      expect(Array.from(s.mean)).toEqual([3, 2]);
      expectClose(s.variance, [8 / 3, 0]);
      expectClose(s.scale, [Math.sqrt(8 / 3), 1]);
      expect(s.nFeatures).toBe(2);
      expect(s.isFitted).toBe(true);
    });

    it("transforms to z-scores, the constant column to zeros", () => {
      const z = 2 / Math.sqrt(8 / 3);
      const Z = new StandardScaler().fitTransform(X);
      expectClose(Z.data, [-z, 0, 0, 0, z, 0]);
    });

    it("transforms new rows with the training statistics", () => {
      const s = new StandardScaler().fit(X);
      const Z = s.transform([[3, 7]]);
      expect(rowsOf(Z)).toEqual([[0, 5]]);
    });
  });

  describe("against numpy", () => {
    // numpy 2.4.6: X.mean(0), X.var(0) (ddof=0), and
    // (X - X.mean(0)) / np.where(X.std(0) == 0, 1, X.std(0)).
    const X = [
      [1.0, 0.1, -3.0, 1e6],
      [2.0, 0.1, 0.5, 1e6 + 1],
      [4.0, 0.1, 2.0, 1e6 + 2],
      [7.0, 0.1, 0.5, 1e6 + 4],
      [0.5, 0.1, -1.0, 1e6 + 8],
    ];
    const mean = [2.9, 0.1, -0.2, 1000003];
    const variance = [5.639999999999999, 0, 2.86, 8];
    const Z = [
      [-0.800044325013193, 0, -1.6556747087694312, -1.0606601717798212],
      [-0.3789683644799335, 0, 0.4139186771923578, -0.7071067811865475],
      [0.4631835565865855, 0, 1.3008872711759818, -0.35355339059327373],
      [1.7264114381863638, 0, 0.4139186771923578, 0.35355339059327373],
      [-1.0105823052798228, 0, -0.4730499167912661, 1.7677669529663687],
    ];

    // Tolerance 1e-13 relative: numpy sums pairwise, this code in order,
    // so the last bits of the means may differ.
    it("matches numpy's mean, var and standardised values", () => {
      const s = new StandardScaler().fit(X);
      expectClose(s.mean, mean);
      expectClose(s.variance, variance);
      expectClose(s.transform(X).data, Z.flat());
    });

    it("treats a column as constant within sklearn's rounding bound", () => {
      // sklearn: StandardScaler().fit([[1e16], [1e16 + 2]]) gives var_ 1
      // and scale_ 1, since 1 <= n eps var + (n mean eps)^2 = 19.7: the
      // spread is at the level of rounding in numbers of this size.
      const s = new StandardScaler().fit([[1e16], [1e16 + 2]]);
      expect(Array.from(s.variance)).toEqual([1]);
      expect(Array.from(s.scale)).toEqual([1]);
    });
  });

  describe("properties", () => {
    it("gives each column mean 0 and population std 1 after fitting", () => {
      const rng = new Rng(5);
      const n = 200;
      const data = rng.fillNormal(n * 3).map((v, p) => v * ((p % 3) + 1) + p);
      const Z = new StandardScaler().fitTransform(matrix(n, 3, data));
      const again = new StandardScaler().fit(Z);
      expectClose(again.mean, [0, 0, 0]);
      expectClose(again.variance, [1, 1, 1]);
    });

    it("inverseTransform undoes transform", () => {
      const X = [
        [1, -2, 300],
        [4, 5, -600],
      ];
      const s = new StandardScaler().fit(X);
      expectClose(s.inverseTransform(s.transform(X)).data, X.flat());
    });

    it("does not modify its input or share its statistics", () => {
      const m = matrix(2, 1, Float64Array.from([1, 3]));
      const s = new StandardScaler().fit(m);
      s.transform(m);
      s.mean[0] = 99;
      expect(Array.from(m.data)).toEqual([1, 3]);
      expect(s.mean[0]).toBe(2);
    });
  });

  describe("JSON", () => {
    it("round-trips through JSON text exactly", () => {
      const X = [
        [0.1, 1 / 3],
        [0.7, 2 / 3],
        [1e-300, 1e150],
      ];
      const s = new StandardScaler().fit(X);
      const json = JSON.parse(JSON.stringify(s));
      const back = StandardScaler.fromJSON(json);
      expect(back.toJSON()).toEqual(s.toJSON());
      expect(back.transform(X)).toEqual(s.transform(X));
      expect(json.type).toBe("StandardScaler");
      expect(json.nSamplesSeen).toBe(3);
    });

    const good = {
      type: "StandardScaler" as const,
      mean: [0, 1],
      variance: [1, 4],
      scale: [1, 2],
      nSamplesSeen: 3,
    };
    const cases: [string, unknown, ErrorConstructor, string][] = [
      ["null", null, TypeError, "json must be an object, got null"],
      [
        "another type",
        { ...good, type: "MinMaxScaler" },
        TypeError,
        'json.type must be "StandardScaler", got "MinMaxScaler"',
      ],
      [
        "a missing array",
        { ...good, scale: undefined },
        TypeError,
        "json.scale must be an array, got undefined",
      ],
      [
        "a null entry",
        { ...good, mean: [0, null] },
        RangeError,
        "json.mean[1] must be a finite number, got null",
      ],
      [
        "arrays of different lengths",
        { ...good, variance: [1] },
        RangeError,
        "json.variance must have 2 values like json.mean, got 1",
      ],
      [
        "a zero scale",
        { ...good, scale: [1, 0] },
        RangeError,
        "json.scale[1] must be > 0, got 0",
      ],
      [
        "a negative variance",
        { ...good, variance: [-1, 4] },
        RangeError,
        "json.variance[0] must be >= 0, got -1",
      ],
      [
        "no features",
        { ...good, mean: [], variance: [], scale: [] },
        RangeError,
        "json.mean must have at least 1 value, got 0",
      ],
      [
        "a fractional sample count",
        { ...good, nSamplesSeen: 2.5 },
        RangeError,
        "json.nSamplesSeen must be an integer >= 1, got 2.5",
      ],
    ];
    for (const [what, json, type, message] of cases) {
      it(`when fromJSON gets ${what} then throws a ${type.name}`, () => {
        const f = () => StandardScaler.fromJSON(json as typeof good);
        expect(f).toThrow(type);
        expect(f).toThrow(message);
      });
    }
  });

  describe("errors", () => {
    it("when used before fit then throws NotFittedError", () => {
      const s = new StandardScaler();
      const message = "this StandardScaler is not fitted yet: call fit first";
      for (const f of [
        () => s.transform([[1]]),
        () => s.inverseTransform([[1]]),
        () => s.mean,
        () => s.toJSON(),
      ]) {
        expect(f).toThrow(NotFittedError);
        expect(f).toThrow(message);
      }
      expect(s.isFitted).toBe(false);
    });

    it("when fitted on NaN then throws a DataError naming the entry", () => {
      const f = () =>
        new StandardScaler().fit([
          [1, 2],
          [3, NaN],
        ]);
      expect(f).toThrow(DataError);
      expect(f).toThrow(
        "X must contain only finite numbers, got NaN at row 1, column 1",
      );
    });

    it("when transforming Infinity then throws a DataError", () => {
      const s = new StandardScaler().fit([[1], [2]]);
      const f = () => s.transform([[Infinity]]);
      expect(f).toThrow(DataError);
      expect(f).toThrow(
        "X must contain only finite numbers, got Infinity at row 0, column 0",
      );
    });

    it("when the column count differs from fit then throws RangeError", () => {
      const s = new StandardScaler().fit([[1, 2, 3]]);
      const f = () => s.transform([[1, 2]]);
      expect(f).toThrow(RangeError);
      expect(f).toThrow("X must have 3 columns, as in fit, got 2");
    });

    it("when fitted on no rows or no columns then throws a DataError", () => {
      const noRows = () => new StandardScaler().fit([]);
      expect(noRows).toThrow(DataError);
      expect(noRows).toThrow("X must have at least 1 sample, got 0");
      const noCols = () => new StandardScaler().fit([[], []]);
      expect(noCols).toThrow(DataError);
      expect(noCols).toThrow("X must have at least 1 feature, got 0");
    });

    it("when a column's variance overflows then throws a DataError", () => {
      const f = () =>
        new StandardScaler().fit([
          [0, -1e200],
          [0, 1e200],
        ]);
      expect(f).toThrow(DataError);
      expect(f).toThrow("X column 1 must have a finite variance, got Infinity");
    });

    it("when given something other than a matrix then TypeError", () => {
      const f = () => new StandardScaler().fit("X" as unknown as number[][]);
      expect(f).toThrow(TypeError);
      expect(f).toThrow('X must be a Matrix or an array of rows, got "X"');
    });
  });
});

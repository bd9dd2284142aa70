import { describe, expect, it } from "vitest";
import { matrix, type Matrix } from "../../src/data/matrix.js";
import { DataError, NotFittedError } from "../../src/errors.js";
import { Rng } from "../../src/kernels/rng.js";
import { LogisticRegression } from "../../src/models/logistic.js";
import { wasm } from "../../src/wasm/load.js";

function blobs(
  seed: number,
  n: number,
  d: number,
  labels: (string | number)[],
) {
  const rng = new Rng(seed);
  const X = rng.fillNormal(n * d);
  const y = Array.from({ length: n }, (_, i) => labels[i % labels.length]);
  for (let i = 0; i < n; i++) X[i * d + ((i % labels.length) % d)] += 2.5;
  return { X: matrix(n, d, X), y };
}

function rowSums(P: Matrix): number[] {
  return Array.from({ length: P.rows }, (_, i) =>
    P.data.subarray(i * P.cols, (i + 1) * P.cols).reduce((a, b) => a + b, 0),
  );
}

describe("LogisticRegression", () => {
  it("has scikit-learn's defaults", () => {
    expect(new LogisticRegression().options).toEqual({
      C: 1,
      maxIter: 100,
      tol: 1e-4,
      ftol: 2.220446049250313e-9,
      fitIntercept: true,
      backend: "wasm",
    });
  });

  it("fits binary data with one row of coefficients and probabilities summing to 1", () => {
    const { X, y } = blobs(1, 200, 4, [0, 1]);
    const m = new LogisticRegression().fit(X, y);
    expect(m.classes).toEqual([0, 1]);
    expect(m.coef).toHaveLength(1);
    expect(m.coef[0]).toHaveLength(4);
    expect(m.intercept).toHaveLength(1);
    expect(m.converged).toBe(true);
    expect(m.score(X, y)).toBeGreaterThan(0.85);
    for (const s of rowSums(m.predictProba(X))) expect(s).toBeCloseTo(1, 14);
  });

  it("maps string labels to sorted classes, multinomial for three or more", () => {
    const { X, y } = blobs(2, 300, 5, ["pear", "apple", "fig"]);
    const m = new LogisticRegression().fit(X, y);
    expect(m.classes).toEqual(["apple", "fig", "pear"]);
    expect(m.coef).toHaveLength(3);
    const P = m.predictProba(X);
    expect(P.cols).toBe(3);
    for (const s of rowSums(P)) expect(s).toBeCloseTo(1, 14);
    const pred = m.predict(X);
    for (let i = 0; i < 20; i++) {
      const row = Array.from(P.data.subarray(i * 3, i * 3 + 3));
      expect(pred[i]).toBe(m.classes[row.indexOf(Math.max(...row))]);
    }
  });

  it("wasm and ts backends reach the same model", () => {
    const { X, y } = blobs(3, 400, 6, [1, 2, 3, 4]);
    const a = new LogisticRegression({
      backend: "wasm",
      tol: 1e-10,
      maxIter: 1000,
    }).fit(X, y);
    const b = new LogisticRegression({
      backend: "ts",
      tol: 1e-10,
      maxIter: 1000,
    }).fit(X, y);
    const wa = a.coef.flat().concat(a.intercept);
    const wb = b.coef.flat().concat(b.intercept);
    const scale = Math.max(...wb.map(Math.abs));
    for (let p = 0; p < wa.length; p++) {
      // both solve the same strictly convex problem to gtol 1e-10
      expect(Math.abs(wa[p] - wb[p]) / scale).toBeLessThan(1e-6);
    }
    expect(a.predict(X)).toEqual(b.predict(X));
  });

  it("reaches a stationary point: the gradient of the objective vanishes", () => {
    // d/dw [mean log-loss + ||w||^2 / (2 C n)] = 0  <=>  X^T (p - y) + w / C = 0
    const { X, y } = blobs(4, 150, 3, [0, 1]);
    const C = 0.5;
    const m = new LogisticRegression({
      C,
      tol: 1e-9,
      ftol: 0,
      maxIter: 1000,
    }).fit(X, y);
    const P = m.predictProba(X);
    const g = [0, 0, 0, 0];
    for (let i = 0; i < X.rows; i++) {
      const r = P.data[2 * i + 1] - (y[i] as number);
      for (let j = 0; j < 3; j++) g[j] += r * X.data[i * 3 + j];
      g[3] += r;
    }
    for (let j = 0; j < 3; j++)
      expect(Math.abs(g[j] + m.coef[0][j] / C)).toBeLessThan(1e-7);
    expect(Math.abs(g[3])).toBeLessThan(1e-7);
  });

  it("stronger regularisation shrinks the coefficients", () => {
    const { X, y } = blobs(5, 200, 4, [0, 1]);
    const norm = (C: number) =>
      Math.hypot(...new LogisticRegression({ C }).fit(X, y).coef[0]);
    expect(norm(0.01)).toBeLessThan(norm(1));
    expect(norm(1)).toBeLessThan(norm(100));
  });

  it("fitIntercept false keeps the intercept at 0", () => {
    const { X, y } = blobs(6, 100, 3, [0, 1]);
    const m = new LogisticRegression({ fitIntercept: false }).fit(X, y);
    expect(m.intercept).toEqual([0]);
  });

  it("reports non-convergence instead of throwing", () => {
    const { X, y } = blobs(7, 300, 8, [0, 1, 2]);
    const m = new LogisticRegression({ maxIter: 2, tol: 1e-12 }).fit(X, y);
    expect(m.converged).toBe(false);
    expect(m.nIter).toBe(2);
  });

  it("accepts number[][] and gives the same result as a Matrix", () => {
    const { X, y } = blobs(8, 60, 2, [0, 1]);
    const rows = Array.from({ length: 60 }, (_, i) => [
      X.data[2 * i],
      X.data[2 * i + 1],
    ]);
    const a = new LogisticRegression().fit(X, y);
    const b = new LogisticRegression().fit(rows, y);
    expect(b.coef).toEqual(a.coef);
  });

  it("round-trips through toJSON / fromJSON with identical predictions", () => {
    const { X, y } = blobs(9, 120, 3, ["a", "b", "c"]);
    const m = new LogisticRegression().fit(X, y);
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    const back = LogisticRegression.fromJSON(json);
    expect(back.predict(X)).toEqual(m.predict(X));
    expect(Array.from(back.predictProba(X).data)).toEqual(
      Array.from(m.predictProba(X).data),
    );
    expect(() =>
      LogisticRegression.fromJSON({ type: "Forest" } as never),
    ).toThrow(TypeError);
  });

  describe("errors", () => {
    const { X, y } = blobs(10, 20, 2, [0, 1]);
    it("rejects bad options with the value received", () => {
      expect(() => new LogisticRegression({ C: 0 })).toThrow(
        new RangeError("C must be a finite number > 0, got 0"),
      );
      expect(() => new LogisticRegression({ C: NaN })).toThrow(
        /C must be a finite number > 0, got NaN/,
      );
      expect(() => new LogisticRegression({ maxIter: 2.5 })).toThrow(
        /maxIter must be an integer >= 1, got 2.5/,
      );
      expect(() => new LogisticRegression({ tol: -1 })).toThrow(
        /tol must be a finite number >= 0, got -1/,
      );
      expect(() => new LogisticRegression({ backend: "gpu" as never })).toThrow(
        /backend must be one of wasm, ts, got "gpu"/,
      );
    });
    it("rejects options of the wrong kind, unknown options and a C that overflows", () => {
      expect(() => new LogisticRegression({ C: "1" as never })).toThrow(
        new TypeError('C must be a number, got "1"'),
      );
      expect(
        () => new LogisticRegression({ fitIntercept: "no" as never }),
      ).toThrow(/fitIntercept must be true or false, got "no"/);
      expect(() => new LogisticRegression({ max_iter: 10 } as never)).toThrow(
        /options has no option "max_iter"; the options are C, maxIter/,
      );
      expect(() => new LogisticRegression(null as never)).toThrow(
        /options must be an object, got null/,
      );
      expect(() => new LogisticRegression({ backend: 5 as never })).toThrow(
        TypeError,
      );
      expect(() => new LogisticRegression({ C: 5e-324 }).fit(X, y)).toThrow(
        /C must be large enough that 1 \/ \(C \* nSamples\) is finite, got 5e-324/,
      );
    });
    it("rejects y that is not an array of labels", () => {
      for (const bad of [undefined, null, "abab", 4]) {
        expect(() => new LogisticRegression().fit(X, bad as never)).toThrow(
          /y must be an array of labels/,
        );
      }
      const m = new LogisticRegression().fit(X, y);
      expect(() => m.score(X, y.map(String))).toThrow(
        /y must hold labels of the fitted kind \(number\), got "0"/,
      );
    });
    it("fromJSON validates every field", () => {
      const good = new LogisticRegression().fit(X, y).toJSON();
      const broken: [Partial<typeof good>, RegExp][] = [
        [
          { classes: ["no"] as never },
          /json.classes must hold at least 2 distinct labels/,
        ],
        [
          { classes: [0, 0] },
          /json.classes must hold at least 2 distinct labels/,
        ],
        [
          { classes: [1, 0] },
          /json.classes must be sorted as fit sorts them, got \[1,0\]/,
        ],
        [
          { coef: [[NaN, 1]] },
          /json.coef\[0\]\[0\] must be a finite number, got NaN/,
        ],
        [
          { coef: [["a", "b"]] as never },
          /json.coef\[0\]\[0\] must be a finite number, got "a"/,
        ],
        [{ intercept: "5" as never }, /json.intercept/],
        [{ nFeatures: 1.5 }, /json.nFeatures must be an integer >= 1, got 1.5/],
        [{ nIter: "x" as never }, /json.nIter must be a number, got "x"/],
        [
          { converged: "maybe" as never },
          /json.converged must be true or false/,
        ],
        [
          { classes: undefined },
          /json.classes must be an array of labels, got undefined/,
        ],
      ];
      for (const [patch, message] of broken) {
        expect(() =>
          LogisticRegression.fromJSON({ ...good, ...patch }),
        ).toThrow(message);
      }
    });
    it("rejects a single class", () => {
      expect(() =>
        new LogisticRegression().fit(X, new Array(20).fill(1)),
      ).toThrow(
        new DataError(
          "y must contain at least 2 classes, got the single class 1",
        ),
      );
    });
    it("rejects NaN, ragged rows, empty data and mismatched lengths", () => {
      const bad = matrix(2, 1, Float64Array.from([1, NaN]));
      expect(() => new LogisticRegression().fit(bad, [0, 1])).toThrow(
        /X must contain only finite numbers, got NaN at row 1, column 0/,
      );
      expect(() => new LogisticRegression().fit([[1, 2], [3]], [0, 1])).toThrow(
        /X is ragged/,
      );
      expect(() => new LogisticRegression().fit([], [])).toThrow(
        /at least 1 sample/,
      );
      expect(() => new LogisticRegression().fit([[], []], [0, 1])).toThrow(
        /at least 1 feature/,
      );
      expect(() => new LogisticRegression().fit(X, [0, 1])).toThrow(
        /y must have one label per row of X \(20\), got 2/,
      );
      expect(() =>
        new LogisticRegression().fit(X, [...y.slice(0, 19), "a"]),
      ).toThrow(TypeError);
    });
    it("rejects use before fit and a wrong feature count after", () => {
      expect(() => new LogisticRegression().predict(X)).toThrow(NotFittedError);
      const m = new LogisticRegression().fit(X, y);
      expect(() => m.predict([[1, 2, 3]])).toThrow(
        /X must have 2 features as in fit, got 3/,
      );
    });
  });

  it("gives finite probabilities when decision values overflow, and names rows that cannot be scored", () => {
    const m = LogisticRegression.fromJSON({
      type: "LogisticRegression",
      options: {
        C: 1,
        maxIter: 100,
        tol: 1e-4,
        ftol: 2.220446049250313e-9,
        fitIntercept: true,
        backend: "wasm",
      },
      classes: ["a", "b", "c"],
      nFeatures: 2,
      coef: [
        [2, 2],
        [0, 0],
        [-2, -2],
      ],
      intercept: [0, 0, 0],
      nIter: 1,
      converged: true,
    });
    // 2e308 overflows to +Infinity for class a and -Infinity for class c
    expect(Array.from(m.predictProba([[1e308, 1e308]]).data)).toEqual([
      1, 0, 0,
    ]);
    expect(m.predict([[1e308, 1e308]])).toEqual(["a"]);
    // +Infinity + -Infinity within one dot product is NaN: no answer exists
    expect(() =>
      m.predict([
        [0, 0],
        [1e308, -1e308],
      ]),
    ).toThrow(/X row 1 overflows the decision function/);
  });

  it("100,000 fit and predict calls keep wasm memory bounded", () => {
    const { X, y } = blobs(11, 12, 2, [0, 1]);
    const m = new LogisticRegression({ maxIter: 3 });
    m.fit(X, y).predict(X);
    const before = wasm().memory.buffer.byteLength;
    for (let k = 0; k < 50_000; k++) {
      m.fit(X, y);
      m.predict(X);
    }
    expect(wasm().memory.buffer.byteLength).toBe(before);
  });
});

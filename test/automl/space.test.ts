import { describe, expect, it } from "vitest";
import {
  gridPoints,
  paramsKey,
  parseSpace,
  sampleParams,
  spaceSize,
} from "../../src/automl/space.js";
import {
  checkSpaceForModel,
  defaultSpace,
} from "../../src/automl/estimators.js";
import { Rng } from "../../src/kernels/rng.js";

describe("parseSpace", () => {
  it("reads bare lists as categorical dimensions, null included", () => {
    const s = parseSpace({
      maxDepth: [3, null],
      C: { type: "float", low: 0.01, high: 10, log: true },
    });
    expect(s.maxDepth).toEqual({ type: "categorical", values: [3, null] });
    expect(s.C).toEqual({ type: "float", low: 0.01, high: 10, log: true });
  });

  it.each([
    [{ a: [] }, "space.a must list at least one value, got an empty list"],
    [
      { a: { type: "int", low: 5, high: 2 } },
      "space.a must have low <= high, got low 5 and high 2",
    ],
    [
      { a: { type: "int", low: 1.5, high: 2 } },
      "space.a must have integer bounds",
    ],
    [
      { a: { type: "float", low: 0, high: 1, log: true } },
      "space.a must have low > 0 on a log scale",
    ],
    [
      { a: { type: "float", low: "x", high: 1 } },
      "space.a low must be a finite number",
    ],
    [{ a: { type: "normal" } }, 'type must be "categorical", "int" or "float"'],
    [{ a: [1, 1] }, "must not list a value twice"],
    [{ a: [[1]] }, "values must be numbers, strings, booleans or null"],
    [
      { a: { type: "int", low: 1, high: 2, step: 1 } },
      'must have only the fields type, low, high and log, got "step"',
    ],
    [{}, "space must name at least one parameter"],
  ])("rejects %j", (raw, message) => {
    expect(() => parseSpace(raw)).toThrow(RangeError);
    expect(() => parseSpace(raw)).toThrow(message);
  });

  it("rejects a non-object with a TypeError", () => {
    expect(() => parseSpace([1])).toThrow(TypeError);
  });
});

describe("gridPoints", () => {
  it("gives the course's 36 points once each, last name fastest", () => {
    const points = gridPoints(defaultSpace("forest"));
    expect(points).toHaveLength(36);
    expect(new Set(points.map(paramsKey)).size).toBe(36);
    expect(points[0]).toEqual({
      nEstimators: 50,
      maxDepth: 3,
      minSamplesSplit: 2,
    });
    expect(points[1]).toEqual({
      nEstimators: 50,
      maxDepth: 3,
      minSamplesSplit: 5,
    });
    expect(points[35]).toEqual({
      nEstimators: 200,
      maxDepth: null,
      minSamplesSplit: 10,
    });
  });

  it("expands integer ranges and refuses float ranges", () => {
    expect(
      gridPoints(parseSpace({ a: { type: "int", low: 2, high: 4 } })),
    ).toEqual([{ a: 2 }, { a: 3 }, { a: 4 }]);
    expect(() =>
      gridPoints(parseSpace({ a: { type: "float", low: 0, high: 1 } })),
    ).toThrow(
      "space.a must be a list of values or an integer range for a grid, got a float range",
    );
    expect(
      spaceSize(parseSpace({ a: { type: "float", low: 0, high: 1 } })),
    ).toBe(Infinity);
  });
});

describe("sampleParams", () => {
  it("draws within the bounds, integers for int ranges, log scale included", () => {
    const space = parseSpace({
      n: { type: "int", low: 1, high: 1000, log: true },
      x: { type: "float", low: 1e-3, high: 1e3, log: true },
      c: ["a", null],
    });
    const rng = new Rng(3);
    let small = 0;
    for (let k = 0; k < 2000; k++) {
      const p = sampleParams(space, rng);
      expect(Number.isInteger(p.n)).toBe(true);
      expect(p.n as number).toBeGreaterThanOrEqual(1);
      expect(p.n as number).toBeLessThanOrEqual(1000);
      expect(p.x as number).toBeGreaterThanOrEqual(1e-3);
      expect(p.x as number).toBeLessThanOrEqual(1e3);
      if ((p.x as number) < 1) small++;
      expect(["a", null]).toContain(p.c);
    }
    // log-uniform: half the draws below the geometric middle, 1
    expect(small / 2000).toBeGreaterThan(0.45);
    expect(small / 2000).toBeLessThan(0.55);
  });
});

describe("checkSpaceForModel", () => {
  it("names an unknown parameter and the known ones", () => {
    expect(() =>
      checkSpaceForModel(parseSpace({ depth: [1] }), "forest"),
    ).toThrow(
      /space parameter "depth" must be one of forest's nEstimators, criterion, maxDepth/,
    );
    expect(() =>
      checkSpaceForModel(parseSpace({ maxDepth: [3] }), "logistic"),
    ).toThrow(/logistic's C, maxIter/);
    // a key named __proto__ is a key like any other, not a prototype
    expect(() =>
      checkSpaceForModel(
        parseSpace(JSON.parse('{"__proto__": [1, 2]}')),
        "forest",
      ),
    ).toThrow(/space parameter "__proto__" must be one of forest's/);
  });

  it("rejects values the estimator rejects, with its message", () => {
    expect(() =>
      checkSpaceForModel(parseSpace({ nEstimators: [0] }), "forest"),
    ).toThrow(
      "space.nEstimators must hold valid values: nEstimators must be an integer >= 1, got 0",
    );
    expect(() =>
      checkSpaceForModel(
        parseSpace({ C: { type: "float", low: 0, high: 1 } }),
        "logistic",
      ),
    ).toThrow(
      /space.C must hold valid values: C must be a finite number > 0, got 0/,
    );
    // a float range over an integer option fails inside the range
    expect(() =>
      checkSpaceForModel(
        parseSpace({ nEstimators: { type: "float", low: 10, high: 20 } }),
        "forest",
      ),
    ).toThrow(/nEstimators must be an integer/);
  });
});

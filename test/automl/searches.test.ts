import { describe, expect, it } from "vitest";
import {
  GridSearch,
  HalvingSearch,
  RandomSearch,
  halvingRungs,
  promote,
  type Search,
} from "../../src/automl/searches.js";
import { TpeSearch } from "../../src/automl/tpe.js";
import {
  gridPoints,
  paramsKey,
  parseSpace,
  type Params,
} from "../../src/automl/space.js";
import { defaultSpace } from "../../src/automl/estimators.js";
import {
  rankTrials,
  type TrialRecord,
  type TrialRequest,
} from "../../src/automl/trial.js";

/** Runs a search against a score function of the params (null = a failed trial). */
function drive(
  search: Search,
  score: (p: Params, t: TrialRequest) => number | null,
): TrialRecord[] {
  const done: TrialRecord[] = [];
  for (let batch = search.next(done); batch; batch = search.next(done)) {
    for (const t of batch) {
      const s = score(t.params, t);
      done.push({
        ...t,
        score: s,
        scores: [s ?? NaN],
        fitSeconds: 0,
        status: s === null ? "failed" : "ok",
      });
    }
  }
  return done;
}

const course = defaultSpace("forest");

describe("halvingRungs", () => {
  it("counts the course's 36 candidates down 36, 12, 4, 2 with the last rung on every row", () => {
    expect(halvingRungs(36, 3, 20, 640)).toEqual([
      { resource: 23, candidates: 36 },
      { resource: 71, candidates: 12 },
      { resource: 213, candidates: 4 },
      { resource: 640, candidates: 2 },
    ]);
  });

  it("stops at the rungs the resources allow", () => {
    expect(halvingRungs(36, 3, 100, 640)).toEqual([
      { resource: 213, candidates: 36 },
      { resource: 640, candidates: 12 },
    ]);
    expect(halvingRungs(1, 2, 1, 8)).toEqual([{ resource: 8, candidates: 1 }]);
  });

  it("rejects bad factors and resources", () => {
    expect(() => halvingRungs(9, 1, 1, 10)).toThrow(
      "factor must be an integer >= 2, got 1",
    );
    expect(() => halvingRungs(9, 3, 0, 10)).toThrow(
      "minResource must be an integer >= 1, got 0",
    );
    expect(() => halvingRungs(9, 3, 20, 10)).toThrow(
      "maxResource must be an integer >= minResource (20), got 10",
    );
  });
});

describe("GridSearch", () => {
  it("asks for every point exactly once, then stops", () => {
    const trials = drive(new GridSearch(course), () => 0.5);
    expect(trials).toHaveLength(36);
    expect(new Set(trials.map((t) => paramsKey(t.params))).size).toBe(36);
  });

  it("picks the earliest of tied trials and ranks failed trials last", () => {
    const search = new GridSearch(parseSpace({ a: [1, 2, 3, 4] }));
    const trials = drive(search, (p) =>
      p.a === 1 ? null : p.a === 2 ? 0.5 : 0.9,
    );
    expect(search.best(trials).params).toEqual({ a: 3 });
    expect(rankTrials(trials).map((t) => t.params.a)).toEqual([3, 4, 2, 1]);
  });
});

describe("RandomSearch", () => {
  it("never repeats a point of a finite space and is the same for a seed", () => {
    const a = drive(new RandomSearch(course, 30, 5), () => 0);
    const b = drive(new RandomSearch(course, 30, 5), () => 0);
    expect(new Set(a.map((t) => paramsKey(t.params))).size).toBe(30);
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
    expect(drive(new RandomSearch(course, 100, 5), () => 0)).toHaveLength(36);
  });
});

describe("TpeSearch", () => {
  // a smooth objective with its peak at x = 0.7, y = 3 (log scale)
  const space = parseSpace({
    x: { type: "float", low: 0, high: 1 },
    y: { type: "float", low: 0.01, high: 100, log: true },
  });
  const objective = (p: Params) =>
    -(((p.x as number) - 0.7) ** 2) -
    (Math.log10(p.y as number) - Math.log10(3)) ** 2 / 4;

  it("gives the same trials for the same seed", () => {
    const a = drive(new TpeSearch(space, { trials: 25, seed: 1 }), objective);
    const b = drive(new TpeSearch(space, { trials: 25, seed: 1 }), objective);
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
  });

  it("beats random search on a smooth objective over ten seeds", () => {
    let tpe = 0;
    let random = 0;
    for (let seed = 0; seed < 10; seed++) {
      const best = (trials: TrialRecord[]) =>
        Math.max(...trials.map((t) => t.score as number));
      tpe += best(drive(new TpeSearch(space, { trials: 30, seed }), objective));
      random += best(drive(new RandomSearch(space, 30, seed), objective));
    }
    expect(tpe).toBeGreaterThan(random);
  });

  it("never repeats a point of a finite space and ends when it is exhausted", () => {
    const trials = drive(new TpeSearch(course, { trials: 50, seed: 3 }), (p) =>
      p.maxDepth === null ? 0.9 : 0.5,
    );
    expect(trials).toHaveLength(36);
    expect(new Set(trials.map((t) => paramsKey(t.params))).size).toBe(36);
  });

  it("concentrates on the good region of a categorical space", () => {
    const trials = drive(new TpeSearch(course, { trials: 18, seed: 0 }), (p) =>
      p.maxDepth === null || p.maxDepth === 7 ? 0.95 : 0.8,
    );
    const good = trials
      .slice(5)
      .filter((t) => t.params.maxDepth === null || t.params.maxDepth === 7);
    // after 5 random trials, most proposals fall in the good half of the grid
    expect(good.length).toBeGreaterThan(0.6 * (trials.length - 5));
  });

  it("counts failed trials as the worst and stays deterministic", () => {
    const fail = (p: Params) =>
      (p.x as number) > 0.5 ? null : (p.x as number);
    const a = drive(new TpeSearch(space, { trials: 20, seed: 4 }), fail);
    const b = drive(new TpeSearch(space, { trials: 20, seed: 4 }), fail);
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
  });

  it("rejects bad options", () => {
    expect(() => new TpeSearch(space, { trials: 0, seed: 1 })).toThrow(
      "trials must be an integer >= 1, got 0",
    );
    expect(
      () => new TpeSearch(space, { trials: 5, seed: 1, gamma: 1 }),
    ).toThrow("gamma must be in (0, 1), got 1");
  });
});

describe("HalvingSearch", () => {
  it("keeps the best third each rung and takes the best from the last rung", () => {
    const candidates = gridPoints(course);
    const search = new HalvingSearch(candidates, {
      resource: "samples",
      minResource: 20,
      maxResource: 640,
    });
    // scores rise with the resource, so an early rung's trial would win if compared across rungs
    const trials = drive(search, (p, t) => {
      const depth = p.maxDepth === null ? 10 : (p.maxDepth as number);
      return (
        0.5 +
        depth / 100 +
        (p.nEstimators as number) / 10_000 +
        (t.resource!.amount === 640 ? 0 : 0.3)
      );
    });
    expect(trials.map((t) => t.rung)).toEqual([
      ...Array(36).fill(0),
      ...Array(12).fill(1),
      ...Array(4).fill(2),
      ...Array(2).fill(3),
    ]);
    const best = search.best(trials);
    expect(best.rung).toBe(3);
    expect(best.params).toMatchObject({ maxDepth: null, nEstimators: 200 });
    expect(
      trials
        .filter((t) => t.rung === 3)
        .every((t) => t.params.maxDepth === null),
    ).toBe(true);
  });

  it("with keepTies also promotes candidates within the cut's standard error, at most twice the count", () => {
    const search = new HalvingSearch(gridPoints(course), {
      resource: "samples",
      minResource: 71,
      maxResource: 640,
      keepTies: true,
    });
    expect(search.rungs.map((r) => r.candidates)).toEqual([36, 12, 4]);
    expect(search.total).toBe(36 + 24 + 8);
    // five folds with std 0.0447 (se 0.02); depth null scores 0.90, 7 0.89,
    // 5 0.88, 3 0.80, less 0.0001 below 200 trees. First rung: the cut (the
    // 12th) is a depth-7 trial at 0.89, and every depth-7 and depth-5 trial
    // is within 0.02 of it, but only 24 in all go on. Second rung: the cut
    // is at 0.8999 and 22 trials are within its se, but the cap is 8
    const level: Record<string, number> = {
      null: 0.9,
      7: 0.89,
      5: 0.88,
      3: 0.8,
    };
    const done: TrialRecord[] = [];
    for (let batch = search.next(done); batch; batch = search.next(done)) {
      for (const t of batch) {
        const m = level[String(t.params.maxDepth)];
        const n = t.params.nEstimators === 200 ? 0 : 0.0001;
        const s = m - n;
        done.push({
          ...t,
          score: s,
          scores: [s - 0.05, s + 0.05, s - 0.05, s + 0.05, s],
          scoreStd: Math.sqrt((4 * 0.05 * 0.05) / 5),
          fitSeconds: 0,
          status: "ok",
        });
      }
    }
    const perRung = [0, 1, 2].map(
      (r) => done.filter((t) => t.rung === r).length,
    );
    expect(perRung).toEqual([36, 24, 8]);
    expect(search.best(done).params).toMatchObject({
      maxDepth: null,
      nEstimators: 200,
    });
  });

  it("promote keeps the count without keepTies and only exact ties without fold scores", () => {
    const t = (id: number, score: number): TrialRecord => ({
      id,
      params: { a: id },
      score,
      scores: [score],
      fitSeconds: 0,
      status: "ok",
    });
    const trials = [t(0, 0.8), t(1, 0.9), t(2, 0.85), t(3, 0.85), t(4, 0.7)];
    expect(promote(trials, 2, false).map((r) => r.id)).toEqual([1, 2]);
    expect(promote(trials, 2, true).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(promote(trials, 1, true).map((r) => r.id)).toEqual([1]);
    expect(promote(trials, 9, true)).toHaveLength(5);
  });

  it("refuses nEstimators in the space when the resource is trees", () => {
    expect(
      () =>
        new HalvingSearch(gridPoints(course), {
          resource: "trees",
          minResource: 1,
          maxResource: 100,
        }),
    ).toThrow(
      "space must not hold nEstimators when halving over trees, got it",
    );
  });
});

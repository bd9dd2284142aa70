import {
  mkdtempSync,
  readFileSync,
  writeFileSync,
  appendFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stratifiedKFold, stratifiedOrder } from "../../src/automl/cv.js";
import { runAutoml } from "../../src/automl/experiment.js";
import { openJournal } from "../../src/automl/journal.js";
import {
  runSearch,
  type SearchData,
  type TrialStore,
} from "../../src/automl/runner.js";
import { GridSearch, HalvingSearch } from "../../src/automl/searches.js";
import { gridPoints, parseSpace } from "../../src/automl/space.js";
import { TpeSearch } from "../../src/automl/tpe.js";
import type { TrialRecord } from "../../src/automl/trial.js";
import { destroyTrialPool } from "../../src/automl/workers.js";
import { makeClassification } from "../../src/data/make-classification.js";
import { DataError } from "../../src/errors.js";

afterAll(() => destroyTrialPool());

const { X, y } = makeClassification({
  nSamples: 240,
  nFeatures: 6,
  nInformative: 4,
  randomState: 1,
});
const yIdx = Int32Array.from(y);
const data: SearchData = {
  X,
  y: yIdx,
  nClasses: 2,
  folds: stratifiedKFold(yIdx, 2, 3, 0),
};
const space = parseSpace({
  nEstimators: [3, 6],
  maxDepth: [2, null],
  minSamplesLeaf: [1, 4],
});
const strip = (ts: TrialRecord[]) => ts.map(({ fitSeconds: _f, ...t }) => t);

describe("stratified folds", () => {
  it("score every row exactly once and keep the class shares", () => {
    const folds = stratifiedKFold(yIdx, 2, 5, 3);
    const seen = new Int32Array(yIdx.length);
    for (const f of folds) {
      f.test.forEach((i) => seen[i]++);
      expect(f.train.length + f.test.length).toBe(yIdx.length);
      const ones = Array.from(f.test).filter((i) => yIdx[i] === 1).length;
      expect(Math.abs(ones / f.test.length - 0.5)).toBeLessThan(0.05);
    }
    expect(Array.from(seen).every((c) => c === 1)).toBe(true);
  });

  it("order training rows so that every prefix is nearly stratified", () => {
    const order = stratifiedOrder(
      Int32Array.from({ length: 240 }, (_, i) => i),
      yIdx,
      2,
      0,
    );
    for (const n of [10, 24, 100]) {
      const ones = Array.from(order.slice(0, n)).filter(
        (i) => yIdx[i] === 1,
      ).length;
      expect(Math.abs(ones - n / 2)).toBeLessThanOrEqual(1);
    }
  });

  it("refuse cv 1 and more folds than a class has rows", () => {
    expect(() => stratifiedKFold(yIdx, 2, 1, 0)).toThrow(
      "cv must be an integer >= 2, got 1",
    );
    expect(() =>
      stratifiedKFold(Int32Array.from([0, 0, 1, 1, 1]), 2, 3, 0),
    ).toThrow("cv must be at most the size of the smallest class (2), got 3");
  });
});

describe("runSearch", () => {
  it("gives the same trials for one job and for two (grid and TPE)", async () => {
    for (const make of [
      () => new GridSearch(space),
      () => new TpeSearch(space, { trials: 6, seed: 2 }),
    ]) {
      const one = await runSearch(make(), data, {
        model: "forest",
        seed: 4,
        jobs: 1,
      });
      const two = await runSearch(make(), data, {
        model: "forest",
        seed: 4,
        jobs: 2,
      });
      expect(strip(two.trials)).toEqual(strip(one.trials));
      expect(two.best.id).toBe(one.best.id);
      expect(one.trials[0].scores).toHaveLength(3);
      expect(one.trials[0].scoreStd).toBeGreaterThanOrEqual(0);
    }
  });

  it("records a trial that throws as failed and ranks it last", async () => {
    const bad = parseSpace({ maxFeatures: [2, 50], nEstimators: [3] });
    const run = await runSearch(new GridSearch(bad), data, {
      model: "forest",
      seed: 0,
    });
    const failed = run.trials.find((t) => t.params.maxFeatures === 50)!;
    expect(failed.status).toBe("failed");
    expect(failed.score).toBeNull();
    expect(failed.error).toMatch(
      /maxFeatures must be at most nFeatures \(6\), got 50/,
    );
    expect(run.best.params.maxFeatures).toBe(2);
  });

  it("throws when every trial fails", async () => {
    const bad = parseSpace({ maxFeatures: [40, 50], nEstimators: [3] });
    const run = runSearch(new GridSearch(bad), data, {
      model: "forest",
      seed: 0,
      jobs: 2,
    });
    await expect(run).rejects.toThrow(DataError);
    await expect(
      runSearch(new GridSearch(bad), data, { model: "forest", seed: 0 }),
    ).rejects.toThrow(
      /every trial failed; the first: RangeError: maxFeatures must be at most nFeatures/,
    );
  });

  it("stops at the first trial (by id) that reaches the target, for any jobs", async () => {
    const full = await runSearch(new GridSearch(space), data, {
      model: "forest",
      seed: 4,
    });
    const target = [...full.trials].sort((a, b) => b.score! - a.score!)[2]
      .score!;
    const first = full.trials.find((t) => t.score! >= target)!.id;
    for (const jobs of [1, 2]) {
      const run = await runSearch(new GridSearch(space), data, {
        model: "forest",
        seed: 4,
        jobs,
        targetScore: target,
      });
      expect(run.stopped).toBe("target");
      expect(run.trials.map((t) => t.id)).toEqual(
        Array.from({ length: first + 1 }, (_, i) => i),
      );
    }
  });

  it("stops starting fits once the time budget is spent", async () => {
    await expect(
      runSearch(new GridSearch(space), data, {
        model: "forest",
        seed: 4,
        timeBudget: 1e-9,
      }),
    ).rejects.toThrow(/timeBudget must leave time for one trial, got 1e-9 s/);
  });

  it("reuses stored trials instead of fitting them again", async () => {
    const kept = new Map<number, TrialRecord>();
    const store: TrialStore = {
      finished: new Map(),
      append: (r) => void kept.set(r.id, r),
    };
    const first = await runSearch(new GridSearch(space), data, {
      model: "forest",
      seed: 4,
      store,
    });
    expect(kept.size).toBe(8);
    kept.delete(5);
    kept.delete(7);
    const again = await runSearch(new GridSearch(space), data, {
      model: "forest",
      seed: 4,
      store: { finished: new Map(kept), append: () => {} },
    });
    expect(again.resumed).toBe(6);
    expect(again.evaluated).toBe(2);
    expect(strip(again.trials)).toEqual(strip(first.trials));
  });
});

describe("halving with ties kept", () => {
  it("gives the same trials when resumed from a store and with two jobs", async () => {
    const make = () =>
      new HalvingSearch(gridPoints(space), {
        resource: "samples",
        factor: 2,
        minResource: 20,
        maxResource: 160,
        keepTies: true,
      });
    const kept = new Map<number, TrialRecord>();
    const first = await runSearch(make(), data, {
      model: "forest",
      seed: 3,
      store: { finished: new Map(), append: (r) => void kept.set(r.id, r) },
    });
    const plain = make().rungs.reduce((a, r) => a + r.candidates, 0);
    expect(first.trials.length).toBeGreaterThan(plain); // ties were kept
    expect(first.trials.length).toBeLessThanOrEqual(make().total);
    // resume, as from a journal (JSON lines), without the last 3 trials
    const cut = new Map<number, TrialRecord>(
      [...kept]
        .filter(([id]) => id < first.trials.length - 3)
        .map(([id, r]) => [id, JSON.parse(JSON.stringify(r))]),
    );
    const again = await runSearch(make(), data, {
      model: "forest",
      seed: 3,
      jobs: 2,
      store: { finished: cut, append: () => {} },
    });
    expect(again.resumed).toBe(cut.size);
    expect(strip(again.trials)).toEqual(strip(first.trials));
    expect(again.best.id).toBe(first.best.id);
  });
});

describe("openJournal", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasmlearn-journal-"));

  it("writes a header, appends trials and refuses another search's config", () => {
    const path = join(dir, "a.jsonl");
    const j = openJournal(path, { search: "grid", seed: 1 });
    j.append({
      id: 0,
      params: { a: 1 },
      score: 0.5,
      scores: [0.5, NaN],
      fitSeconds: 0.1,
      status: "ok",
    });
    const lines = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      type: "header",
      version: 1,
      config: { search: "grid", seed: 1 },
    });
    expect(lines[1]).toMatchObject({
      type: "trial",
      id: 0,
      scores: [0.5, null],
    });
    expect(
      openJournal(path, { seed: 1, search: "grid" }).finished.get(0)?.scores[1],
    ).toBeNaN();
    expect(() => openJournal(path, { search: "grid", seed: 2 })).toThrow(
      /must come from the same search to resume it; it differs in seed \(got seed=1\)/,
    );
  });

  it("drops a last line cut short by a kill", () => {
    const path = join(dir, "b.jsonl");
    const j = openJournal(path, { search: "grid" });
    j.append({
      id: 0,
      params: {},
      score: 1,
      scores: [1],
      fitSeconds: 0,
      status: "ok",
    });
    appendFileSync(path, '{"type":"trial","id":1,"par');
    expect([...openJournal(path, { search: "grid" }).finished.keys()]).toEqual([
      0,
    ]);
    expect(readFileSync(path, "utf8").endsWith("}\n")).toBe(true);
  });

  it("refuses a file that is not a journal", () => {
    const path = join(dir, "c.jsonl");
    writeFileSync(path, "a,b\n1,2\n");
    expect(() => openJournal(path, {})).toThrow(
      /must start with a wasmlearn automl header line/,
    );
  });
});

describe("runAutoml", () => {
  // 8 candidates need 1 + floor(log3 8) = 2 rungs: 8 on 12 trees, 3 on 36
  it("runs halving over trees with the last rung on the most trees", async () => {
    const r = await runAutoml({
      search: "halving",
      space: parseSpace({ maxDepth: [2, 4, 6, null], minSamplesLeaf: [1, 5] }),
      halving: { resource: "trees", minResource: 4, maxResource: 36 },
      cv: 3,
      seed: 1,
    });
    expect(r.trials.map((t) => t.resource?.amount)).toEqual([
      ...Array(8).fill(12),
      ...Array(3).fill(36),
    ]);
    expect(r.best.params.nEstimators).toBe(36);
    expect(r.cost).toBeCloseTo((8 * 12 + 3 * 36) / 36, 12);
  });

  it("tunes logistic regression on a float range", async () => {
    const r = await runAutoml({
      model: "logistic",
      search: "tpe",
      trials: 8,
      space: parseSpace({
        C: { type: "float", low: 1e-4, high: 1e2, log: true },
      }),
    });
    expect(r.trials).toHaveLength(8);
    expect(r.best.testAccuracy).toBeGreaterThan(0.8);
  });
});

import { describe, expect, it } from "vitest";
import {
  courseClientData,
  partitionRows,
  type ClientDataSpec,
} from "../../src/federated/data.js";
import { runFederated } from "../../src/federated/experiment.js";
import { simulate } from "../../src/federated/simulate.js";
import { maxAbsDiff } from "../../src/federated/params.js";
import { RING } from "../../src/federated/secure.js";
import { matrix } from "../../src/data/matrix.js";
import { LogisticRegression } from "../../src/models/logistic.js";

const seed = 42;
const specs: ClientDataSpec[] = [0, 1, 2].map((client) => ({
  kind: "course",
  client,
  seed,
  nSamples: 200,
  nFeatures: 10,
}));

function pooled() {
  const parts = [0, 1, 2].map((k) => courseClientData(k, seed));
  const X = matrix(
    600,
    10,
    Float64Array.from(parts.flatMap((q) => Array.from(q.X.data))),
  );
  return { X, y: parts.flatMap((q) => q.y) };
}

describe("course clients", () => {
  it("are non-IID: the label thresholds 0, 1, 0.5 shift the class balance", () => {
    const pos = [0, 1, 2].map(
      (k) => courseClientData(k, seed).y.filter((v) => v === 1).length,
    );
    expect(pos[1]).toBeLessThan(pos[2]);
    expect(pos[2]).toBeLessThan(pos[0]);
  });
});

describe("FedAvg", () => {
  it("with one local gradient step per round converges to the centralised solution within 1e-4", async () => {
    // Both minimise sum of log-losses + ||W||^2 / 2 (C = 1) over the
    // pooled 600 rows; FedAvg with one full-batch step per client and
    // full participation is gradient descent on that objective / N.
    const { X, y } = pooled();
    const central = new LogisticRegression({
      tol: 1e-10,
      ftol: 0,
      maxIter: 1000,
    }).fit(X, y);
    const run = await simulate(specs, {
      threads: false,
      localEpochs: 1,
      lr: 4,
      rounds: 300,
    });
    const w = [...run.params!.coef.values, ...run.params!.intercept.values];
    const ref = [...central.coef[0], ...central.intercept];
    const diff = Math.max(...w.map((v, k) => Math.abs(v - ref[k])));
    expect(diff).toBeLessThan(1e-4);
  });

  it("on the course setting after 20 rounds (workers) is within 5% of the centralised log-loss and beats every local-only model", async () => {
    const r = await runFederated({ rounds: 20 });
    const last = r.rounds[19];
    expect(last.logLoss).toBeLessThan(1.05 * (r.centralized.logLoss as number));
    expect(last.accuracy).toBeGreaterThanOrEqual(
      Math.max(...r.localOnly.map((l) => l.accuracy)),
    );
    expect(r.clientData.map((c) => c.nSamples)).toEqual([200, 200, 200]);
  });

  it("with secure aggregation gives the same model within 1e-9 and the coordinator sees only masked updates", async () => {
    const plain = await simulate(specs, { rounds: 5 });
    const secure = await simulate(specs, { rounds: 5, secure: true });
    expect(maxAbsDiff(plain.params!, secure.params!)).toBeLessThan(1e-9);
    expect(secure.received.length).toBe(15);
    for (const [k, entry] of secure.received.entries()) {
      expect(entry.masked).toBe(true);
      const v = Array.from(entry.params.coef.values);
      expect(v.every((x) => Number.isInteger(x) && x >= 0 && x < RING)).toBe(
        true,
      );
      // a masked entry is nowhere near the plain update the client computed
      const plainV = plain.received[k].params.coef.values;
      expect(v.some((x, j) => Math.abs(x - plainV[j]) > 1e6)).toBe(true);
    }
  });

  it("FedProx, client sampling and DP noise run and report what they did", async () => {
    const prox = await simulate(specs, {
      threads: false,
      algorithm: "fedprox",
      mu: 0.5,
      rounds: 5,
    });
    expect(prox.rounds[4].accuracy).toBeGreaterThan(0.8);
    const half = await simulate(specs, {
      threads: false,
      clientFraction: 0.5,
      rounds: 4,
    });
    for (const r of half.rounds) expect(r.clients.length).toBe(2);
    const dp = await simulate(specs, {
      threads: false,
      dpNoise: 0.5,
      clipNorm: 2,
      rounds: 3,
    });
    expect(dp.noiseMultiplier).toBe(0.5);
    expect(dp.rounds[0].noiseStd).toBeCloseTo((0.5 * 2) / 3, 12);
  });
});

describe("federated forest", () => {
  it("is the size-weighted union of the clients' forests", async () => {
    const run = await simulate(specs, { model: "forest", nEstimators: 10 });
    expect(run.forest!.nTrees).toBe(30);
    expect(run.rounds[0].accuracy).toBeGreaterThan(0.8);
  });
});

describe("partitionRows", () => {
  it("label-skew gives most clients one class; iid deals equal shares", () => {
    const y = Array.from({ length: 90 }, (_, i) => (i % 3 === 0 ? "a" : "b"));
    const skew = partitionRows(y, "label-skew", 3, 1);
    expect(new Set(Array.from(skew[0], (i) => y[i]))).toEqual(new Set(["a"]));
    const iid = partitionRows(y, "iid", 4, 1);
    expect(iid.map((r) => r.length)).toEqual([22, 23, 22, 23]);
    expect(() => partitionRows(["a"], "iid", 2, 0)).toThrow(
      /at most the 1 rows/,
    );
  });
});

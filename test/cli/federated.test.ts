import { describe, expect, it } from "vitest";
import { divergenceWarning, formatFederated } from "../../src/cli/federated.js";
import type { FederatedExperimentResult } from "../../src/federated/experiment.js";
import { runCli } from "./helpers.js";

describe("wasmlearn federated", () => {
  it("--json gives the documented keys for the course setting", async () => {
    const { code, stdout, stderr } = await runCli([
      "federated",
      "--json",
      "--rounds",
      "3",
    ]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.algorithm).toBe("fedavg");
    expect(out.rounds.map((r: { round: number }) => r.round)).toEqual([
      1, 2, 3,
    ]);
    for (const r of out.rounds)
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining(["round", "accuracy", "logLoss"]),
      );
    expect(Object.keys(out.centralized)).toEqual(["accuracy", "logLoss"]);
    expect(out.localOnly.map((l: { client: string }) => l.client)).toEqual([
      "client-0",
      "client-1",
      "client-2",
    ]);
    expect(out.heldOut.nSamples).toBe(600);
    expect(Object.keys(out.heldOut)).toEqual([
      "nSamples",
      "global",
      "centralized",
      "localOnly",
    ]);
  });

  it("scores a federated forest on held-out data, where memorising does not pay", async () => {
    const { code, stdout, stderr } = await runCli([
      "federated",
      "--model",
      "forest",
      "--json",
    ]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    // a forest fits its training rows almost perfectly: in-sample figures flatter it
    expect(out.centralized.accuracy).toBeGreaterThan(0.99);
    expect(out.heldOut.centralized.accuracy).toBeLessThan(0.95);
    expect(out.heldOut.global.accuracy).toBeGreaterThan(0.8);
    const local = out.heldOut.localOnly.map(
      (l: { accuracy: number }) => l.accuracy,
    );
    const meanLocal =
      local.reduce((a: number, b: number) => a + b, 0) / local.length;
    expect(out.heldOut.global.accuracy).toBeGreaterThan(meanLocal);
  });

  it("runs wdbc with label-skew and secure aggregation", async () => {
    const { code, stdout, stderr } = await runCli([
      "federated",
      "--data",
      "data/wdbc.csv.gz",
      "--label",
      "Class",
      "--partition",
      "label-skew",
      "--clients",
      "3",
      "--rounds",
      "10",
      "--secure",
      "--json",
    ]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.heldOut).toBeNull();
    expect(out.secure).toBe(true);
    expect(out.clientData.map((c: { nSamples: number }) => c.nSamples)).toEqual(
      [189, 190, 190],
    );
    expect(out.rounds.at(-1).accuracy).toBeGreaterThan(0.9);
  });

  it("report layout at width 80 (snapshot)", () => {
    const result = sampleResult();
    expect(formatFederated(result, { columns: 80 })).toMatchSnapshot();
  });

  it("orders numeric classes by value in the class-balance table", () => {
    const base = sampleResult();
    const text = formatFederated(
      {
        ...base,
        clientData: [
          {
            client: "client-0",
            nSamples: 6,
            classCounts: { "10": 1, "9": 2, "1.5": 3 },
          },
        ],
      },
      { columns: 80 },
    );
    expect(text).toMatch(/class 1\.5\s+class 9\s+class 10/);
  });

  it("warns when the global model ends worse than the untrained one", () => {
    const rounds = (logLoss: number) => [
      {
        round: 1,
        accuracy: 0.5,
        logLoss,
        clients: [],
        dropped: [],
        noiseStd: 0,
      },
    ];
    expect(
      divergenceWarning({ model: "logistic", rounds: rounds(0.3) }, 2),
    ).toBe("");
    expect(
      divergenceWarning({ model: "logistic", rounds: rounds(9e4) }, 2),
    ).toMatch(
      /warning: .*9\d+\.\d+ is worse than the untrained model's 0\.6931: training diverged/,
    );
    expect(
      divergenceWarning({ model: "logistic", rounds: rounds(NaN) }, 2),
    ).toMatch(/training diverged/);
    expect(divergenceWarning({ model: "forest", rounds: rounds(9) }, 2)).toBe(
      "",
    );
  });

  it("rejects options that do not apply, and join without --server", async () => {
    const a = await runCli(["federated", "--label", "y"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/--label applies to --data only/);
    const b = await runCli(["federated", "--mu", "0.1"]);
    expect(b.stderr).toMatch(/--mu applies to --algorithm fedprox only/);
    const c = await runCli([
      "federated",
      "join",
      "--data",
      "x.csv",
      "--label",
      "y",
    ]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/required option '--server <url>' not specified/);
    const d = await runCli(["federated", "--rounds", "0"]);
    expect(d.stderr).toMatch(/must be an integer from 1 to 100000, got "0"/);
  });
});

function sampleResult(): FederatedExperimentResult {
  return {
    algorithm: "fedavg",
    model: "logistic",
    setting: "course",
    seed: 42,
    secure: false,
    noiseMultiplier: 0,
    clipNorm: null,
    clientData: [
      {
        client: "client-0",
        nSamples: 200,
        classCounts: { "0": 94, "1": 106 },
      },
      {
        client: "client-1",
        nSamples: 200,
        classCounts: { "0": 156, "1": 44 },
      },
    ],
    rounds: [0.41, 0.35, 0.3].map((logLoss, k) => ({
      round: k + 1,
      accuracy: 0.86 + k / 100,
      logLoss,
      clients: ["client-0", "client-1"],
      dropped: [],
      noiseStd: 0,
    })),
    centralized: { accuracy: 0.87, logLoss: 0.285 },
    localOnly: [
      { client: "client-0", accuracy: 0.8, logLoss: 0.39 },
      { client: "client-1", accuracy: 0.81, logLoss: null },
    ],
    heldOut: {
      nSamples: 400,
      global: { accuracy: 0.85, logLoss: 0.31 },
      centralized: { accuracy: 0.86, logLoss: 0.3 },
      localOnly: [
        { client: "client-0", accuracy: 0.79, logLoss: 0.4 },
        { client: "client-1", accuracy: 0.8, logLoss: null },
      ],
    },
    seconds: 1,
  };
}

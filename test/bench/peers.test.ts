import { describe, expect, it } from "vitest";
import { runPeers } from "../../src/bench/peers.js";

const TINY = {
  sizes: [8],
  matvecSizes: [8],
  rows: 60,
  trees: 2,
  repeat: 1,
  minMs: 0,
};

describe("runPeers", () => {
  it("when a peer is not installed then reports it once and runs the rest", async () => {
    const missing: string[] = [];
    const importer = async (name: string) => {
      if (name === "ml-random-forest") {
        const err = new Error(`Cannot find package '${name}'`);
        throw Object.assign(err, { code: "ERR_MODULE_NOT_FOUND" });
      }
      return import(name);
    };
    const report = await runPeers({
      ...TINY,
      kernels: ["forest", "matvec"],
      importer,
      onMissing: (pkg) => missing.push(pkg),
    });
    expect(missing).toEqual(["ml-random-forest"]);
    expect(report.missing).toEqual(["ml-random-forest"]);
    expect(report.peers.map((p) => `${p.kernel} ${p.library}`)).toEqual([
      "forest-fit wasmlearn wasm",
      "forest-fit wasmlearn ts",
      "matvec wasmlearn wasm",
      "matvec wasmlearn ts",
      "matvec ml-matrix",
    ]);
  });

  it("when an import fails for another reason then throws", async () => {
    const importer = async () => {
      throw new SyntaxError("broken package");
    };
    const run = runPeers({ ...TINY, kernels: ["matmul"], importer });
    await expect(run).rejects.toThrow("broken package");
  });

  it("fits every library on the same split: wasm and ts agree on accuracy", async () => {
    const report = await runPeers({ ...TINY, kernels: ["forest", "logistic"] });
    const acc = (kernel: string, library: string) =>
      report.peers.find((p) => p.kernel === kernel && p.library === library)
        ?.accuracy;
    for (const kernel of ["forest-fit", "logistic-fit"]) {
      expect(acc(kernel, "wasmlearn wasm")).toBe(acc(kernel, "wasmlearn ts"));
    }
    expect(acc("forest-fit", "ml-random-forest")).toBeGreaterThan(0.5);
    expect(acc("logistic-fit", "ml-logistic-regression")).toBeGreaterThan(0.5);
    expect(report.notes).toHaveLength(2);
  });
});

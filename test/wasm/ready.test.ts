/**
 * ready() with a build asked for, and capabilities(), in a module graph of
 * their own (vitest isolates test files), so nothing has loaded the core
 * before the first test.
 */
import { describe, expect, it } from "vitest";
import {
  capabilities,
  LogisticRegression,
  ready,
  WasmLoadError,
} from "../../src/index.js";
import { wasmModule } from "../../src/wasm/load.js";

describe("ready({ build }) and capabilities()", () => {
  it("when nothing is loaded yet then capabilities() reports build null", () => {
    const caps = capabilities();
    expect(caps).toEqual({
      simd: true,
      threads: true,
      crossOriginIsolated: false,
      build: null,
      cores: caps.cores,
    });
    expect(Number.isInteger(caps.cores) && caps.cores >= 1).toBe(true);
  });

  it("rejects a build that does not exist", async () => {
    await expect(ready({ build: "fast" as never })).rejects.toThrow(
      new RangeError('build must be "simd" or "scalar", got "fast"'),
    );
    expect(capabilities().build).toBeNull();
  });

  it("loads the scalar build when asked for it, and keeps it", async () => {
    await ready({ build: "scalar" });
    expect(capabilities().build).toBe("scalar");
    const exports = WebAssembly.Module.exports(wasmModule()).map((e) => e.name);
    expect(exports).toContain("buildSimd");

    const model = new LogisticRegression().fit(
      [[0], [1], [2], [3]],
      [0, 0, 1, 1],
    );
    expect(model.predict([[0.2], [2.8]])).toEqual([0, 1]);

    await ready();
    await ready({ build: "scalar" });
    await expect(ready({ build: "simd" })).rejects.toThrow(
      new WasmLoadError(
        "the scalar build of the wasm core is already loaded, so the simd " +
          "build cannot be: ask for it before the first fit",
      ),
    );
    expect(capabilities().build).toBe("scalar");
  });
});

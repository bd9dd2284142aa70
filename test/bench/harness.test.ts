import { describe, expect, it } from "vitest";
import {
  type BenchCase,
  benchEnv,
  runBench,
  summarize,
} from "../../src/bench/harness.js";
import { linalgCases } from "../../src/bench/linalg.js";

/**
 * A fake clock in milliseconds and cases whose calls advance it by a set
 * cost, so timings are exact and no test depends on the wall clock.
 */
function fakeTimer() {
  let now = 0;
  const calls: string[] = [];
  return {
    clock: () => now,
    calls,
    /** A function that logs `name` and takes `costMs()` per call. */
    fn(name: string, costMs: () => number) {
      return () => {
        calls.push(name);
        now += costMs();
      };
    },
  };
}

function fakeCase(
  timer: ReturnType<typeof fakeTimer>,
  wasmMs: () => number,
  tsMs: () => number,
  extra: Partial<BenchCase> = {},
): BenchCase {
  return {
    kernel: "fake",
    size: "1x1",
    unit: "GFLOPS",
    work: 2,
    wasm: timer.fn("wasm", wasmMs),
    ts: timer.fn("ts", tsMs),
    ...extra,
  };
}

const noWarmup = { warmupCalls: 1, warmupMs: 0 };

describe("summarize", () => {
  it("gives the middle value of an odd sample", () => {
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ median: 3, min: 1, max: 5 });
  });

  it("gives the mean of the two middle values of an even sample", () => {
    expect(summarize([8, 1, 4, 2])).toEqual({ median: 3, min: 1, max: 8 });
  });

  it("when the sample is empty then it throws RangeError", () => {
    expect(() => summarize([])).toThrow(
      new RangeError("samples must not be empty, got 0 samples"),
    );
  });
});

describe("runBench", () => {
  it("reports median, min, max, throughput and the speed-up", () => {
    const timer = fakeTimer();
    // per-call costs cycle through the lists, one value per call
    const wasmCosts = [2, 2, 1, 3, 2, 9, 2];
    const tsCosts = [10, 10, 12, 8, 10, 30, 10];
    let w = 0;
    let t = 0;
    const c = fakeCase(
      timer,
      () => wasmCosts[w++ % wasmCosts.length],
      () => tsCosts[t++ % tsCosts.length],
    );
    const report = runBench([c], {
      ...noWarmup,
      repeat: 5,
      minMs: 0,
      clock: timer.clock,
    });
    // warm-up takes the first cost of each list; the repeats see the next 5
    expect(report.results).toEqual([
      {
        kernel: "fake",
        size: "1x1",
        backend: "wasm",
        medianMs: 2,
        minMs: 1,
        maxMs: 9,
        throughput: 2 / 0.002,
        unit: "GFLOPS",
        runsPerRepeat: 1,
      },
      {
        kernel: "fake",
        size: "1x1",
        backend: "ts",
        medianMs: 10,
        minMs: 8,
        maxMs: 30,
        throughput: 2 / 0.01,
        unit: "GFLOPS",
        runsPerRepeat: 1,
      },
    ]);
    expect(report.ratios).toEqual([
      { kernel: "fake", size: "1x1", wasmOverTs: 5 },
    ]);
  });

  it("alternates which backend goes first, after warming both up", () => {
    const timer = fakeTimer();
    const c = fakeCase(
      timer,
      () => 1,
      () => 1,
    );
    runBench([c], {
      repeat: 4,
      minMs: 0,
      warmupCalls: 2,
      warmupMs: 0,
      clock: timer.clock,
    });
    expect(timer.calls).toEqual([
      ...["wasm", "wasm", "ts", "ts"], // warm-up
      ...["wasm", "ts", "ts", "wasm", "wasm", "ts", "ts", "wasm"],
    ]);
  });

  it("calls each function often enough that a repeat lasts minMs", () => {
    const timer = fakeTimer();
    const c = fakeCase(
      timer,
      () => 0.3,
      () => 7,
    );
    const report = runBench([c], {
      ...noWarmup,
      repeat: 3,
      minMs: 20,
      clock: timer.clock,
    });
    const [wasm, ts] = report.results;
    // ceil(20 / 0.3) = 67 calls of 0.3 ms; ceil(20 / 7) = 3 calls of 7 ms
    expect(wasm.runsPerRepeat).toBe(67);
    expect(ts.runsPerRepeat).toBe(3);
    expect(wasm.medianMs).toBeCloseTo(0.3, 12);
    expect(ts.medianMs).toBeCloseTo(7, 12);
    expect(report.ratios[0].wasmOverTs).toBeCloseTo(7 / 0.3, 9);
  });

  it("when the clock cannot see one call then it batches tenfold", () => {
    // A clock that ticks only every 10 calls: one call reads as 0 ms.
    let calls = 0;
    const c: BenchCase = {
      kernel: "fake",
      size: "1",
      unit: "calls/s",
      work: 1,
      wasm: () => void calls++,
      ts: () => void calls++,
    };
    const report = runBench([c], {
      ...noWarmup,
      repeat: 1,
      minMs: 1,
      clock: () => Math.floor(calls / 10),
    });
    expect(report.results[0].runsPerRepeat).toBe(10);
    expect(report.results[0].medianMs).toBe(0.1);
  });

  it("runs setup first and teardown last, also when a run throws", () => {
    const timer = fakeTimer();
    const log: string[] = [];
    const ok = fakeCase(
      timer,
      () => 1,
      () => 1,
      {
        setup: () => log.push("setup"),
        teardown: () => log.push("teardown"),
      },
    );
    runBench([ok], { ...noWarmup, repeat: 1, minMs: 0, clock: timer.clock });
    expect(log).toEqual(["setup", "teardown"]);
    expect(timer.calls[0]).toBe("wasm");

    const failing = fakeCase(
      timer,
      () => 1,
      () => 1,
      {
        ts: () => {
          throw new Error("kernel failed");
        },
        teardown: () => log.push("teardown after error"),
      },
    );
    expect(() =>
      runBench([failing], { ...noWarmup, minMs: 0, clock: timer.clock }),
    ).toThrow("kernel failed");
    expect(log.at(-1)).toBe("teardown after error");
  });

  it("reports progress only through onProgress", () => {
    const timer = fakeTimer();
    const messages: string[] = [];
    runBench(
      [
        fakeCase(
          timer,
          () => 2,
          () => 4,
        ),
      ],
      {
        ...noWarmup,
        repeat: 1,
        minMs: 0,
        clock: timer.clock,
        onProgress: (m) => messages.push(m),
      },
    );
    expect(messages).toEqual([
      "fake 1x1: warming up wasm",
      "fake 1x1: warming up ts",
      "fake 1x1 wasm: median 2.00 ms",
      "fake 1x1 ts: median 4.00 ms",
    ]);
  });

  it("when an option is out of range then it throws RangeError", () => {
    expect(() => runBench([], { repeat: 0 })).toThrow(
      new RangeError("repeat must be an integer >= 1, got 0"),
    );
    expect(() => runBench([], { minMs: -1 })).toThrow(
      new RangeError("minMs must be >= 0, got -1"),
    );
    expect(() => runBench([], { warmupCalls: 0 })).toThrow(
      new RangeError("warmupCalls must be an integer >= 1, got 0"),
    );
  });
});

describe("benchEnv", () => {
  it("reports the Node version, SIMD support and core count", () => {
    const env = benchEnv();
    expect(env.node).toBe(process.version);
    expect(env.simd).toBe(true); // Node >= 16.4 validates SIMD
    expect(env.cores).toBeGreaterThanOrEqual(1);
  });
});

describe("linalgCases", () => {
  it("describes matmul and matvec cases with their flop counts", () => {
    const cases = linalgCases([8, 16], { matvecShapes: [[3, 5]] });
    const described = cases.map(({ kernel, size, unit, work }) => ({
      kernel,
      size,
      unit,
      work,
    }));
    expect(described).toEqual([
      { kernel: "matmul", size: "8x8x8", unit: "GFLOPS", work: 1024 / 1e9 },
      { kernel: "matmul", size: "16x16x16", unit: "GFLOPS", work: 8192 / 1e9 },
      { kernel: "matvec", size: "3x5", unit: "GFLOPS", work: 30 / 1e9 },
    ]);
  });

  it("runs every case through the harness, end-to-end ones included", () => {
    const cases = linalgCases([5], { matvecShapes: [[4, 3]], endToEnd: true });
    const report = runBench(cases, { ...noWarmup, repeat: 1, minMs: 0 });
    expect(report.results.map((r) => `${r.kernel} ${r.backend}`)).toEqual([
      "matmul wasm",
      "matmul ts",
      "matmul end-to-end wasm",
      "matmul end-to-end ts",
      "matvec wasm",
      "matvec ts",
    ]);
    expect(report.ratios).toHaveLength(3);
  });

  it("when a size is not a positive integer then it throws RangeError", () => {
    expect(() => linalgCases([0])).toThrow(
      new RangeError("sizes must be integers >= 1, got 0"),
    );
  });
});

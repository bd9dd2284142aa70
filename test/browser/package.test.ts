/**
 * The package in headless Chromium: the page loads dist/browser.js from a
 * loopback server rooted at the repository, fits and predicts, and must
 * get exactly what Node gets, on the SIMD build, on the scalar build
 * (asked for, or picked because the page "lacks" SIMD), and for models
 * saved in Node with toJSON. Also: what a 404 and a wrong MIME type do.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import * as wl from "../../src/index.js";
import {
  resolveInRoot,
  type RequestHook,
  type StaticServer,
} from "../../src/server/static.js";
import type { Capabilities } from "../../src/wasm/capabilities.js";
import {
  makeDatasets,
  predictFromJSON,
  scenario,
  type Datasets,
  type PlainMatrix,
  type ScenarioResult,
} from "./pages/scenario.js";
import {
  describeBrowser,
  launchChromium,
  REPO_ROOT,
  serveRepo,
  type WatchedPage,
} from "./harness.js";

const SEED = 11;
const PAGE = "test/browser/pages/package.html";

interface Run {
  result: ScenarioResult;
  /** The page's own makeDatasets(SEED). */
  generated: Datasets;
  capabilities: Capabilities;
}

type Failure = { ok: false; name: string; message: string };
type Loaded = { ok: true; capabilities: Capabilities };

/** How the server answers requests for build/*.wasm. */
type WasmMode = "files" | "missing" | "octet-stream";

let mode: WasmMode = "files";
/** Paths of the .wasm files the pages asked for, in order. */
const wasmRequests: string[] = [];

const hook: RequestHook = (_req, res, pathname) => {
  if (!/^\/build\/[\w-]+\.wasm$/.test(pathname)) return false;
  wasmRequests.push(pathname);
  if (mode === "missing") {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end(`not found: ${pathname}\n`);
    return true;
  }
  if (mode === "octet-stream") {
    const bytes = readFileSync(resolveInRoot(REPO_ROOT, pathname) as string);
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(bytes);
    return true;
  }
  return false;
};

/**
 * Opens the test page, with `init` run before any of the page's scripts,
 * recording console errors and uncaught exceptions as openPage does.
 */
async function openPackagePage(
  browser: Browser,
  base: string,
  init?: () => void,
): Promise<WatchedPage> {
  const page: Page = await browser.newPage();
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  if (init) await page.addInitScript(init);
  await page.goto(base + PAGE);
  await page.waitForFunction(() => (window as any).wasmlearnLoaded === true);
  return { page, errors };
}

/** A stand-in for a browser without Wasm SIMD: it rejects the probe. */
function withoutSimd(): void {
  const validate = WebAssembly.validate;
  WebAssembly.validate = (bytes: BufferSource) => {
    const u = ArrayBuffer.isView(bytes)
      ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      : new Uint8Array(bytes);
    // A tiny module with the 0xfd prefix is the SIMD probe.
    if (u.length < 64 && u.includes(0xfd)) return false;
    return validate(bytes);
  };
}

describeBrowser("the package in headless Chromium", () => {
  let browser: Browser;
  let server: StaticServer;
  let datasets: Datasets;
  let inNode: ScenarioResult;
  beforeAll(async () => {
    server = await serveRepo(hook);
    browser = await launchChromium();
    await wl.ready();
    datasets = makeDatasets(wl, SEED);
    inNode = await scenario(wl, SEED, datasets);
  });

  /** ready(options) and the scenario in a page, on Node's data sets. */
  function runIn(page: Page, options?: object): Promise<Run> {
    return page.evaluate(
      ([seed, o, d]) => (window as any).runScenario(seed, o, d),
      [SEED, options, datasets] as const,
    );
  }
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(() => {
    mode = "files";
    wasmRequests.length = 0;
  });

  it("fits and predicts exactly as Node does, on the SIMD build", async () => {
    const { page, errors } = await openPackagePage(browser, server.url);
    const run = await runIn(page);
    expect(run.result).toEqual(inNode);
    // and from the seed alone, the page making its own data
    const own = await page.evaluate(
      (seed) => (window as any).runScenario(seed, undefined, undefined),
      SEED,
    );
    expect(own.result).toEqual(inNode);
    expect(run.capabilities).toMatchObject({
      simd: true,
      build: "simd",
      threads: false,
      crossOriginIsolated: false,
    });
    expect(run.capabilities.cores).toBeGreaterThanOrEqual(1);
    expect(wasmRequests).toEqual(["/build/release.wasm"]);
    expect(inNode.forest.accuracy).toBeGreaterThan(0.5);
    expect(errors).toEqual([]);
  });

  it("generates the same data from a seed, to the bit", async () => {
    // Normals are u sqrt(-2 ln s / s) with the package's own log
    // (fdlibmLog), not the engine's Math.log, which differs between V8
    // versions in the last bit: the same seed gives the same bits.
    const { page } = await openPackagePage(browser, server.url);
    const { generated } = await runIn(page);
    expect(generated.binary.X).toEqual(datasets.binary.X);
    expect(generated.multi.X).toEqual(datasets.multi.X);
    expect(generated.multimodal.modalities).toEqual(
      datasets.multimodal.modalities,
    );
    expect(generated.binary.y).toEqual(datasets.binary.y);
    expect(generated.multi.y).toEqual(datasets.multi.y);
    expect(generated.multimodal.y).toEqual(datasets.multimodal.y);
  });

  it("gives the same results on the scalar build when asked for it", async () => {
    const { page, errors } = await openPackagePage(browser, server.url);
    const run = await runIn(page, { build: "scalar" });
    expect(run.result).toEqual(inNode);
    expect(run.capabilities).toMatchObject({ simd: true, build: "scalar" });
    expect(wasmRequests).toEqual(["/build/release-scalar.wasm"]);

    // Once one build runs, asking for the other is an error, not a switch.
    const again: Failure = await page.evaluate(() =>
      (window as any).tryReady({ build: "simd" }),
    );
    expect(again).toEqual({
      ok: false,
      name: "WasmLoadError",
      message:
        "the scalar build of the wasm core is already loaded, so the simd " +
        "build cannot be: ask for it before the first fit",
    });
    expect(errors).toEqual([]);
  });

  it("loads the scalar build by itself where Wasm SIMD is missing", async () => {
    const { page, errors } = await openPackagePage(
      browser,
      server.url,
      withoutSimd,
    );
    const before: Capabilities = await page.evaluate(() =>
      (window as any).capabilities(),
    );
    expect(before).toMatchObject({ simd: false, build: null });
    const run = await runIn(page);
    expect(run.result).toEqual(inNode);
    expect(run.capabilities).toMatchObject({ simd: false, build: "scalar" });
    expect(wasmRequests).toEqual(["/build/release-scalar.wasm"]);

    const simd: Failure = await page.evaluate(() =>
      (window as any).tryReady({ build: "simd" }),
    );
    expect(simd.message).toMatch(/has no Wasm SIMD/);
    expect(errors).toEqual([]);
  });

  it("predicts identically with models saved by toJSON in Node", async () => {
    const data = wl.makeClassification({
      nSamples: 150,
      nFeatures: 6,
      nInformative: 4,
      nClasses: 3,
      randomState: 5,
    });
    const X = Array.from({ length: data.X.rows }, (_, i) =>
      Array.from(data.X.data.subarray(i * 6, i * 6 + 6)),
    );
    const labels = data.y.map((c) => ["ant", "bee", "cat"][c]);
    const saved = {
      logistic: JSON.stringify(new wl.LogisticRegression().fit(X, labels)),
      forest: JSON.stringify(
        new wl.RandomForestClassifier({ nEstimators: 9, randomState: 2 }).fit(
          X,
          labels,
        ),
      ),
    };
    const expected = predictFromJSON(wl, saved, X);

    const { page, errors } = await openPackagePage(browser, server.url);
    const inBrowser = await page.evaluate(
      ([s, rows]) => (window as any).predictSaved(s, rows),
      [saved, X] as const,
    );
    expect(inBrowser).toEqual(expected);
    expect(expected.forest.predictions).toContain("bee");
    expect(errors).toEqual([]);
  });

  it("names the URL and the HTTP status when the wasm is missing", async () => {
    mode = "missing";
    const { page, errors } = await openPackagePage(browser, server.url);
    const failed: Failure = await page.evaluate(() =>
      (window as any).tryReady(),
    );
    expect(failed).toEqual({
      ok: false,
      name: "WasmLoadError",
      message: `cannot load wasm from ${server.url}build/release.wasm: HTTP 404`,
    });
    const scalar: Failure = await page.evaluate(() =>
      (window as any).tryReady({ build: "scalar" }),
    );
    expect(scalar.message).toBe(
      `cannot load wasm from ${server.url}build/release-scalar.wasm: HTTP 404`,
    );
    // Chromium itself logs each failed fetch.
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).toMatch(/404/);
  });

  it("compiles from the bytes when the MIME type is wrong", async () => {
    mode = "octet-stream";
    const { page, errors } = await openPackagePage(browser, server.url);
    const run = await runIn(page);
    expect(run.result).toEqual(inNode);
    expect(run.capabilities.build).toBe("simd");
    expect(wasmRequests).toEqual(["/build/release.wasm"]);
    expect(errors).toEqual([]);
  });
});

describeBrowser("capabilities() in a cross-origin isolated page", () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveRepo(undefined, {
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("reports threads and isolation", async () => {
    const { page, errors } = await openPackagePage(browser, server.url);
    const loaded: Loaded = await page.evaluate(() =>
      (window as any).tryReady(),
    );
    expect(loaded.capabilities).toMatchObject({
      simd: true,
      threads: true,
      crossOriginIsolated: true,
      build: "simd",
    });
    expect(errors).toEqual([]);
  });
});

import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { makeClassification } from "../../src/data/make-classification.js";
import { RandomForestClassifier } from "../../src/models/forest.js";
import type { StaticServer } from "../../src/server/static.js";
import {
  describeBrowser,
  launchChromium,
  openPage,
  serveRepo,
} from "./harness.js";

describeBrowser("RandomForestClassifier.fitAsync in a browser", () => {
  let browser: Browser;
  let server: StaticServer;
  let hideWorker = false;
  beforeAll(async () => {
    server = await serveRepo((_req, res, pathname) => {
      if (!hideWorker || !pathname.endsWith("/forest-web-worker.js"))
        return false;
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return true;
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const { X, y } = makeClassification({
    nSamples: 300,
    nFeatures: 6,
    nClasses: 3,
    nInformative: 4,
    randomState: 2,
  });
  const rows = Array.from({ length: X.rows }, (_, i) =>
    Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)),
  );

  for (const backend of ["wasm", "ts"] as const) {
    it(`grows the serial forest in 3 module Web Workers (${backend})`, async () => {
      const { page, errors } = await openPage(
        browser,
        server.url + "test/browser/pages/forest-workers.html",
      );
      await page.waitForFunction(() => (window as any).wasmlearnLoaded);
      const out = await page.evaluate((args) => (window as any).run(args), {
        X: rows,
        y,
        nJobs: 3,
        backend,
      });
      expect(out.parallel).toEqual(out.serial);
      expect(out.started).toHaveLength(3);
      for (const w of out.started) {
        expect(w.type).toBe("module");
        expect(w.url).toMatch(/\/dist\/models\/forest-web-worker\.js$/);
      }

      // and it is the forest Node grows from the same seed
      const inNode = new RandomForestClassifier({
        nEstimators: 9,
        randomState: 5,
        backend,
      }).fit(X, y);
      expect(out.proba).toEqual(Array.from(inNode.predictProba(X).data));
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it("when the worker script cannot load then fitAsync rejects with a clear error", async () => {
    hideWorker = true;
    try {
      const { page } = await openPage(
        browser,
        server.url + "test/browser/pages/forest-workers.html",
      );
      await page.waitForFunction(() => (window as any).wasmlearnLoaded);
      const message = await page.evaluate(
        (args) =>
          (window as any).run(args).then(
            () => "resolved",
            (err: Error) => err.message,
          ),
        { X: rows, y, nJobs: 2, backend: "wasm" },
      );
      expect(message).toMatch(/^forest worker failed: /);
      await page.close();
    } finally {
      hideWorker = false;
    }
  });
});

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compiledWorkerUrl } from "../../src/parallel/worker-url.js";

const ROOT = new URL("../../", import.meta.url);

describe("compiledWorkerUrl", () => {
  it("maps a caller in src/ and one in dist/ to the same compiled script", () => {
    const fromSources = compiledWorkerUrl(
      new URL("src/automl/workers.ts", ROOT).href,
      "automl/trial-worker.js",
      "the automl worker",
    );
    const fromDist = compiledWorkerUrl(
      new URL("dist/automl/workers.js", ROOT).href,
      "automl/trial-worker.js",
      "the automl worker",
    );
    expect(fromSources.href).toBe(fromDist.href);
    expect(fileURLToPath(fromSources)).toMatch(
      /dist\/automl\/trial-worker\.js$/,
    );
  });

  it("names the missing script and how to build it", () => {
    expect(() =>
      compiledWorkerUrl(
        new URL("src/models/forest.ts", ROOT).href,
        "models/no-such-worker.js",
        "the test worker",
      ),
    ).toThrow(
      /^the test worker script .*dist\/models\/no-such-worker\.js is missing: run npm run build$/,
    );
  });
});

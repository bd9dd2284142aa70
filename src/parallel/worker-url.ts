/**
 * Where a worker thread's script is (Node only). A worker cannot run
 * TypeScript, so its script is always the compiled file in dist/: next to
 * the calling module when that runs compiled (dist/, the CLI, the
 * package), and the same file under dist/ when the caller runs from src/
 * (vitest, tsx). The mapping depends only on the caller's own URL, not on
 * the working directory; the price is that dist/ must be built and
 * current (`npm run build`, which `npm test` runs first).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * @param base the calling module's import.meta.url
 * @param script the script's path from dist/, e.g. "automl/trial-worker.js"
 * @param what how errors name the worker, e.g. "the automl worker"
 * @throws Error naming the file when it has not been built
 */
export function compiledWorkerUrl(
  base: string,
  script: string,
  what: string,
): URL {
  // a caller in src/<folder>/x.ts or dist/<folder>/x.js: two levels down
  const root = base.endsWith(".ts") ? "../../dist/" : "../";
  const url = new URL(root + script, base);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(
      `${what} script ${fileURLToPath(url)} is missing: run npm run build`,
    );
  }
  return url;
}

#!/usr/bin/env node
// The wasmlearn command: runs the compiled CLI in dist/ (built by npm ci).
let cli;
try {
  cli = await import("../dist/cli/main.js");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    process.stderr.write(
      "error: wasmlearn is not built: run `npm ci` (or `npm run build`) first\n",
    );
    process.exit(2);
  }
  throw err;
}
process.exitCode = await cli.main(process.argv.slice(2));

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileWasm, WasmLoadError, wasmModule } from "../../src/wasm/load.js";

const bytes = readFileSync(
  new URL("../../build/release.wasm", import.meta.url),
);

/** A loopback server: /good.wasm with the right MIME type, /plain.wasm without. */
let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/good.wasm") {
      res.writeHead(200, { "content-type": "application/wasm" }).end(bytes);
    } else if (req.url === "/plain.wasm") {
      res
        .writeHead(200, { "content-type": "application/octet-stream" })
        .end(bytes);
    } else if (req.url === "/fallback.wasm") {
      // what a dev server sends for a path it does not know: its app page
      res
        .writeHead(200, { "content-type": "text/html" })
        .end("<!doctype html><title>app</title>");
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function exportNames(m: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(m)
    .map((e) => e.name)
    .sort();
}

describe("compileWasm", () => {
  it("compiles while streaming when the server sends application/wasm", async () => {
    const m = await compileWasm(`${base}/good.wasm`);
    expect(exportNames(m)).toEqual(exportNames(wasmModule()));
  });

  it("falls back to the bytes when the MIME type is wrong", async () => {
    const m = await compileWasm(`${base}/plain.wasm`);
    expect(exportNames(m)).toContain("logisticLossGrad");
  });

  it("names the URL and the status on a 404", async () => {
    await expect(compileWasm(`${base}/missing.wasm`)).rejects.toThrow(
      new WasmLoadError(`cannot load wasm from ${base}/missing.wasm: HTTP 404`),
    );
  });

  it("names the URL when the server answers with something that is not wasm", async () => {
    await expect(compileWasm(`${base}/fallback.wasm`)).rejects.toThrow(
      new RegExp(
        `^cannot load wasm from ${base}/fallback\\.wasm: the server answered HTTP 200 \\(text/html\\), which is not a wasm module: `,
      ),
    );
  });

  it("accepts raw bytes and file URLs", async () => {
    expect(exportNames(await compileWasm(new Uint8Array(bytes)))).toContain(
      "alloc",
    );
    const file = new URL("../../build/release.wasm", import.meta.url);
    expect(exportNames(await compileWasm(file))).toContain("free");
  });

  it("rejects bytes that are not wasm", async () => {
    await expect(compileWasm(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
  });
});

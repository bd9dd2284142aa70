import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchCsv, fetchMfeat } from "../../src/data/fetch.js";
import { loadMfeat } from "../../src/data/mfeat.js";
import { readCsvFile } from "../../src/data/files.js";
import { DataError } from "../../src/errors.js";
import { serveStatic, type StaticServer } from "../../src/server/static.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("fetchMfeat and fetchCsv", () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic({ root: ROOT });
    // Node's fetch reuses idle connections; on a loaded machine the
    // server's 5 s keep-alive timeout could close one as a request goes out
    server.server.keepAliveTimeout = 60_000;
  });
  afterAll(() => server?.close());

  it("gives the data set loadMfeat gives, over HTTP", async () => {
    const fetched = await fetchMfeat({ baseUrl: server.url + "data/mfeat/" });
    expect(fetched).toEqual(loadMfeat());
  });

  it("fetches the views asked for, in their order", async () => {
    const views = ["morphological", "pixel"];
    const fetched = await fetchMfeat({
      views,
      baseUrl: server.url + "data/mfeat/",
    });
    expect(fetched.modalities.map((m) => m.name)).toEqual(views);
    expect(fetched).toEqual(loadMfeat(views));
  });

  it("reads plain CSV as readCsvFile does", async () => {
    const table = await fetchCsv(server.url + "examples/data/text.csv", {
      label: "label",
    });
    const fromDisk = readCsvFile(`${ROOT}examples/data/text.csv`, {
      label: "label",
    });
    expect(table.X).toEqual(fromDisk.X);
    expect(table.y).toEqual(fromDisk.y);
  });

  it("when the file is missing then throws a DataError naming the URL and status", async () => {
    const url = server.url + "data/mfeat/nothing.csv.gz";
    await expect(fetchCsv(url)).rejects.toThrow(DataError);
    await expect(fetchCsv(url)).rejects.toThrow(
      `${url} could not be fetched: HTTP 404`,
    );
  });

  it("rejects an unknown view before fetching anything", async () => {
    await expect(fetchMfeat({ views: ["digits"] })).rejects.toThrow(
      "views[0] must be one of factors, karhunen, zernike, pixel, morphological, got",
    );
  });
});

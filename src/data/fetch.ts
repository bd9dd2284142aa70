/**
 * Loading CSV data over HTTP, for browsers and Web Workers (any runtime
 * with `fetch` and `DecompressionStream`): the counterpart of files.ts,
 * which reads from disk in Node. Gzip data is recognised by its content
 * and decompressed here, so a server may send it with or without a
 * `Content-Encoding` header.
 */
import type { MultiViewDataset } from "./dataset.js";
import { DataError } from "../errors.js";
import {
  alignModalities,
  parseCsv,
  type CsvOptions,
  type CsvTable,
} from "./csv.js";
import {
  checkMfeatViews,
  MFEAT_DEFAULT_VIEWS,
  MFEAT_VIEWS,
  type MfeatView,
} from "./mfeat-views.js";

/**
 * The shipped data/mfeat/ folder, relative to this module (dist/data/).
 * A bundled page does not carry it: copy the folder to where the page is
 * served and pass its URL as `baseUrl`.
 */
const MFEAT_BASE = new URL(
  /* @vite-ignore */ "../../data/mfeat/",
  import.meta.url,
);

/**
 * Fetches a CSV file, gzip-compressed or not, and parses it with
 * parseCsv; errors name the URL.
 * @param url absolute, or relative to the package's own modules
 * @param options label column and delimiter, as for parseCsv
 * @throws DataError naming the URL when fetching fails, the HTTP status is
 *   not 2xx or the gzip data is corrupt; everything parseCsv throws
 */
export async function fetchCsv(
  url: string | URL,
  options: Omit<CsvOptions, "source"> = {},
): Promise<CsvTable> {
  const href = new URL(String(url), import.meta.url).href;
  let bytes: Uint8Array;
  try {
    const response = await fetch(href);
    if (!response.ok) {
      throw new DataError(
        `${href} could not be fetched: HTTP ${response.status}`,
      );
    }
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    if (err instanceof DataError) throw err;
    // Node's fetch says only "fetch failed"; the reason is its cause
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    const reason = (err as Error).message + (cause ? ` (${cause})` : "");
    throw new DataError(`${href} could not be fetched: ${reason}`);
  }
  const text = await decodeText(bytes, href);
  return parseCsv(text, { ...options, source: href });
}

/** UTF-8 text of the bytes, gunzipped first when they start as gzip does. */
async function decodeText(bytes: Uint8Array, source: string): Promise<string> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    return new TextDecoder().decode(bytes);
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream("gzip"));
    return await new Response(stream).text();
  } catch (err) {
    throw new DataError(
      `${source} is not valid gzip data: ${(err as Error).message}`,
    );
  }
}

/** Options of {@link fetchMfeat}. */
export interface FetchMfeatOptions {
  /** names of MFEAT_VIEWS; default factors, karhunen, zernike */
  views?: readonly string[];
  /**
   * the folder holding `<view>.csv.gz`; default the package's data/mfeat/
   * (which `wasmlearn demo` serves)
   */
  baseUrl?: string | URL;
}

/**
 * loadMfeat for browsers: fetches the shipped mfeat views and returns the
 * same data set that loadMfeat returns in Node (same name, modalities,
 * matrices and labels).
 * @throws as loadMfeat for bad views; DataError for a failed fetch or a
 *   damaged file
 */
export async function fetchMfeat(
  options: FetchMfeatOptions = {},
): Promise<MultiViewDataset> {
  const { views = MFEAT_DEFAULT_VIEWS, baseUrl = MFEAT_BASE } = options;
  checkMfeatViews(views);
  const base = new URL(String(baseUrl), import.meta.url);
  const parts = await Promise.all(
    views.map(async (name) => {
      const table = await fetchCsv(new URL(`${name}.csv.gz`, base), {
        label: "class",
      });
      const expected = MFEAT_VIEWS[name as MfeatView];
      if (table.X.cols !== expected) {
        throw new DataError(
          `${table.source} must have ${expected} features, got ${table.X.cols}`,
        );
      }
      return { name, ...table };
    }),
  );
  return alignModalities(parts, { name: "mfeat" });
}

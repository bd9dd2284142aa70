/**
 * Reading CSV files from disk. Node only: this is the one module that
 * imports node:fs and node:zlib. Only modalities.ts and mfeat.ts import
 * it, so the rest of src/data/ stays usable in browsers.
 */
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { DataError } from "../errors.js";
import { describe } from "./matrix.js";
import { parseCsv, type CsvOptions, type CsvTable } from "./csv.js";

/** Options of {@link readCsvFile}: those of parseCsv but the source. */
export type CsvFileOptions = Omit<CsvOptions, "source">;

/**
 * Largest text a CSV file may hold, compressed or not: 256 MiB. Parsing
 * keeps every cell as a string for a moment, about ten times the text, so
 * larger files would exhaust Node's default heap instead of failing here.
 */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;

/** The first two bytes of every gzip member (RFC 1952, ID1 and ID2). */
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Reads a CSV file, gzip-compressed or not, and parses it with
 * {@link parseCsv}; errors name the file by `path`. Compression is
 * detected from the content, so the name need not end in ".gz". The text
 * must be UTF-8.
 * @param path a file path, or a file: URL
 * @param options label column and delimiter, as for parseCsv
 * @throws RangeError when `path` names no file, or a directory
 * @throws DataError for corrupt gzip data, and everything parseCsv throws
 */
export function readCsvFile(
  path: string | URL,
  options: CsvFileOptions = {},
): CsvTable {
  const source = sourceName(path);
  const text = readText(path, source);
  return parseCsv(text, { ...options, source });
}

/**
 * Reads a text file, gunzipping it when it is gzip data, with the same
 * checks as {@link readCsvFile}: a regular file, at most 256 MiB of text.
 * @throws RangeError or DataError naming the path
 */
export function readTextFile(path: string | URL): string {
  return readText(path, sourceName(path));
}

/**
 * How error messages name a file: the path as given, or a file: URL's
 * path.
 * @throws TypeError when `path` is neither a string nor a URL
 */
export function sourceName(path: string | URL): string {
  if (path instanceof URL) return fileURLToPath(path);
  if (typeof path !== "string") {
    throw new TypeError(`path must be a string or URL, got ${describe(path)}`);
  }
  return path;
}

function readText(path: string | URL, source: string): string {
  const name = JSON.stringify(source);
  let bytes: Buffer;
  try {
    // Anything but a regular file (a FIFO, a device) could block forever.
    const stat = statSync(path);
    if (stat.isDirectory()) {
      throw new RangeError(`path must name a file, got the directory ${name}`);
    }
    if (!stat.isFile()) {
      throw new RangeError(`path must name a regular file, got ${name}`);
    }
    if (stat.size > MAX_CSV_BYTES) {
      throw new DataError(
        `${source} is ${stat.size} bytes; CSV files are limited to 256 MiB`,
      );
    }
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof RangeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new RangeError(`path must name an existing file, got ${name}`, {
        cause: err,
      });
    }
    // ELOOP, ENOTDIR, EACCES, EIO, ENAMETOOLONG, ...: the system says why
    throw new DataError(`cannot read ${name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_CSV_BYTES });
    } catch (err) {
      const tooLarge =
        (err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
      throw new DataError(
        tooLarge
          ? `${source} unpacks to more than 256 MiB, the limit for CSV files`
          : `${source} must be valid gzip data, got: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return bytes.toString("utf8");
}

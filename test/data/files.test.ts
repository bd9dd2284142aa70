import { describe, expect, it } from "vitest";
import { readCsvFile, sourceName } from "../../src/data/files.js";
import { DataError } from "../../src/errors.js";

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url);
const fixturePath = (name: string) => sourceName(fixture(name));

describe("readCsvFile", () => {
  it("reads a plain CSV file with its label column", () => {
    const t = readCsvFile(fixture("small.csv"), { label: "label" });
    expect(t.featureNames).toEqual(["id", "height", "weight"]);
    expect(t.X.rows).toBe(4);
    expect(Array.from(t.X.data.subarray(0, 3))).toEqual([0, 1.5, 60]);
    expect(t.y).toEqual(["cat", "dog", "cat", "dog"]);
  });

  it("reads the gzip copy of a file to the same table", () => {
    const plain = readCsvFile(fixture("small.csv"), { label: "label" });
    const gz = readCsvFile(fixture("small.csv.gz"), { label: "label" });
    expect({ ...gz, source: plain.source }).toEqual(plain);
  });

  it("accepts a path string as well as a file URL", () => {
    const t = readCsvFile(fixturePath("small.csv"), { label: "label" });
    expect(t.source).toBe(fixturePath("small.csv"));
    expect(t.X.cols).toBe(3);
  });

  it("names the file in parse errors", () => {
    const path = fixturePath("small.csv.gz");
    const f = () => readCsvFile(path, { label: "class" });
    expect(f).toThrow(DataError);
    expect(f).toThrow(
      `${path}: label must name a column, got "class"; the columns are ` +
        '"id", "height", "weight", "label"',
    );
  });

  it("when the file does not exist then throws a RangeError naming it", () => {
    const path = fixturePath("no-such-file.csv");
    const f = () => readCsvFile(path);
    expect(f).toThrow(RangeError);
    expect(f).toThrow(`path must name an existing file, got "${path}"`);
  });

  it("when the path is a directory then throws a RangeError", () => {
    const path = fixturePath("");
    const f = () => readCsvFile(path);
    expect(f).toThrow(RangeError);
    expect(f).toThrow(
      `path must name a file, got the directory ${JSON.stringify(path)}`,
    );
  });

  it("when gzip data is corrupt then throws a DataError naming it", () => {
    const path = fixturePath("corrupt.csv.gz");
    const f = () => readCsvFile(path);
    expect(f).toThrow(DataError);
    expect(f).toThrow(`${path} must be valid gzip data, got: `);
  });

  it("when the path is not a string or URL then throws a TypeError", () => {
    const f = () => readCsvFile(3 as unknown as string);
    expect(f).toThrow(TypeError);
    expect(f).toThrow("path must be a string or URL, got 3");
  });
});

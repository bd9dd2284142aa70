import { describe, expect, it } from "vitest";
import { alignModalities, parseCsv } from "../../src/data/csv.js";
import { sourceName } from "../../src/data/files.js";
import { loadModalities } from "../../src/data/modalities.js";
import { DataError } from "../../src/errors.js";

const path = (name: string) =>
  sourceName(new URL(`fixtures/${name}`, import.meta.url));

describe("loadModalities", () => {
  it("pairs aligned files into one data set", () => {
    const data = loadModalities(
      [
        { name: "ab", path: path("views-a.csv") },
        { name: "c", path: path("views-b.csv") },
      ],
      { label: "label", name: "toy" },
    );
    expect(data.name).toBe("toy");
    expect(data.modalities.map((m) => [m.name, m.X.rows, m.X.cols])).toEqual([
      ["ab", 4, 2],
      ["c", 4, 1],
    ]);
    expect(Array.from(data.modalities[1].X.data)).toEqual([10, 30, 50, 70]);
    expect(data.y).toEqual([1, 2, 1, 2]);
  });

  it("accepts file URLs and names the data set 'dataset' by default", () => {
    const url = new URL("fixtures/views-b.csv", import.meta.url);
    const data = loadModalities([{ name: "c", path: url }], { label: "label" });
    expect(data.name).toBe("dataset");
  });

  const a = { name: "a", path: path("views-a.csv") };
  const errors: [string, { name: string; path: string }[], string][] = [
    [
      "a file without the label column",
      [a, { name: "b", path: path("views-nolabel.csv") }],
      `${path("views-nolabel.csv")}: label must name a column, got "label"; ` +
        'the columns are "c", "target"',
    ],
    [
      "a file with fewer rows",
      [a, { name: "b", path: path("views-short.csv") }],
      `${path("views-short.csv")} must have 4 rows like ` +
        `${path("views-a.csv")}, got 3`,
    ],
    [
      "a file whose labels differ",
      [a, { name: "b", path: path("views-relabelled.csv") }],
      `${path("views-relabelled.csv")} must have the same labels as ` +
        `${path("views-a.csv")} row by row, got 2 instead of 1 at row 2 ` +
        "(0-based)",
    ],
  ];
  for (const [what, specs, message] of errors) {
    it(`when given ${what} then throws a DataError naming the files`, () => {
      const f = () => loadModalities(specs, { label: "label" });
      expect(f).toThrow(DataError);
      expect(f).toThrow(message);
    });
  }

  const nameErrors: [string, { name: string; path: string }[], string][] = [
    ["no files", [], "modalities must have at least one entry, got 0"],
    [
      "a repeated name",
      [a, { ...a, path: path("views-b.csv") }],
      'modality names must be unique, got "a" twice',
    ],
    [
      "an empty name",
      [a, { name: " ", path: path("views-b.csv") }],
      'modalities[1].name must be non-empty, got " "',
    ],
  ];
  for (const [what, specs, message] of nameErrors) {
    it(`when given ${what} then throws a RangeError`, () => {
      const f = () => loadModalities(specs, { label: "label" });
      expect(f).toThrow(RangeError);
      expect(f).toThrow(message);
    });
  }

  it("checks names before reading any file", () => {
    const missing = { name: "a", path: path("no-such-file.csv") };
    expect(() => loadModalities([missing, missing], { label: "y" })).toThrow(
      'modality names must be unique, got "a" twice',
    );
  });

  it("when a file is missing then throws a RangeError naming it", () => {
    const missing = { name: "b", path: path("no-such-file.csv") };
    const f = () => loadModalities([a, missing], { label: "label" });
    expect(f).toThrow(RangeError);
    expect(f).toThrow(`path must name an existing file, got "${missing.path}"`);
  });

  it("when the label is missing then throws a TypeError", () => {
    const f = () => loadModalities([a], {} as { label: string });
    expect(f).toThrow(TypeError);
    expect(f).toThrow("label must be a string, got undefined");
  });
});

describe("alignModalities", () => {
  // The browser path: text from fetch() or a file input, parsed in place.
  const image = parseCsv("p1,p2,y\n1,2,cat\n3,4,dog\n", {
    source: "image.csv",
    label: "y",
  });
  const text = parseCsv("w,y\n5,cat\n6,dog\n", {
    source: "text.csv",
    label: "y",
  });

  it("pairs parsed tables and keeps their matrices", () => {
    const data = alignModalities(
      [
        { name: "image", ...image },
        { name: "text", ...text },
      ],
      { name: "pets" },
    );
    expect(data.name).toBe("pets");
    expect(data.modalities[0].X).toBe(image.X);
    expect(data.y).toEqual(["cat", "dog"]);
    expect(data.y).not.toBe(image.y);
  });

  it("names views by source, or by name when they have none", () => {
    const other = { name: "other", X: text.X, y: ["cat", "cow"] };
    const f = () => alignModalities([{ name: "image", ...image }, other]);
    expect(f).toThrow(DataError);
    expect(f).toThrow(
      "other must have the same labels as image.csv row by row, got " +
        '"cow" instead of "dog" at row 1 (0-based)',
    );
  });

  it("when a view has no labels then throws a DataError", () => {
    const bare = parseCsv("w\n5\n6\n", { source: "bare.csv" });
    const f = () =>
      alignModalities([
        { name: "image", ...image },
        { name: "bare", ...bare, source: "bare.csv" },
      ]);
    expect(f).toThrow(DataError);
    expect(f).toThrow("bare.csv must have labels, got none");
  });

  it("when a view has a label count unlike its rows then DataError", () => {
    const f = () => alignModalities([{ name: "v", X: text.X, y: ["cat"] }]);
    expect(f).toThrow(DataError);
    expect(f).toThrow("v must have one label per row (2), got 1");
  });

  it("when given something other than an array then TypeError", () => {
    const f = () => alignModalities({} as never);
    expect(f).toThrow(TypeError);
    expect(f).toThrow("modalities must be an array, got Object");
  });

  it("when a name is not a string then throws a TypeError", () => {
    const f = () => alignModalities([{ ...text, name: 7 as never }]);
    expect(f).toThrow(TypeError);
    expect(f).toThrow("modalities[0].name must be a string, got 7");
  });
});

import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv.js";
import { DataError } from "../../src/errors.js";

/** The thrown error, for asserting its type and message together. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error, got none");
}

describe("parseCsv", () => {
  describe("well-formed input", () => {
    it("reads features and numeric labels for a small table", () => {
      const t = parseCsv("a,b,y\n1,2,0\n3.5,-4e2,1\n", { label: "y" });
      expect(t.header).toEqual(["a", "b", "y"]);
      expect(t.featureNames).toEqual(["a", "b"]);
      expect(t.X.rows).toBe(2);
      expect(t.X.cols).toBe(2);
      expect(Array.from(t.X.data)).toEqual([1, 2, 3.5, -400]);
      expect(t.y).toEqual([0, 1]);
    });

    it("when no label is given then every column is a feature", () => {
      const t = parseCsv("a,b\n1,2\n");
      expect(t.featureNames).toEqual(["a", "b"]);
      expect(t.y).toBeUndefined();
      expect(Array.from(t.X.data)).toEqual([1, 2]);
    });

    it("takes the label from any position and keeps feature order", () => {
      const t = parseCsv("y,a,b\nx,1,2\nz,3,4", { label: "y" });
      expect(t.featureNames).toEqual(["a", "b"]);
      expect(Array.from(t.X.data)).toEqual([1, 2, 3, 4]);
      expect(t.y).toEqual(["x", "z"]);
    });

    it("when one label is not a number then all labels are strings", () => {
      const t = parseCsv("a,y\n1,1\n2, 2.0 \n3,two\n", { label: "y" });
      expect(t.y).toEqual(["1", "2.0", "two"]);
    });

    it("when every label is a number then 1 and 1.0 are one class", () => {
      const t = parseCsv("a,y\n1,1\n2,1.0\n3,-2e0\n", { label: "y" });
      expect(t.y).toEqual([1, 1, -2]);
    });

    it("reads CRLF, a lone CR, surrounding blanks and no final newline", () => {
      const text = " a , b \r\n 1 ,\t2\r\n3,4\r5,6";
      const t = parseCsv(text);
      expect(t.header).toEqual(["a", "b"]);
      expect(Array.from(t.X.data)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it("skips blank lines and a byte-order mark", () => {
      const t = parseCsv("\ufeffa,b\n\n1,2\n   \n3,4\n\n\n");
      expect(t.header).toEqual(["a", "b"]);
      expect(t.X.rows).toBe(2);
    });

    it("keeps a quoted delimiter, quote and newline inside one field", () => {
      const text = 'x,"name, full",y\n1,2,"a,b"\n3,4,"say ""hi""\nthere"\n';
      const t = parseCsv(text, { label: "y" });
      expect(t.header).toEqual(["x", "name, full", "y"]);
      expect(Array.from(t.X.data)).toEqual([1, 2, 3, 4]);
      expect(t.y).toEqual(["a,b", 'say "hi"\nthere']);
    });

    it("reads quoted numbers as numbers", () => {
      const t = parseCsv('a,y\n"1.5", "2"\n', { label: "y" });
      expect(Array.from(t.X.data)).toEqual([1.5]);
      expect(t.y).toEqual([2]);
    });

    it("splits on another delimiter, and a tab is not trimmed away", () => {
      expect(parseCsv("a;b\n1;2", { delimiter: ";" }).X.data[1]).toBe(2);
      const tsv = { delimiter: "\t" };
      expect(Array.from(parseCsv("a\tb\n 1 \t 2 \n", tsv).X.data)).toEqual([
        1, 2,
      ]);
      expect(() => parseCsv("a\tb\n1\t\t2\n", tsv)).toThrow(
        "input line 2 must have 2 cells like the header, got 3",
      );
    });

    it("returns numbers equal to Number() for many decimal spellings", () => {
      const cells = ["0", "-0", "+1", ".5", "5.", "1e3", "1E-3", "-2.5e+1"];
      const t = parseCsv(`v\n${cells.join("\n")}`);
      expect(Array.from(t.X.data)).toEqual(cells.map(Number));
    });
  });

  describe("errors", () => {
    const src = { source: "f.csv" };
    const cases: [string, string, object, string][] = [
      ["empty input", "", src, "f.csv must have a header row, got empty input"],
      [
        "only blank lines",
        "\n \r\n",
        src,
        "f.csv must have a header row, got empty input",
      ],
      [
        "a header and no rows",
        "a,b\n",
        src,
        "f.csv must have at least one data row after the header, got 0",
      ],
      [
        "a duplicate column name",
        "a,b, a\n1,2,3\n",
        src,
        'f.csv line 1: column names must be unique, got "a" in columns 1 and 3',
      ],
      [
        "an empty column name",
        "a,,c\n1,2,3\n",
        src,
        'f.csv line 1: column names must be non-empty, got "" in column 2',
      ],
      [
        "a short row",
        "a,b,c\n1,2,3\n4,5\n",
        src,
        "f.csv line 3 must have 3 cells like the header, got 2",
      ],
      [
        "a long row after a blank line",
        "a,b\n1,2\n\n3,4,5\n",
        src,
        "f.csv line 4 must have 2 cells like the header, got 3",
      ],
      [
        "a word in a feature column",
        "a,b\n1,2\n3,abc\n",
        src,
        'f.csv line 3, column "b" must be a finite number, got "abc"',
      ],
      [
        "an empty feature cell",
        "a,b\n1,\n",
        src,
        'f.csv line 2, column "b" must be a finite number, got an empty cell',
      ],
      [
        "NaN",
        "a,b\n1,NaN\n",
        src,
        'f.csv line 2, column "b" must be a finite number, got "NaN"',
      ],
      [
        "nan",
        "a,b\nnan,1\n",
        src,
        'f.csv line 2, column "a" must be a finite number, got "nan"',
      ],
      [
        "Infinity",
        "a,b\n1,-Infinity\n",
        src,
        'f.csv line 2, column "b" must be a finite number, got "-Infinity"',
      ],
      [
        "an overflowing number",
        "a\n1e999\n",
        src,
        'f.csv line 2, column "a" must be a finite number, got "1e999"',
      ],
      [
        "hexadecimal",
        "a\n0x1f\n",
        src,
        'f.csv line 2, column "a" must be a finite number, got "0x1f"',
      ],
      [
        "a missing label column",
        "a,b\n1,2\n",
        { ...src, label: "class" },
        'f.csv: label must name a column, got "class"; the columns are ' +
          '"a", "b"',
      ],
      [
        "an empty label",
        "a,y\n1,1\n2, \n",
        { ...src, label: "y" },
        'f.csv line 3, column "y" must be a non-empty label, got an empty cell',
      ],
      [
        "an unclosed quote",
        'a,b\n1,"2\n3,4\n',
        src,
        "f.csv line 2: quoted field must be closed by a quote, got end of " +
          "input",
      ],
      [
        "text after a closing quote",
        'a,b\n1,"2"x\n',
        src,
        "f.csv line 2, field 2 must end at its closing quote, got " +
          '"x\\n" after it',
      ],
    ];
    for (const [what, text, options, message] of cases) {
      it(`when given ${what} then throws a DataError`, () => {
        const err = thrown(() => parseCsv(text, options));
        expect(err).toBeInstanceOf(DataError);
        expect(err.message).toBe(message);
      });
    }

    it("counts lines inside a quoted multi-line field", () => {
      const text = 'a,b\n"x\ny",1\n2\n';
      const err = thrown(() => parseCsv(text, { label: "a" }));
      expect(err.message).toBe(
        "input line 4 must have 2 cells like the header, got 1",
      );
    });

    it("reports the first problem in file order", () => {
      const err = thrown(() => parseCsv("a,b\n1,x\n2\n"));
      expect(err.message).toBe(
        'input line 2, column "b" must be a finite number, got "x"',
      );
    });

    it("names the source as input by default", () => {
      expect(() => parseCsv("")).toThrow(
        "input must have a header row, got empty input",
      );
    });

    it("when text is not a string then throws a TypeError", () => {
      const err = thrown(() => parseCsv(42 as unknown as string));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toBe("text must be a string, got 42");
    });

    it("when the label is not a string then throws a TypeError", () => {
      const bad = { label: 3 as unknown as string };
      const err = thrown(() => parseCsv("a\n1", bad));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toBe("label must be a string, got 3");
    });

    it("when the delimiter is not one plain character then RangeError", () => {
      for (const delimiter of ["", ";;", '"', "\n"]) {
        const err = thrown(() => parseCsv("a\n1", { delimiter }));
        expect(err).toBeInstanceOf(RangeError);
        expect(err.message).toBe(
          "delimiter must be one character other than a quote or line " +
            `break, got ${JSON.stringify(delimiter)}`,
        );
      }
    });
  });
});

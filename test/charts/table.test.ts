import { describe, expect, it } from "vitest";
import {
  formatNumber,
  formatTable,
  pad,
  truncate,
  visibleWidth,
} from "../../src/charts/index.js";

describe("visibleWidth", () => {
  it("ignores ANSI colour codes", () => {
    expect(visibleWidth("\x1b[36mabc\x1b[0m")).toBe(3);
  });

  it("counts one column per code point for block characters", () => {
    expect(visibleWidth("██▏ …")).toBe(5);
  });
});

describe("truncate", () => {
  it("when text fits then returns it unchanged", () => {
    expect(truncate("early", 5)).toBe("early");
  });

  it("when text is too wide then ends in an ellipsis within width", () => {
    expect(truncate("cross-attention", 6)).toBe("cross…");
  });

  it("when width is 0 then returns the empty string", () => {
    expect(truncate("late", 0)).toBe("");
  });
});

describe("pad", () => {
  it("pads coloured text by its visible width", () => {
    const padded = pad("\x1b[32mok\x1b[0m", 5, "right");
    expect(padded).toBe("   \x1b[32mok\x1b[0m");
  });
});

describe("formatNumber", () => {
  it("prints fixed decimals", () => {
    expect(formatNumber(0.95, 4)).toBe("0.9500");
    expect(formatNumber(-12.3456, 2)).toBe("-12.35");
  });

  it("prints non-finite values as nan, inf and -inf", () => {
    expect(formatNumber(NaN, 4)).toBe("nan");
    expect(formatNumber(Infinity, 4)).toBe("inf");
    expect(formatNumber(-Infinity, 4)).toBe("-inf");
  });

  it("when a value rounds to zero then prints no sign", () => {
    expect(formatNumber(-0.00001, 2)).toBe("0.00");
    expect(formatNumber(-0, 1)).toBe("0.0");
  });

  it("when the fixed form exceeds maxWidth then uses exponent notation", () => {
    expect(formatNumber(1.5e20, 4, 12)).toBe("1.5000e+20");
    expect(formatNumber(123.4, 1, 12)).toBe("123.4");
  });

  it("when digits is not an integer in [0, 20] then throws RangeError", () => {
    expect(() => formatNumber(1, 1.5)).toThrow(
      new RangeError("digits must be an integer in [0, 20], got 1.5"),
    );
    expect(() => formatNumber(1, 21)).toThrow(RangeError);
  });
});

describe("formatTable", () => {
  const columns = [
    { header: "method" },
    { header: "accuracy", align: "right" as const },
    { header: "seconds", align: "right" as const },
  ];
  const rows = [
    ["early", "0.9500", "1.25"],
    ["late", "0.8600", "12.50"],
    ["cross-attention", "0.9450", "-0.10"],
  ];

  it("sizes columns to content under a header rule", () => {
    expect(formatTable(columns, rows)).toMatchInlineSnapshot(`
      "method           accuracy  seconds
      ───────────────  ────────  ───────
      early              0.9500     1.25
      late               0.8600    12.50
      cross-attention    0.9450    -0.10"
    `);
  });

  it("when ascii is set then rules with hyphens", () => {
    const table = formatTable(columns, rows, { ascii: true });
    expect(table.split("\n")[1]).toBe("---------------  --------  -------");
  });

  it("when maxRows cuts rows then says how many were left out", () => {
    const lines = formatTable(columns, rows, { maxRows: 1 }).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe("(2 more rows)");
  });

  it("when width is too small then drops trailing columns and says so", () => {
    const lines = formatTable(columns, rows, { width: 30 }).split("\n");
    expect(lines[0]).toBe("method           accuracy");
    expect(lines.at(-1)).toBe("(1 more column)");
    for (const line of lines) {
      expect(visibleWidth(line)).toBeLessThanOrEqual(30);
    }
  });

  it("aligns cells that carry colour codes", () => {
    const coloured = [["\x1b[32mbest\x1b[0m", "1", "2"]];
    const lines = formatTable(columns, coloured).split("\n");
    expect(visibleWidth(lines[2])).toBe(visibleWidth(lines[0]));
  });

  it("when a row has the wrong length then throws RangeError", () => {
    expect(() => formatTable(columns, [["a", "b"]])).toThrow(
      new RangeError("rows[0] must have 3 cells, got 2"),
    );
  });
});

import { describe, expect, it } from "vitest";
import { lineChart, visibleWidth } from "../../src/charts/index.js";

/** Every line fits `width` columns, colour codes not counted. */
function expectFits(chart: string, width: number): void {
  for (const line of chart.split("\n")) {
    expect(visibleWidth(line)).toBeLessThanOrEqual(width);
  }
}

/** Plot rows: the lines with a y label and an axis glyph. */
function plotRows(chart: string): string[] {
  return chart.split("\n").filter((l) => /^ *-?[\d.e+]+ [┤┼|+]/.test(l));
}

// Seeded so the snapshot holds: a loss curve with a fixed wobble.
const train = Array.from({ length: 20 }, (_, i) => Math.exp(-i / 6));
const val = train.map((v, i) => v + 0.08 + 0.02 * Math.sin(i));
const epochs = train.map((_, i) => String(i + 1));

describe("lineChart", () => {
  it("draws two series with a legend, axis labels and x labels", () => {
    const chart = lineChart(
      [
        { name: "train", values: train },
        { name: "val", values: val },
      ],
      {
        title: "logistic regression, synthetic data",
        yLabel: "loss (nats)",
        xLabels: epochs,
        xLabel: "epoch",
      },
    );
    expect(chart).toMatchSnapshot();
    expectFits(chart, 80);
  });

  it("when ascii is set then draws with ASCII only", () => {
    const chart = lineChart([{ name: "train", values: train }], {
      ascii: true,
      height: 6,
      width: 60,
    });
    expect(chart).toMatchInlineSnapshot(`
      "1.00 +-.
      0.81 | '--.
      0.62 |    '--.
      0.43 |       '-----.
      0.23 |             '---------.
      0.04 |                       '--------------"
    `);
    expect(chart).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it("when there is one series then prints no legend", () => {
    const chart = lineChart([{ name: "train", values: train }]);
    expect(chart).not.toContain("train");
  });

  it("draws exactly height plot rows", () => {
    for (const height of [2, 5, 10, 17]) {
      const chart = lineChart([{ name: "a", values: train }], { height });
      expect(plotRows(chart)).toHaveLength(height);
    }
  });

  it("when values are NaN or infinite then leaves a gap", () => {
    const values = train.map((v, i) =>
      i === 8 ? NaN : i === 9 ? Infinity : v,
    );
    const chart = lineChart([{ name: "a", values }], { width: 40 });
    const rows = plotRows(chart).map((row) => Array.from(row));
    const axisAt = rows[0].findIndex((c) => c === "┤" || c === "┼");

    // 20 points on 35 columns: one column per point, point i on axisAt + i,
    // drawn by the segment from point i - 1; points 7 to 10 lose theirs.
    const at = (r: string[], col: number): string => r[col] ?? " ";
    for (const col of [8, 9]) {
      expect(rows.every((r) => at(r, axisAt + col) === " ")).toBe(true);
    }
    const restart = rows.filter((r) => at(r, axisAt + 10) !== " ");
    expect(restart.map((r) => at(r, axisAt + 10))).toEqual(["╶"]);
  });

  it("when a series is constant then draws a flat line mid-height", () => {
    const chart = lineChart([{ name: "a", values: [0.9, 0.9, 0.9] }], {
      height: 5,
      width: 30,
    });
    expect(chart).toMatchInlineSnapshot(`
      "0.990 ┤
      0.945 ┤
      0.900 ┼──────────────────────
      0.855 ┤
      0.810 ┤"
    `);
  });

  it("when a series is all zero then draws a flat line", () => {
    const rows = plotRows(lineChart([{ name: "a", values: [0, 0] }]));
    expect(rows.filter((row) => row.includes("─"))).toHaveLength(1);
  });

  it("when there is nothing finite to draw then prints (no data)", () => {
    expect(lineChart([])).toBe("(no data)");
    expect(lineChart([{ name: "a", values: [] }])).toBe("(no data)");
    const allNaN = [{ name: "a", values: [NaN, Infinity] }];
    expect(lineChart(allNaN, { title: "loss" })).toBe("loss\n(no data)");
  });

  it("draws a single point on the axis", () => {
    const rows = plotRows(lineChart([{ name: "a", values: [3] }]));
    expect(rows.filter((row) => row.endsWith("┼"))).toHaveLength(1);
  });

  it("resamples a very long series to the width", () => {
    // Math.min(...values) once overflowed the call stack at this length.
    const values = Array.from({ length: 1_000_000 }, (_, i) =>
      Math.sin(i / 50_000),
    );
    const xLabels = values.map((_, i) => String(i));
    for (const width of [20, 33, 80, 200]) {
      const chart = lineChart([{ name: "a", values }], { width, xLabels });
      expectFits(chart, width);
      const rows = plotRows(chart);
      expect(rows).toHaveLength(10);
      expect(Math.max(...rows.map(visibleWidth))).toBe(width);
    }
  });

  it("stays within width with long names, labels and many series", () => {
    const long = "a name far longer than the chart is wide ".repeat(3);
    const series = [0, 1, 2, 3, 4].map((k) => ({
      name: `${long}${k}`,
      values: train.map((v) => v * (k + 1) * 1e6),
    }));
    for (let width = 20; width <= 100; width++) {
      const options = {
        width,
        title: long,
        yLabel: long,
        xLabel: long,
        xLabels: epochs.map((e) => `epoch ${e} of many`),
      };
      expectFits(lineChart(series, options), width);
      expectFits(lineChart(series, { ...options, color: true }), width);
    }
  });

  it("when values span nearly all doubles then draws every row", () => {
    // hi - lo overflowed to Infinity and asciichart threw on the array size.
    const values = [1e308, -1e308, 0];
    const rows = plotRows(lineChart([{ name: "a", values }], { height: 4 }));
    expect(rows.map((row) => row.trim().split(" ")[0])).toEqual([
      "1e+308",
      "3e+307",
      "-3e+307",
      "-1e+308",
    ]);
    expect(rows.every((row) => /[─╮╯╭╰]/.test(row))).toBe(true);
  });

  it("when the first x label is wide then still prints it", () => {
    const xLabels = epochs.map((e) => `epoch ${e} of many`);
    const chart = lineChart([{ name: "a", values: train }], { xLabels });
    expect(chart.split("\n").at(-1)).toMatch(/^epoch 1 of …/);
  });

  it("keeps only x labels that leave a space between them", () => {
    const xLabels = epochs.map((e) => `ep${e}`);
    const chart = lineChart([{ name: "a", values: train }], {
      width: 40,
      xLabels,
    });
    const labelLine = chart.split("\n").at(-1) ?? "";
    expect(labelLine.trim().split(/ +/)).toEqual([
      "ep1",
      "ep6",
      "ep11",
      "ep16",
    ]);
  });

  it("colours only when color is set", () => {
    const series = [
      { name: "train", values: train },
      { name: "val", values: val },
    ];
    expect(lineChart(series)).not.toContain("\x1b[");
    expect(lineChart(series, { color: true })).toContain("\x1b[36m");
  });

  it("rejects bad arguments with the parameter's name", () => {
    const series = [{ name: "a", values: train }];
    expect(() => lineChart(series, { xLabels: ["1"] })).toThrow(
      new RangeError(
        "xLabels must have 20 entries (one per x position), got 1",
      ),
    );
    expect(() => lineChart(series, { height: 1 })).toThrow(
      new RangeError("height must be an integer >= 2, got 1"),
    );
    expect(() => lineChart(series, { width: 19.5 })).toThrow(
      new RangeError("width must be an integer >= 20, got 19.5"),
    );
    const bad = [{ name: "a", values: ["1"] }] as never;
    expect(() => lineChart(bad)).toThrow(
      new TypeError("series[0].values[0] must be a number, got string"),
    );
  });
});

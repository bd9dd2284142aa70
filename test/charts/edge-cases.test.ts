/**
 * What real data does to every chart, drawn at width 80 without colour and
 * pinned as snapshots: NaN and Infinity, a constant series, an empty
 * series, a very long series, negative values and labels wider than the
 * space. The behaviour behind each is asserted in the chart's own tests.
 */
import { describe, expect, it } from "vitest";
import {
  barChart,
  groupedBarChart,
  lineChart,
  shareChart,
  visibleWidth,
  wrapText,
} from "../../src/charts/index.js";

const WIDTH = 80;
const WIDE = "a label much wider than the space the chart can give it";

function fits(chart: string): string {
  for (const line of chart.split("\n")) {
    expect(visibleWidth(line)).toBeLessThanOrEqual(WIDTH);
  }
  return chart;
}

describe("charts on awkward data at width 80", () => {
  it("NaN and Infinity: bars print n/a with a note, lines leave a gap", () => {
    const items = [
      { label: "ok", value: 2 },
      { label: "nan", value: NaN },
      { label: "inf", value: Infinity },
      { label: "-inf", value: -Infinity },
    ];
    expect(fits(barChart(items, { width: WIDTH }))).toMatchSnapshot();
    const groups = [
      { label: "a", values: [1, NaN] },
      { label: "b", values: [Infinity, 2] },
    ];
    expect(
      fits(groupedBarChart(groups, ["x", "y"], { width: WIDTH })),
    ).toMatchSnapshot();
    const values = [1, 2, NaN, 4, Infinity, 3, 2, -Infinity, 1, 2];
    expect(
      fits(lineChart([{ name: "loss", values }], { width: WIDTH, height: 5 })),
    ).toMatchSnapshot();
  });

  it("a constant series: equal bars, a flat line", () => {
    const items = ["a", "b", "c"].map((label) => ({ label, value: 0.5 }));
    expect(fits(barChart(items, { width: WIDTH }))).toMatchSnapshot();
    expect(
      fits(
        lineChart([{ name: "c", values: [7, 7, 7, 7] }], {
          width: WIDTH,
          height: 4,
        }),
      ),
    ).toMatchSnapshot();
  });

  it("an empty series: a message, not a crash", () => {
    expect(barChart([], { width: WIDTH, title: "bars" })).toBe(
      "bars\n(no data)",
    );
    expect(groupedBarChart([], ["x"], { width: WIDTH })).toBe("(no data)");
    expect(lineChart([{ name: "a", values: [] }], { width: WIDTH })).toBe(
      "(no data)",
    );
    expect(lineChart([], { width: WIDTH, title: "lines" })).toBe(
      "lines\n(no data)",
    );
    expect(shareChart([], { width: WIDTH })).toBe("(no data)");
  });

  it("a very long series is resampled to the width", () => {
    const values = Array.from({ length: 100_000 }, (_, i) =>
      Math.cos(i / 8_000),
    );
    const xLabels = values.map((_, i) => String(i));
    const chart = fits(
      lineChart([{ name: "cos", values }], {
        width: WIDTH,
        height: 6,
        xLabels,
      }),
    );
    expect(Math.max(...chart.split("\n").map(visibleWidth))).toBe(WIDTH);
    expect(chart).toMatchSnapshot();
  });

  it("negative values: bars left of a zero axis, lines below zero", () => {
    const items = [
      { label: "gain", value: 3.5 },
      { label: "loss", value: -2 },
      { label: "flat", value: 0 },
    ];
    expect(
      fits(barChart(items, { width: WIDTH, digits: 1 })),
    ).toMatchSnapshot();
    const groups = [{ label: "g", values: [-1, 1] }];
    expect(
      fits(groupedBarChart(groups, ["down", "up"], { width: WIDTH })),
    ).toMatchSnapshot();
    const values = [-3, -1, 0, 2, -2];
    expect(
      fits(lineChart([{ name: "v", values }], { width: WIDTH, height: 5 })),
    ).toMatchSnapshot();
  });

  it("labels wider than the space are cut with an ellipsis", () => {
    const items = [
      { label: WIDE, value: 1 },
      { label: "short", value: 2 },
    ];
    expect(
      fits(barChart(items, { width: WIDTH, title: WIDE.repeat(3) })),
    ).toMatchSnapshot();
    expect(fits(shareChart(items, { width: WIDTH }))).toMatchSnapshot();
    const series = [
      { name: WIDE, values: [1, 2, 3] },
      { name: WIDE.toUpperCase(), values: [3, 2, 1] },
    ];
    const xLabels = [
      "first x label that is long",
      "second",
      "third x label, long too",
    ];
    expect(
      fits(lineChart(series, { width: WIDTH, height: 4, xLabels })),
    ).toMatchSnapshot();
  });
});

describe("wrapText", () => {
  it("breaks at spaces within the width", () => {
    expect(wrapText("one two three four", 9)).toEqual([
      "one two",
      "three",
      "four",
    ]);
  });

  it("cuts a word longer than the width with an ellipsis", () => {
    expect(wrapText("a incomprehensibilities b", 8)).toEqual([
      "a",
      "incompr…",
      "b",
    ]);
  });

  it("gives one empty line for empty text and rejects a bad width", () => {
    expect(wrapText("", 5)).toEqual([""]);
    expect(() => wrapText("x", 0)).toThrow(
      new RangeError("width must be an integer >= 1, got 0"),
    );
  });
});

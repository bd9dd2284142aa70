import { describe, expect, it } from "vitest";
import {
  barChart,
  groupedBarChart,
  visibleWidth,
  type BarItem,
} from "../../src/charts/index.js";

const ACCURACY: BarItem[] = [
  { label: "image", value: 0.79 },
  { label: "text", value: 0.685 },
  { label: "audio", value: 0.505 },
  { label: "early", value: 0.95 },
  { label: "late", value: 0.86 },
  { label: "cross", value: 0.945 },
];
const BLOCKS = /[█▏▎▍▌▋▊▉▐#]/;

/** Every line fits `width` columns, colour codes not counted. */
function expectFits(chart: string, width: number): void {
  for (const line of chart.split("\n")) {
    expect(visibleWidth(line)).toBeLessThanOrEqual(width);
  }
}

const EIGHTHS = " ▏▎▍▌▋▊▉█";

/** Length of the bar on the line of `label`, in eighths of a cell. */
function barLength(chart: string, label: string): number {
  const line = chart.split("\n").find((l) => l.startsWith(label + " "));
  const cells = Array.from(line ?? "").map((c) => EIGHTHS.indexOf(c));
  return cells.reduce((sum, k) => sum + Math.max(k, 0), 0);
}

describe("barChart", () => {
  it("draws accuracies from a chance-level baseline", () => {
    const chart = barChart(ACCURACY, {
      min: 0.5,
      title: "accuracy by modality and fusion",
      highlight: "max",
    });
    expect(chart).toMatchSnapshot();
    expectFits(chart, 80);
  });

  it("when ascii is set then draws with # and no Unicode", () => {
    const chart = barChart(ACCURACY, { min: 0.5, ascii: true, width: 60 });
    expect(chart).toMatchInlineSnapshot(`
      "image ##############################                  0.7900
      text  ###################                             0.6850
      audio #                                               0.5050
      early ############################################### 0.9500
      late  ######################################          0.8600
      cross ##############################################  0.9450
            0.5000                                   0.9500"
    `);
    expect(chart).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it("when min is a baseline then close values differ by more cells", () => {
    // Both scales end at 0.97, so the gap grows by 0.97 / (0.97 - 0.5).
    const close = [
      { label: "a", value: 0.94 },
      { label: "b", value: 0.97 },
    ];
    const fromZero = barChart(close);
    const fromBaseline = barChart(close, { min: 0.5 });
    const gap = (chart: string): number =>
      barLength(chart, "b") - barLength(chart, "a");
    const growth = gap(fromBaseline) / gap(fromZero);
    expect(growth).toBeCloseTo(0.97 / 0.47, 0);
  });

  it("draws longer bars for larger values", () => {
    const chart = barChart(ACCURACY);
    const sorted = [...ACCURACY].sort((p, q) => p.value - q.value);
    const lengths = sorted.map((item) => barLength(chart, item.label));
    expect(lengths).toEqual([...lengths].sort((p, q) => p - q));
  });

  it("when values are not finite then prints n/a, no bar and a note", () => {
    const chart = barChart([
      { label: "ok", value: 0.9 },
      { label: "nan", value: NaN },
      { label: "inf", value: Infinity },
      { label: "-inf", value: -Infinity },
    ]);
    const lines = chart.split("\n");
    for (const label of ["nan", "inf", "-inf"]) {
      const line = lines.find((l) => l.startsWith(label + " "));
      expect(line).toMatch(/ n\/a$/);
      expect(line).not.toMatch(BLOCKS);
    }
    expect(lines.at(-1)).toBe(
      "n/a: 3 values are NaN or infinite and not drawn",
    );
    expectFits(chart, 80);
  });

  it("when every value is NaN then prints n/a rows without a scale", () => {
    const chart = barChart([{ label: "x", value: NaN }]);
    const [line, note, ...rest] = chart.split("\n");
    expect(line).toMatch(/^x +n\/a$/);
    expect(line).toHaveLength(80);
    expect(note).toBe("n/a: 1 value is NaN or infinite and not drawn");
    expect(rest).toEqual([]);
  });

  it("when values span zero then draws negatives left of a zero axis", () => {
    const chart = barChart(
      [
        { label: "gain", value: 0.3 },
        { label: "loss", value: -0.1 },
        { label: "flat", value: 0 },
      ],
      { digits: 2, width: 40 },
    );
    expect(chart).toMatchInlineSnapshot(`
      "gain        │█████████████████████  0.30
      loss ███████│                      -0.10
      flat        │                       0.00
           -0.10                    0.30"
    `);
    const bars = chart.split("\n").slice(0, 3);
    const axisAt = bars[0].indexOf("│");
    expect(bars.every((l) => l.indexOf("│") === axisAt)).toBe(true);
    expect(bars[1][axisAt - 1]).toBe("█");
    expect(bars[0][axisAt + 1]).toBe("█");
  });

  it("when all values are negative then bars grow left from 0", () => {
    const chart = barChart(
      [
        { label: "a", value: -2 },
        { label: "b", value: -0.5 },
      ],
      { width: 40, digits: 1 },
    );
    expect(chart).toMatchInlineSnapshot(`
      "a █████████████████████████████████ -2.0
      b                         ▐████████ -0.5
        -2.0                          0.0"
    `);
  });

  it("when all values are equal then draws equal full bars", () => {
    const chart = barChart([
      { label: "a", value: 0.7 },
      { label: "b", value: 0.7 },
    ]);
    const [a, b] = chart.split("\n");
    expect(a.slice(1)).toBe(b.slice(1));
    expect(barLength(chart, "a")).toBeGreaterThan(60 * 8);
  });

  it("when all values are zero or at min then draws no bars", () => {
    for (const [items, min] of [
      [[{ label: "a", value: 0 }], undefined],
      [[{ label: "a", value: 0.5 }], 0.5],
      [[{ label: "a", value: 0.4 }], 0.5],
    ] as const) {
      const chart = barChart(items, { min });
      expect(chart.split("\n")[0]).not.toMatch(BLOCKS);
      expect(chart).not.toMatch(/nan|inf/);
    }
  });

  it("when a value exceeds max then clamps the bar, not the value", () => {
    const chart = barChart(
      [
        { label: "a", value: 2 },
        { label: "b", value: 1 },
      ],
      { max: 1, width: 40 },
    );
    expect(barLength(chart, "a")).toBe(barLength(chart, "b"));
    expect(chart.split("\n")[0]).toMatch(/ 2\.0000$/);
  });

  it("when the list is empty then prints (no data)", () => {
    expect(barChart([])).toBe("(no data)");
    expect(barChart([], { title: "accuracy" })).toBe("accuracy\n(no data)");
  });

  it("when labels are too wide then truncates them with an ellipsis", () => {
    const label = "late fusion with a very long descriptive name ".repeat(3);
    const chart = barChart([{ label, value: 1 }], { width: 50 });
    expect(chart.split("\n")[0]).toMatch(/^late fusion \S*… █/);
    expectFits(chart, 50);
  });

  it("marks the bars chosen by highlight", () => {
    const marked = (highlight: Parameters<typeof barChart>[1]) =>
      barChart(ACCURACY, { ...highlight, width: 60 })
        .split("\n")
        .filter((line) => line.endsWith("◀"))
        .map((line) => line.split(" ")[0]);
    expect(marked({ highlight: "max" })).toEqual(["early"]);
    expect(marked({ highlight: "min" })).toEqual(["audio"]);
    expect(marked({ highlight: 1 })).toEqual(["text"]);
    expect(marked({ highlight: (item) => item.value > 0.9 })).toEqual([
      "early",
      "cross",
    ]);
  });

  it("when every value is infinite then highlights nothing", () => {
    const items = [{ label: "a", value: -Infinity }];
    expect(barChart(items, { highlight: "min" })).not.toContain("◀");
  });

  it("when highlight is not an item index then throws RangeError", () => {
    expect(() => barChart(ACCURACY, { highlight: 6 })).toThrow(
      new RangeError("highlight must be an item index in [0, 5], got 6"),
    );
  });

  it("stays within width for every width from 20 to 120", () => {
    const items = [
      ...ACCURACY,
      { label: "a label far wider than any chart", value: -0.25 },
      { label: "missing", value: NaN },
    ];
    for (let width = 20; width <= 120; width++) {
      const chart = barChart(items, { width, unit: "acc", highlight: "max" });
      expectFits(chart, width);
      expectFits(barChart(items, { width, color: true }), width);
    }
  });

  it("colours only when color is set", () => {
    expect(barChart(ACCURACY, { highlight: 0 })).not.toContain("\x1b[");
    const coloured = barChart(ACCURACY, { highlight: 0, color: true });
    expect(coloured).toContain("\x1b[32m");
  });

  it("rejects bad arguments with the parameter's name", () => {
    expect(() => barChart(ACCURACY, { width: 10 })).toThrow(
      new RangeError("width must be an integer >= 20, got 10"),
    );
    expect(() => barChart(ACCURACY, { min: 1, max: 0.5 })).toThrow(
      new RangeError("max must be greater than min 1, got 0.5"),
    );
    expect(() => barChart(ACCURACY, { min: NaN })).toThrow(
      new RangeError("min must be finite, got NaN"),
    );
    const bad = [{ label: "a", value: "0.9" }] as unknown as BarItem[];
    expect(() => barChart(bad)).toThrow(
      new TypeError("items[0].value must be a number, got string"),
    );
  });

  it("when values span nearly all doubles then draws both bars", () => {
    const chart = barChart(
      [
        { label: "a", value: 1e308 },
        { label: "b", value: -1e308 },
      ],
      { width: 40 },
    );
    const [a, b] = chart.split("\n");
    expect(a).toMatch(/^a +│█+ +1\.0000e\+308$/);
    expect(b).toMatch(/^b █+│ +-1\.0000e\+308$/);
  });

  it("when values are huge then prints them in exponent notation", () => {
    const chart = barChart([{ label: "big", value: 3e25 }], { width: 40 });
    expect(chart.split("\n")[0]).toMatch(/ 3\.0000e\+25$/);
    expectFits(chart, 40);
  });
});

describe("groupedBarChart", () => {
  const groups = [
    { label: "early", values: [0.95, 0.93] },
    { label: "late", values: [0.86, 0.88] },
    { label: "cross", values: [0.945, NaN] },
  ];

  it("draws one glyph per series with a legend", () => {
    const chart = groupedBarChart(groups, ["logistic", "forest"], {
      min: 0.5,
      title: "accuracy per fusion method",
    });
    expect(chart).toMatchSnapshot();
    expectFits(chart, 80);
  });

  it("when ascii is set then draws with ASCII glyphs only", () => {
    const chart = groupedBarChart(groups, ["logistic", "forest"], {
      min: 0.5,
      ascii: true,
      width: 50,
    });
    expect(chart).toMatch(/^[\x20-\x7e\n]*$/);
    expect(chart.split("\n")[0]).toBe("# logistic  = forest");
  });

  it("when there are no groups then prints (no data)", () => {
    expect(groupedBarChart([], ["a"])).toBe("(no data)");
  });

  it("when a group has the wrong number of values then throws", () => {
    expect(() =>
      groupedBarChart([{ label: "g", values: [1] }], ["a", "b"]),
    ).toThrow(
      new RangeError(
        "groups[0].values must have 2 entries (one per series), got 1",
      ),
    );
    expect(() => groupedBarChart([], [])).toThrow(RangeError);
  });

  it("stays within width for every width from 20 to 120", () => {
    for (let width = 20; width <= 120; width++) {
      const names = ["logistic regression", "random forest"];
      expectFits(groupedBarChart(groups, names, { width }), width);
      const coloured = groupedBarChart(groups, names, { width, color: true });
      expectFits(coloured, width);
    }
  });
});

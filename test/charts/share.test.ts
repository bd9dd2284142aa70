import { describe, expect, it } from "vitest";
import { shareChart, visibleWidth } from "../../src/charts/index.js";

const DOMAINS = [
  { label: "healthcare", value: 0.25 },
  { label: "driving", value: 0.2 },
  { label: "service", value: 0.15 },
  { label: "education", value: 0.15 },
  { label: "media", value: 0.15 },
  { label: "finance", value: 0.1 },
];

/** The printed percentages, in item order ("n/a" rows give NaN). */
function percents(chart: string): number[] {
  return chart
    .split("\n")
    .map((line) => / (-?[\d.]+|n\/a)(?: %)?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m.input.startsWith(" "))
    .map((m) => (m[1] === "n/a" ? NaN : Number(m[1])));
}

describe("shareChart", () => {
  it("draws a course pie as bars with percentages (snapshot, width 80)", () => {
    const chart = shareChart(DOMAINS, { title: "application domains" });
    expect(chart).toMatchSnapshot();
    for (const line of chart.split("\n")) {
      expect(visibleWidth(line)).toBeLessThanOrEqual(80);
    }
  });

  it("when shares do not round evenly then the printed ones still sum to 100", () => {
    const thirds = [1, 1, 1].map((value, i) => ({ label: `p${i}`, value }));
    for (const digits of [0, 1, 2]) {
      const shown = percents(shareChart(thirds, { digits }));
      expect(shown).toHaveLength(3);
      const sum = shown.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(100, 10);
    }
    // Largest remainder: the unit left over goes to the first of the ties.
    expect(percents(shareChart(thirds, { digits: 0 }))).toEqual([34, 33, 33]);
  });

  it("takes counts as well as fractions: only the ratios matter", () => {
    const counts = DOMAINS.map((d) => ({ ...d, value: d.value * 40 }));
    expect(percents(shareChart(counts))).toEqual(percents(shareChart(DOMAINS)));
  });

  it("when a value is NaN or infinite then leaves it out of the total and notes it", () => {
    const items = [
      { label: "a", value: 3 },
      { label: "b", value: NaN },
      { label: "c", value: 1 },
      { label: "d", value: Infinity },
    ];
    const chart = shareChart(items);
    expect(percents(chart)).toEqual([75, NaN, 25, NaN]);
    expect(chart).toMatch(/n\/a: 2 values are NaN or infinite and not drawn/);
    expect(chart.split("\n").at(-1)).toBe("100% = 4, the sum of the values");
  });

  it("when the list is empty or sums to 0 then prints (no data)", () => {
    expect(shareChart([])).toBe("(no data)");
    expect(shareChart([{ label: "a", value: 0 }], { title: "t" })).toBe(
      "t\n(no data)",
    );
    expect(shareChart([{ label: "a", value: NaN }])).toBe("(no data)");
  });

  it("when one item holds everything then it gets 100% and the rest 0%", () => {
    const chart = shareChart([
      { label: "all", value: 5 },
      { label: "none", value: 0 },
    ]);
    expect(percents(chart)).toEqual([100, 0]);
  });

  it("stays within width for every width from 20 to 120, labels cut", () => {
    const long = DOMAINS.map((d) => ({ ...d, label: d.label.repeat(12) }));
    for (let width = 20; width <= 120; width++) {
      for (const line of shareChart(long, {
        width,
        title: "t".repeat(200),
      }).split("\n")) {
        expect(visibleWidth(line)).toBeLessThanOrEqual(width);
      }
    }
  });

  it("when ascii is set then draws with ASCII only", () => {
    expect(shareChart(DOMAINS, { ascii: true })).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it("rejects negative values and wrong types with the parameter's name", () => {
    expect(() => shareChart([{ label: "a", value: -1 }])).toThrow(
      new RangeError("items[0].value must be >= 0, got -1"),
    );
    const bad = [{ label: "a", value: "1" as unknown as number }];
    expect(() => shareChart(bad)).toThrow(
      new TypeError("items[0].value must be a number, got string"),
    );
    expect(() => shareChart(DOMAINS, { digits: 1.5 })).toThrow(RangeError);
  });
});

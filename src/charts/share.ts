/**
 * Share charts: what a pie chart shows, as one labelled bar per part with
 * its percentage of the whole. Bars are easier to compare than slices and
 * draw in any terminal.
 */
import { barChart, type BarItem } from "./bars.js";
import { checkDigits, NO_DATA, truncate } from "./table.js";

/** Options of {@link shareChart}. */
export interface ShareChartOptions {
  /** total width in columns, at least 20; default 80 */
  width?: number;
  /** decimals of the percentages; default 1 */
  digits?: number;
  /** first line of the chart */
  title?: string;
  /** ANSI colours; default false (the caller checks TTY and NO_COLOR) */
  color?: boolean;
  /** "#" bars only, for terminals without Unicode; default false */
  ascii?: boolean;
}

/**
 * Draw each item's share of the total as a bar with its percentage; the
 * longest bar is the largest share.
 *
 * Percentages are rounded to `digits` decimals by largest remainder, so the
 * printed ones always add up to exactly 100. NaN and ±Infinity are left out
 * of the total and print "n/a" with a note; an empty list, or values that
 * sum to 0, give "(no data)".
 *
 * @param items - the parts, in the order to draw them; values >= 0 in any
 *   unit (counts, fractions), only their ratios matter.
 * @returns lines joined with "\n", each at most `width` columns (ANSI codes
 *   not counted); no final newline.
 * @throws TypeError if a label is not a string or a value not a number.
 * @throws RangeError if a finite value is negative or an option is out of
 *   range.
 */
export function shareChart(
  items: readonly BarItem[],
  options: ShareChartOptions = {},
): string {
  const { digits = 1, width = 80, title } = options;
  checkDigits(digits);
  items.forEach(checkShare);

  const total = items.reduce(
    (sum, item) => (Number.isFinite(item.value) ? sum + item.value : sum),
    0,
  );
  if (!(total > 0)) {
    const head = title === undefined ? [] : [truncate(title, width)];
    return [...head, NO_DATA].join("\n");
  }

  const percents = roundedPercents(items, total, digits);
  const bars = items.map((item, i) => ({
    label: item.label,
    value: percents[i],
  }));
  const chart = barChart(bars, {
    width,
    digits,
    title,
    min: 0,
    unit: "%",
    color: options.color,
    ascii: options.ascii,
  });
  const footer = `100% = ${Number(total.toPrecision(6))}, the sum of the values`;
  return `${chart}\n${truncate(footer, width)}`;
}

function checkShare(item: BarItem, i: number): void {
  if (typeof item.label !== "string") {
    throw new TypeError(
      `items[${i}].label must be a string, got ${typeof item.label}`,
    );
  }
  if (typeof item.value !== "number") {
    throw new TypeError(
      `items[${i}].value must be a number, got ${typeof item.value}`,
    );
  }
  if (item.value < 0) {
    throw new RangeError(`items[${i}].value must be >= 0, got ${item.value}`);
  }
}

/**
 * Percentages of `total` in units of 10^-digits, rounded by largest
 * remainder (Hamilton's method): floor every share, then give the units
 * still missing from 100% to the largest remainders, earlier items first
 * on ties. Non-finite values stay NaN.
 */
function roundedPercents(
  items: readonly BarItem[],
  total: number,
  digits: number,
): number[] {
  const scale = 10 ** digits;
  const exact = items.map((item) =>
    Number.isFinite(item.value) ? (item.value / total) * 100 * scale : NaN,
  );
  const units = exact.map((x) => (Number.isNaN(x) ? NaN : Math.floor(x)));
  const assigned = units.reduce((s, u) => (Number.isNaN(u) ? s : s + u), 0);
  const missing = Math.round(100 * scale - assigned);

  const order = exact
    .map((x, i) => ({ i, rest: x - units[i] }))
    .filter(({ rest }) => !Number.isNaN(rest))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; k < missing && k < order.length; k++) units[order[k].i]++;
  return units.map((u) => u / scale);
}

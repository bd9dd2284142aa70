// Inline SVG charts for the demo page: grouped horizontal bars and line
// charts, with labelled axes and a legend when there is more than one
// series. Plain DOM, no libraries.

const SVG = "http://www.w3.org/2000/svg";

/** Series colours: distinguishable, and legible on white. */
export const PALETTE = ["#1f77b4", "#d95f02", "#2ca02c", "#9467bd", "#8c564b"];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Round tick values covering [min, max], about `count` of them. */
function ticks(min, max, count) {
  const span = max - min || 1;
  const raw = span / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Number(v.toFixed(10)));
  return out;
}

function legend(svg, names, x, y) {
  names.forEach((name, k) => {
    const dx = x + k * 150;
    svg.append(
      el("rect", { x: dx, y: y - 9, width: 12, height: 12, fill: PALETTE[k] }),
      el("text", { x: dx + 17, y: y + 2, class: "legend" }, name),
    );
  });
}

/**
 * Grouped horizontal bars: one group per label, one bar per series.
 * @param groups [{label, values: number[]}]
 * @param series names of the values, in order
 * @param opts {min, max, xLabel, title, digits}
 */
export function barChart(groups, series, opts) {
  const { min = 0, max = 1, xLabel = "", title = "", digits = 4 } = opts;
  const barH = 16;
  const gap = 10;
  const left = 140;
  const right = 70;
  const top = title ? 46 : 20;
  const width = 720;
  const plotW = width - left - right;
  const groupH = series.length * barH + gap;
  const height = top + groups.length * groupH + 50;
  const x = (v) => left + ((Math.max(v, min) - min) / (max - min)) * plotW;
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-label": title,
  });
  if (title) svg.append(el("text", { x: left, y: 16, class: "title" }, title));
  if (series.length > 1) legend(svg, series, left, 34);

  const axisY = top + groups.length * groupH;
  for (const t of ticks(min, max, 5)) {
    svg.append(
      el("line", { x1: x(t), x2: x(t), y1: top - 4, y2: axisY, class: "grid" }),
      el("text", { x: x(t), y: axisY + 16, class: "tick mid" }, t.toString()),
    );
  }
  groups.forEach((g, i) => {
    const y0 = top + i * groupH;
    svg.append(
      el(
        "text",
        { x: left - 8, y: y0 + (series.length * barH) / 2 + 4, class: "end" },
        g.label,
      ),
    );
    g.values.forEach((v, k) => {
      const y = y0 + k * barH;
      const bar = el("rect", {
        x: left,
        y: y + 1,
        width: Math.max(0, x(v) - left),
        height: barH - 2,
        fill: PALETTE[k],
      });
      bar.append(
        el("title", {}, `${g.label} ${series[k]}: ${v.toFixed(digits)}`),
      );
      svg.append(
        bar,
        el(
          "text",
          { x: x(v) + 4, y: y + barH - 4, class: "value" },
          v.toFixed(digits),
        ),
      );
    });
  });
  svg.append(
    el("line", {
      x1: left,
      x2: left + plotW,
      y1: axisY,
      y2: axisY,
      class: "axis",
    }),
    el(
      "text",
      { x: left + plotW / 2, y: axisY + 36, class: "label mid" },
      xLabel,
    ),
  );
  return svg;
}

/**
 * A line chart of one or more series over x = 0..n-1 (or given xs).
 * @param series [{name, values: number[], xs?: number[]}]
 * @param opts {xLabel, yLabel, title, width, height, logY}
 */
export function lineChart(series, opts = {}) {
  const {
    xLabel = "",
    yLabel = "",
    title = "",
    width = 340,
    height = 220,
    logY = false,
  } = opts;
  const left = 52;
  const right = 12;
  const top = title ? 28 : 12;
  const bottom = series.length > 1 ? 62 : 44;
  const f = logY ? Math.log10 : (v) => v;
  const all = series.flatMap((s) => s.values.map(f));
  const xsOf = (s) => s.xs ?? s.values.map((_, i) => i);
  const allX = series.flatMap(xsOf);
  let [yMin, yMax] = [Math.min(...all), Math.max(...all)];
  if (yMin === yMax) [yMin, yMax] = [yMin - 1, yMax + 1];
  const [xMin, xMax] = [Math.min(...allX), Math.max(...allX)];
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const px = (v) => left + ((v - xMin) / (xMax - xMin || 1)) * plotW;
  const py = (v) => top + plotH - ((f(v) - yMin) / (yMax - yMin)) * plotH;
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-label": title,
  });
  if (title) svg.append(el("text", { x: left, y: 16, class: "title" }, title));

  const yTicks = logY
    ? ticks(yMin, yMax, 4).filter((t) => Number.isInteger(t))
    : ticks(yMin, yMax, 4);
  for (const t of yTicks) {
    const y = top + plotH - ((t - yMin) / (yMax - yMin)) * plotH;
    const shown = logY ? `1e${t}` : String(t);
    svg.append(
      el("line", { x1: left, x2: left + plotW, y1: y, y2: y, class: "grid" }),
      el("text", { x: left - 4, y: y + 4, class: "tick end" }, shown),
    );
  }
  for (const t of ticks(xMin, xMax, 4)) {
    svg.append(
      el(
        "text",
        { x: px(t), y: top + plotH + 16, class: "tick mid" },
        String(t),
      ),
    );
  }
  series.forEach((s, k) => {
    const xs = xsOf(s);
    const d = s.values
      .map(
        (v, i) => `${i ? "L" : "M"}${px(xs[i]).toFixed(1)},${py(v).toFixed(1)}`,
      )
      .join("");
    svg.append(
      el("path", { d, stroke: PALETTE[k % PALETTE.length], class: "line" }),
    );
  });
  svg.append(
    el("rect", {
      x: left,
      y: top,
      width: plotW,
      height: plotH,
      class: "frame",
    }),
    el(
      "text",
      { x: left + plotW / 2, y: top + plotH + 34, class: "label mid" },
      xLabel,
    ),
    el(
      "text",
      {
        x: 12,
        y: top + plotH / 2,
        class: "label mid",
        transform: `rotate(-90 12 ${top + plotH / 2})`,
      },
      yLabel,
    ),
  );
  if (series.length > 1)
    legend(
      svg,
      series.map((s) => s.name),
      left,
      height - 8,
    );
  return svg;
}

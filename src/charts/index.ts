/** Text tables and ASCII/Unicode charts for the CLI; no Node APIs used. */
export {
  barChart,
  groupedBarChart,
  type BarChartOptions,
  type BarGroup,
  type BarItem,
  type Highlight,
  type SingleBarChartOptions,
} from "./bars.js";
export { lineChart, type LineChartOptions, type LineSeries } from "./line.js";
export { shareChart, type ShareChartOptions } from "./share.js";
export {
  formatNumber,
  formatTable,
  NO_DATA,
  pad,
  truncate,
  visibleWidth,
  wrapText,
  type TableColumn,
  type TableOptions,
} from "./table.js";

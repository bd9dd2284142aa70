// Writes the course's synthetic modalities as CSV files, one per modality,
// each with the label column, to show the format `wasmlearn fusion
// --modality NAME=FILE.csv --label label` reads. Run after `npm ci`:
//   node examples/make-csv.mjs [outDir] [nSamples]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeMultimodal } from "wasmlearn";

const outDir = process.argv[2] ?? "examples/data";
const nSamples = Number(process.argv[3] ?? 300);
const data = makeMultimodal({ nSamples, seed: 7 });

mkdirSync(outDir, { recursive: true });
for (const { name, X } of data.modalities) {
  const header = [
    ...Array.from({ length: X.cols }, (_, j) => `${name}${j + 1}`),
    "label",
  ];
  const lines = [header.join(",")];
  for (let i = 0; i < X.rows; i++) {
    const row = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols), (v) =>
      v.toFixed(5),
    );
    lines.push([...row, data.y[i]].join(","));
  }
  const path = join(outDir, `${name}.csv`);
  writeFileSync(path, lines.join("\n") + "\n");
  console.log(`wrote ${path} (${X.rows} rows, ${X.cols} features + label)`);
}

/**
 * Dumps the synthetic three-modality data (makeMultimodal, nSamples 1000)
 * for seeds 0..19 and 42 as JSON, so that test/models/fixtures/make_fixtures.py
 * can fit scikit-learn on exactly the data our tests regenerate.
 *
 *   npx tsx scripts/dump-synthetic.ts [outDir]
 *
 * outDir defaults to /tmp/wasmlearn-synthetic. One file per seed,
 * seed-<n>.json = { seed, nSamples, image, text, audio, y }, each modality
 * an array of rows. JSON.stringify prints every double in its shortest
 * round-trip form, so Python's json module reads back the same bits.
 * The dumps are not committed: tests rebuild the data from the seed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeMultimodal } from "../src/data/synthetic.js";
import type { Matrix } from "../src/data/matrix.js";

const N_SAMPLES = 1000;
const SEEDS = [...Array.from({ length: 20 }, (_, i) => i), 42];

function rows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  }
  return out;
}

const outDir = process.argv[2] ?? "/tmp/wasmlearn-synthetic";
mkdirSync(outDir, { recursive: true });

for (const seed of SEEDS) {
  const ds = makeMultimodal({ nSamples: N_SAMPLES, seed });
  const record: Record<string, unknown> = { seed, nSamples: N_SAMPLES };
  for (const mod of ds.modalities) record[mod.name] = rows(mod.X);
  record.y = ds.y;
  writeFileSync(join(outDir, `seed-${seed}.json`), JSON.stringify(record));
}
console.log(`wrote ${SEEDS.length} files to ${outDir}`);

/**
 * Wasm wrappers of the tree kernels (assembly/tree.ts). A `TreeBuilder`
 * keeps X (column-major), y, the per-feature presort, the k ln k table, the
 * scratch and room for the largest possible tree in Wasm memory for its
 * whole life; each `grow` copies only the grown nodes out.
 */
import type {
  FlatForest,
  FlatTree,
  TreeBuilder,
  TreeGrowOptions,
} from "../backend.js";
import type { Matrix } from "../data/matrix.js";
import { CRITERION_CODES, columnMajor, maxTreeNodes } from "../kernels/tree.js";
import { WasmArena, withArena } from "./memory.js";

/** Node arrays of one tree inside Wasm memory, with room for `capacity` nodes. */
interface NodePtrs {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  impurity: number;
  nNodeSamples: number;
  weighted: number;
  value: number;
}

function allocNodes(arena: WasmArena, capacity: number, K: number): NodePtrs {
  return {
    feature: arena.alloc(4 * capacity, "tree features"),
    threshold: arena.allocF64(capacity, "tree thresholds"),
    left: arena.alloc(4 * capacity, "tree left children"),
    right: arena.alloc(4 * capacity, "tree right children"),
    impurity: arena.allocF64(capacity, "tree impurities"),
    nNodeSamples: arena.alloc(4 * capacity, "tree sample counts"),
    weighted: arena.allocF64(capacity, "tree weights"),
    value: arena.allocF64(capacity * K, "tree class counts"),
  };
}

function copyOutTree(
  arena: WasmArena,
  p: NodePtrs,
  nodeCount: number,
  K: number,
): FlatTree {
  // Nothing below allocates in Wasm memory, so one buffer serves all views.
  const buf = arena.exports.memory.buffer;
  return {
    nodeCount,
    feature: copyI32(buf, p.feature, nodeCount),
    threshold: arena.copyOutF64(p.threshold, nodeCount),
    left: copyI32(buf, p.left, nodeCount),
    right: copyI32(buf, p.right, nodeCount),
    impurity: arena.copyOutF64(p.impurity, nodeCount),
    nNodeSamples: copyI32(buf, p.nNodeSamples, nodeCount),
    weightedNNodeSamples: arena.copyOutF64(p.weighted, nodeCount),
    value: arena.copyOutF64(p.value, nodeCount * K),
  };
}

function copyI32(buf: ArrayBuffer, ptr: number, n: number): Int32Array {
  const out = new Int32Array(n);
  out.set(new Int32Array(buf, ptr, n));
  return out;
}

function copyInI32(arena: WasmArena, src: Int32Array, what: string): number {
  const ptr = arena.alloc(4 * src.length, what);
  new Int32Array(arena.exports.memory.buffer, ptr, src.length).set(src);
  return ptr;
}

/**
 * Copies X and y into Wasm memory and presorts there. Holds about
 * nSamples x (12 nFeatures + 64 + 8 nClasses x 2) bytes until `dispose()`.
 * @throws WasmMemoryError when the data cannot fit in Wasm memory
 */
export function treeBuilder(
  X: Matrix,
  y: Int32Array,
  nClasses: number,
): TreeBuilder {
  const n = X.rows;
  const d = X.cols;
  const K = nClasses;
  const capacity = maxTreeNodes(n);
  const arena = new WasmArena();
  try {
    const ex = arena.exports;
    const xCol = arena.copyIn(columnMajor(X), "training matrix X");
    const yPtr = copyInI32(arena, y, "labels y");
    const presort = arena.alloc(4 * d * n, "presorted sample order");
    const scratch = arena.alloc(4 * n, "sort buffer");
    const xlogx = arena.allocF64(n + 1, "entropy table");
    const weight = arena.allocF64(n, "sample weights");
    const work = arena.alloc(ex.treeWorkLength(n, d, K), "tree scratch");
    const nodes = allocNodes(arena, capacity, K);
    ex.treePresort(xCol, n, d, presort, scratch);
    ex.treeXlogx(xlogx, n);
    return {
      grow(options: TreeGrowOptions, seed: number, withSampleCounts = false) {
        const nodeCount = ex.treeGrow(
          xCol,
          yPtr,
          presort,
          xlogx,
          n,
          d,
          K,
          CRITERION_CODES[options.criterion],
          options.maxDepth,
          options.minSamplesSplit,
          options.minSamplesLeaf,
          options.maxFeatures,
          options.bootstrap ? 1 : 0,
          seed >>> 0,
          weight,
          work,
          nodes.feature,
          nodes.threshold,
          nodes.left,
          nodes.right,
          nodes.impurity,
          nodes.nNodeSamples,
          nodes.weighted,
          nodes.value,
        );
        return {
          tree: copyOutTree(arena, nodes, nodeCount, K),
          sampleCounts: withSampleCounts ? arena.copyOutF64(weight, n) : null,
        };
      },
      dispose() {
        arena.free();
      },
    };
  } catch (err) {
    arena.free();
    throw err;
  }
}

/** Copies X and the forest in, runs `forestProba`, copies the probabilities out. */
export function forestProba(
  X: Matrix,
  forest: FlatForest,
  nClasses: number,
): Float64Array {
  return withArena("forestProba", (arena) => {
    const xPtr = arena.copyIn(X.data, "matrix X");
    const roots = copyInI32(arena, forest.roots, "tree roots");
    const feature = copyInI32(arena, forest.feature, "tree features");
    const threshold = arena.copyIn(forest.threshold, "tree thresholds");
    const left = copyInI32(arena, forest.left, "tree left children");
    const right = copyInI32(arena, forest.right, "tree right children");
    const value = arena.copyIn(forest.value, "tree class counts");
    const out = arena.allocF64(X.rows * nClasses, "probabilities");
    arena.exports.forestProba(
      xPtr,
      X.rows,
      X.cols,
      nClasses,
      forest.nTrees,
      roots,
      feature,
      threshold,
      left,
      right,
      value,
      out,
    );
    return arena.copyOutF64(out, X.rows * nClasses);
  });
}

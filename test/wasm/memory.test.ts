import { describe, expect, it } from "vitest";
import { getBackend } from "../../src/backend.js";
import { Rng } from "../../src/kernels/rng.js";
import { wasm } from "../../src/wasm/load.js";
import { WasmArena, WasmMemoryError } from "../../src/wasm/memory.js";

const wasmBackend = getBackend("wasm");
const tsBackend = getBackend("ts");

function randomArray(seed: number, length: number): Float64Array {
  return new Rng(seed).fillNormal(length);
}

/** True when every element has the same bits (NaN equals NaN). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe("WasmArena", () => {
  it("when memory grows then fresh views still see the data", () => {
    const arena = new WasmArena();
    try {
      const ptr = arena.copyIn(Float64Array.of(1, 2, 3));
      const stale = arena.f64(ptr, 3);
      const bytes = arena.exports.memory.buffer.byteLength;
      arena.alloc(bytes + 65536, "growth");
      // memory.grow detached the old buffer: views made before it are empty
      expect(arena.exports.memory.buffer.byteLength).toBeGreaterThan(bytes);
      expect(stale.length).toBe(0);
      expect(Array.from(arena.f64(ptr, 3))).toEqual([1, 2, 3]);
    } finally {
      arena.free();
    }
  });

  it("when asked for 2 GiB then it throws WasmMemoryError", () => {
    const before = wasm();
    const arena = new WasmArena();
    try {
      expect(() => arena.alloc(2 ** 31, "huge buffer")).toThrow(
        new WasmMemoryError(
          "huge buffer needs 2.0 GiB of wasm memory, but one block is " +
            "limited to 1 GiB: use smaller inputs",
        ),
      );
    } finally {
      arena.free();
    }
    // The size is checked before Wasm is called: no trap, same instance.
    expect(wasm()).toBe(before);
    const A = randomArray(1, 6);
    const B = randomArray(2, 6);
    const C = wasmBackend.matmul(A, B, 2, 3, 2);
    expect(sameBits(C, tsBackend.matmul(A, B, 2, 3, 2))).toBe(true);
  });
});

describe("matmul and matvec memory", () => {
  it("when C outgrows memory then matmul grows it and is correct", () => {
    // A and B (2 x side each) fit in the allocator's free space; C
    // (side^2 f64) is larger than all of memory, so allocating C or the
    // packing scratch after A and B are copied in must grow memory and
    // detach every view made before.
    const ex = wasm();
    const buffer = ex.memory.buffer;
    const bytes = buffer.byteLength;
    const side = Math.ceil(Math.sqrt(bytes / 8)) + 8;
    const k = 2;
    const A = randomArray(3, side * k);
    const B = randomArray(4, k * side);

    const C = wasmBackend.matmul(A, B, side, k, side);
    expect(ex.memory.buffer.byteLength).toBeGreaterThan(bytes);
    expect(buffer.byteLength).toBe(0); // detached by memory.grow
    expect(sameBits(C, tsBackend.matmul(A, B, side, k, side))).toBe(true);
  });

  it("when C would exceed 1 GiB then matmul throws WasmMemoryError", () => {
    // k = 0 keeps A and B empty: only C (12,000^2 f64 = 1.07 GiB) is large,
    // and it is refused before anything is allocated.
    const before = wasm();
    const empty = new Float64Array(0);
    expect(() => wasmBackend.matmul(empty, empty, 12_000, 0, 12_000)).toThrow(
      new WasmMemoryError(
        "matrix C needs 1.1 GiB of wasm memory, but one block is " +
          "limited to 1 GiB: use smaller inputs",
      ),
    );
    expect(wasm()).toBe(before);
    const A = randomArray(5, 12);
    const x = randomArray(6, 4);
    const y = wasmBackend.matvec(A, x, 3, 4);
    expect(sameBits(y, tsBackend.matvec(A, x, 3, 4))).toBe(true);
  });

  it("keeps memory at one size over 20,000 small calls", () => {
    // Every call frees what it allocated, so after the first calls the
    // allocator reuses the same blocks and memory never grows again.
    const A = randomArray(7, 5 * 7);
    const B = randomArray(8, 7 * 3);
    const x = randomArray(9, 7);
    const ex = wasm();
    for (let i = 0; i < 10; i++) {
      wasmBackend.matmul(A, B, 5, 7, 3);
      wasmBackend.matvec(A, x, 5, 7);
    }
    const bytes = ex.memory.buffer.byteLength;
    for (let i = 0; i < 10_000; i++) {
      wasmBackend.matmul(A, B, 5, 7, 3);
      wasmBackend.matvec(A, x, 5, 7);
    }
    expect(ex.memory.buffer.byteLength).toBe(bytes);
    expect(wasm()).toBe(ex);
  });
});

// Raw memory for the kernels. The TypeScript side allocates every buffer a
// kernel reads or writes, copies inputs in and results out, then frees them;
// kernels themselves never allocate, so the allocator is the only state.

/** Allocates `byteLength` bytes (16-byte aligned); returns the pointer. */
export function alloc(byteLength: usize): usize {
  return heap.alloc(byteLength);
}

/** Frees a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

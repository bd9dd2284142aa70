// Which build this module is, so the loader can report it whatever URL or
// bytes it was loaded from.

/** 1 in the SIMD build (release.wasm), 0 in the scalar one (release-scalar.wasm). */
export function buildSimd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

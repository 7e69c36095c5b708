// The float32 product kernels' shared steps (lateral_f32_amd64.s and
// lateral_f32_avx512_amd64.s): the image product's arguments, row address
// and prefetch, and the lateral gradient's sum of eight lanes.

// SPMM_AHEAD is how many terms ahead the image-product kernels prefetch.
#define SPMM_AHEAD 12

// SPMM_ROW sets AX to the address of row idx[t] of m (R8 at idx[t], SI at
// m, DX the row stride in bytes).
#define SPMM_ROW MOVLQSX (R8), AX; IMULQ DX, AX; ADDQ SI, AX

// SPMM_PREFETCH prefetches the 192 bytes (48 columns) of the row of the
// term SPMM_AHEAD later: rows picked by index defeat the hardware
// prefetcher.
#define SPMM_PREFETCH \
	MOVLQSX (SPMM_AHEAD*4)(R8), BX; IMULQ DX, BX; ADDQ SI, BX; \
	PREFETCHT0 0(BX); PREFETCHT0 64(BX); PREFETCHT0 128(BX)

// SPMM_ARGS loads the kernels' common arguments: out DI, m SI, the row
// stride in bytes DX, idx R8, val R9, n CX.
#define SPMM_ARGS \
	MOVQ out+0(FP), DI; MOVQ m+8(FP), SI; MOVQ stride+16(FP), DX; SHLQ $2, DX; \
	MOVQ idx+24(FP), R8; MOVQ val+32(FP), R9; MOVQ n+40(FP), CX

// FB_SUM stores at off(DI) the lane sums a added as hsum8 does.
#define FB_SUM(a, x, off) \
	VEXTRACTF128 $1, a, X8; VADDPS X8, x, x; \
	VMOVHLPS x, x, X9; VADDPS X9, x, x; \
	VMOVSHDUP x, X9; VADDSS X9, x, x; \
	VMOVSS x, off(DI)

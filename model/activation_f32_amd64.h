// The float32 activation kernels' argument loading, shared by the AVX2
// (activation_f32_amd64.s) and AVX-512 (activation_f32_avx512_amd64.s)
// versions, whose Go signatures are the same.

// THREE_FWD_ARGS: theta DI, r SI, c BX, l R8, n CX, k AX, s R12; R13 and
// R14 the addresses nextR and nextL bytes after r and l.
#define THREE_FWD_ARGS \
	MOVQ theta+0(FP), DI; MOVQ r+8(FP), SI; MOVQ c+16(FP), BX; MOVQ l+24(FP), R8; \
	MOVQ n+32(FP), CX; MOVQ k+40(FP), AX; MOVQ s+48(FP), R12; \
	MOVQ nextR+56(FP), R13; ADDQ SI, R13; MOVQ nextL+64(FP), R14; ADDQ R8, R14

// THREE_BWD_ARGS: dr DI, dc R9, dl R10, r SI, c BX, l R8, d R11, n CX, k
// AX, s R12, next R13.
#define THREE_BWD_ARGS \
	MOVQ dr+0(FP), DI; MOVQ dc+8(FP), R9; MOVQ dl+16(FP), R10; \
	MOVQ r+24(FP), SI; MOVQ c+32(FP), BX; MOVQ l+40(FP), R8; MOVQ d+48(FP), R11; \
	MOVQ n+56(FP), CX; MOVQ k+64(FP), AX; MOVQ s+72(FP), R12; MOVQ next+80(FP), R13

// GRAETZ_FWD_ARGS: theta DI, r SI, c BX, n CX, k AX, s R12; R13 the address
// next bytes after r.
#define GRAETZ_FWD_ARGS \
	MOVQ theta+0(FP), DI; MOVQ r+8(FP), SI; MOVQ c+16(FP), BX; MOVQ n+24(FP), CX; \
	MOVQ k+32(FP), AX; MOVQ s+40(FP), R12; MOVQ next+48(FP), R13; ADDQ SI, R13

// GRAETZ_BWD_ARGS: dr DI, dc R9, r SI, c BX, d R11, n CX, k AX, s R12,
// next R13.
#define GRAETZ_BWD_ARGS \
	MOVQ dr+0(FP), DI; MOVQ dc+8(FP), R9; MOVQ r+16(FP), SI; MOVQ c+24(FP), BX; \
	MOVQ d+32(FP), R11; MOVQ n+40(FP), CX; MOVQ k+48(FP), AX; MOVQ s+56(FP), R12; \
	MOVQ next+64(FP), R13

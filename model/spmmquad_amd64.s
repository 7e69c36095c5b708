// spmmQuad32AVX512: the dense compartments' products (matmul.go) for four
// output rows at once, so that every 32-column segment of W (forward) or δ
// (backward) loaded from L2 serves four rows instead of one. The four rows'
// non-zeros are merged in index order; a row absent from an entry is
// skipped by a masked add, so each row's sums get exactly the products, in
// the order, of spmm (a product, then a sum).

#include "textflag.h"

// QUAD_ROW adds the product of the broadcast value b and the four W vectors
// Z16 … Z19 to row accumulators a0 … a3 where the row's mask k is set.
#define QUAD_ROW(b, k, a0, a1, a2, a3) \
	VMULPD Z16, b, Z24; VADDPD Z24, a0, k, a0; \
	VMULPD Z17, b, Z25; VADDPD Z25, a1, k, a1; \
	VMULPD Z18, b, Z26; VADDPD Z26, a2, k, a2; \
	VMULPD Z19, b, Z27; VADDPD Z27, a3, k, a3

// QUAD_LOAD and QUAD_STORE move one row's 32 accumulators from or to p.
#define QUAD_LOAD(p, a0, a1, a2, a3) \
	VMOVUPD 0(p), a0; VMOVUPD 64(p), a1; VMOVUPD 128(p), a2; VMOVUPD 192(p), a3
#define QUAD_STORE(p, a0, a1, a2, a3) \
	VMOVUPD a0, 0(p); VMOVUPD a1, 64(p); VMOVUPD a2, 128(p); VMOVUPD a3, 192(p)

// func spmmQuad32AVX512(out *float64, oStride int, m *float64, mStride int, idx *int32, val *float64, msk *uint8, n int)
//
// For rows r < 4 and columns j < 32:
// out[r·oStride+j] += val[4t+r]·m[idx[t]·mStride+j] for t < n in order,
// where msk[4t+r] is 0xff (0: the row has no such entry).
TEXT ·spmmQuad32AVX512(SB), NOSPLIT, $0-64
	MOVQ out+0(FP), DI
	MOVQ oStride+8(FP), R10
	SHLQ $3, R10
	MOVQ m+16(FP), SI
	MOVQ mStride+24(FP), DX
	SHLQ $3, DX
	MOVQ idx+32(FP), R8
	MOVQ val+40(FP), R9
	MOVQ msk+48(FP), BX
	MOVQ n+56(FP), CX
	LEAQ (DI)(R10*1), R11
	LEAQ (R11)(R10*1), R12
	LEAQ (R12)(R10*1), R13

	QUAD_LOAD(DI, Z0, Z1, Z2, Z3)
	QUAD_LOAD(R11, Z4, Z5, Z6, Z7)
	QUAD_LOAD(R12, Z8, Z9, Z10, Z11)
	QUAD_LOAD(R13, Z12, Z13, Z14, Z15)
	TESTQ CX, CX
	JZ    store

loop:
	MOVLQSX      (R8), AX
	IMULQ        DX, AX
	ADDQ         SI, AX
	KMOVB        0(BX), K1
	KMOVB        1(BX), K2
	KMOVB        2(BX), K3
	KMOVB        3(BX), K4
	VMOVUPD      0(AX), Z16
	VMOVUPD      64(AX), Z17
	VMOVUPD      128(AX), Z18
	VMOVUPD      192(AX), Z19
	VBROADCASTSD 0(R9), Z20
	VBROADCASTSD 8(R9), Z21
	VBROADCASTSD 16(R9), Z22
	VBROADCASTSD 24(R9), Z23
	QUAD_ROW(Z20, K1, Z0, Z1, Z2, Z3)
	QUAD_ROW(Z21, K2, Z4, Z5, Z6, Z7)
	QUAD_ROW(Z22, K3, Z8, Z9, Z10, Z11)
	QUAD_ROW(Z23, K4, Z12, Z13, Z14, Z15)
	ADDQ         $4, R8
	ADDQ         $32, R9
	ADDQ         $4, BX
	DECQ         CX
	JNZ          loop

store:
	QUAD_STORE(DI, Z0, Z1, Z2, Z3)
	QUAD_STORE(R11, Z4, Z5, Z6, Z7)
	QUAD_STORE(R12, Z8, Z9, Z10, Z11)
	QUAD_STORE(R13, Z12, Z13, Z14, Z15)
	VZEROUPPER
	RET

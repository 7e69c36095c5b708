// The readout's 10-output products (narrow10.go) four rows at a time
// (AVX-512): each row's sums get the same products added in the same order
// as narrowRow10 and narrowGrad10, but the W row (forward) or gradient row
// (backward) is loaded once for four rows. A zero input is skipped, as
// there, by a masked add that leaves the sum untouched; NaN is not zero.

#include "textflag.h"

// N10_ROWS sets R9 … R11 to the rows after R8's, DX·8 bytes apart (DX =
// xStride); N10_NEXT moves all four to their next input.
#define N10_ROWS SHLQ $3, DX; LEAQ (R8)(DX*1), R9; LEAQ (R9)(DX*1), R10; LEAQ (R10)(DX*1), R11
#define N10_NEXT ADDQ $8, R8; ADDQ $8, R9; ADDQ $8, R10; ADDQ $8, R11

// N10_ROW adds x·w to the sums lo (lanes 0–7) and hi (lanes 8–9) of one
// row where x (at (xp)) is not zero; w is in Z8 and X9.
#define N10_ROW(xp, lo, hi) \
	VBROADCASTSD (xp), Z10; VCMPPD $4, Z31, Z10, K1; \
	VMULPD Z8, Z10, Z11; VADDPD Z11, lo, K1, lo; \
	VMULPD X9, X10, X12; VADDPD X12, hi, K1, hi

// func narrow10x4AVX512(o, b, w, x *float64, xStride, n int)
//
// For rows q < 4: o[10q : 10q+10] = b + Σ_i x[q·xStride+i]·w[10i : 10i+10]
// over the i < n with a non-zero x, in input order.
TEXT ·narrow10x4AVX512(SB), NOSPLIT, $0-48
	MOVQ o+0(FP), DI
	MOVQ b+8(FP), AX
	MOVQ w+16(FP), SI
	MOVQ x+24(FP), R8
	MOVQ xStride+32(FP), DX
	MOVQ n+40(FP), CX
	N10_ROWS
	VPXORQ  Z31, Z31, Z31
	VMOVUPD (AX), Z0
	VMOVUPD Z0, Z1
	VMOVUPD Z0, Z2
	VMOVUPD Z0, Z3
	VMOVUPD 64(AX), X4
	VMOVUPD X4, X5
	VMOVUPD X4, X6
	VMOVUPD X4, X7
	TESTQ   CX, CX
	JZ      n10store

n10loop:
	VMOVUPD (SI), Z8
	VMOVUPD 64(SI), X9
	N10_ROW(R8, Z0, X4)
	N10_ROW(R9, Z1, X5)
	N10_ROW(R10, Z2, X6)
	N10_ROW(R11, Z3, X7)
	ADDQ $80, SI
	N10_NEXT
	DECQ CX
	JNZ  n10loop

n10store:
	VMOVUPD Z0, (DI)
	VMOVUPD X4, 64(DI)
	VMOVUPD Z1, 80(DI)
	VMOVUPD X5, 144(DI)
	VMOVUPD Z2, 160(DI)
	VMOVUPD X6, 224(DI)
	VMOVUPD Z3, 240(DI)
	VMOVUPD X7, 304(DI)
	VZEROUPPER
	RET

// N10_GRAD adds x·d (d in dlo, dhi) to the gradient row in Z0, X1 where x
// (at (xp)) is not zero.
#define N10_GRAD(xp, dlo, dhi) \
	VBROADCASTSD (xp), Z10; VCMPPD $4, Z31, Z10, K1; \
	VMULPD dlo, Z10, Z11; VADDPD Z11, Z0, K1, Z0; \
	VMULPD dhi, X10, X12; VADDPD X12, X1, K1, X1

// func narrowGrad10x4AVX512(grad, d, x *float64, xStride, n int)
//
// For k < n and rows q = 0…3 in order: grad[10k : 10k+10] += x[q·xStride+k]·
// d[10q : 10q+10] where that x is not zero.
TEXT ·narrowGrad10x4AVX512(SB), NOSPLIT, $0-40
	MOVQ grad+0(FP), SI
	MOVQ d+8(FP), AX
	MOVQ x+16(FP), R8
	MOVQ xStride+24(FP), DX
	MOVQ n+32(FP), CX
	N10_ROWS
	VPXORQ  Z31, Z31, Z31
	VMOVUPD (AX), Z16
	VMOVUPD 64(AX), X20
	VMOVUPD 80(AX), Z17
	VMOVUPD 144(AX), X21
	VMOVUPD 160(AX), Z18
	VMOVUPD 224(AX), X22
	VMOVUPD 240(AX), Z19
	VMOVUPD 304(AX), X23
	TESTQ   CX, CX
	JZ      g10done

g10loop:
	VMOVUPD (SI), Z0
	VMOVUPD 64(SI), X1
	N10_GRAD(R8, Z16, X20)
	N10_GRAD(R9, Z17, X21)
	N10_GRAD(R10, Z18, X22)
	N10_GRAD(R11, Z19, X23)
	VMOVUPD Z0, (SI)
	VMOVUPD X1, 64(SI)
	ADDQ $80, SI
	N10_NEXT
	DECQ CX
	JNZ  g10loop

g10done:
	VZEROUPPER
	RET

// The AVX2 kernels do the same with 4-lane registers: lanes 0–3, 4–7 and 8–9
// of a 10-value row in a Y, a Y and an X register. AVX2 has no mask
// registers, so a zero input's row is kept by a blend: the sum with the
// product is computed and discarded (a zero times an infinite weight is
// NaN there, never in the result).

// N10A_PART adds x (Y14) times the 4 (or 2) values at w to sum where the
// mask Y13 is set: Y15 = sum + x·w, then sum = mask ? Y15 : sum.
#define N10A_PART(w, sum) \
	VMULPD w, Y14, Y15; VADDPD Y15, sum, Y15; VBLENDVPD Y13, Y15, sum, sum
#define N10A_PARTX(w, sum) \
	VMULPD w, X14, X15; VADDPD X15, sum, X15; VBLENDVPD X13, X15, sum, sum

// N10A_ROW adds x·w (w at SI) to one row's sums s0, s1, s2 where x (at
// (xp)) is not zero (VCMPPD $4 is ≠, NaN included, as Go's v == 0 test).
#define N10A_ROW(xp, s0, s1, s2) \
	VBROADCASTSD (xp), Y14; VCMPPD $4, Y12, Y14, Y13; \
	N10A_PART((SI), s0); N10A_PART(32(SI), s1); N10A_PARTX(64(SI), s2)

// func narrow10x4AVX2(o, b, w, x *float64, xStride, n int)
//
// narrow10x4AVX512 for AVX2: the same sums in the same order.
TEXT ·narrow10x4AVX2(SB), NOSPLIT, $0-48
	MOVQ o+0(FP), DI
	MOVQ b+8(FP), AX
	MOVQ w+16(FP), SI
	MOVQ x+24(FP), R8
	MOVQ xStride+32(FP), DX
	MOVQ n+40(FP), CX
	N10_ROWS
	VXORPD  Y12, Y12, Y12
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), X2
	VMOVUPD Y0, Y3
	VMOVUPD Y1, Y4
	VMOVUPD X2, X5
	VMOVUPD Y0, Y6
	VMOVUPD Y1, Y7
	VMOVUPD X2, X8
	VMOVUPD Y0, Y9
	VMOVUPD Y1, Y10
	VMOVUPD X2, X11
	TESTQ   CX, CX
	JZ      n10astore

n10aloop:
	N10A_ROW(R8, Y0, Y1, X2)
	N10A_ROW(R9, Y3, Y4, X5)
	N10A_ROW(R10, Y6, Y7, X8)
	N10A_ROW(R11, Y9, Y10, X11)
	ADDQ $80, SI
	N10_NEXT
	DECQ CX
	JNZ  n10aloop

n10astore:
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD X2, 64(DI)
	VMOVUPD Y3, 80(DI)
	VMOVUPD Y4, 112(DI)
	VMOVUPD X5, 144(DI)
	VMOVUPD Y6, 160(DI)
	VMOVUPD Y7, 192(DI)
	VMOVUPD X8, 224(DI)
	VMOVUPD Y9, 240(DI)
	VMOVUPD Y10, 272(DI)
	VMOVUPD X11, 304(DI)
	VZEROUPPER
	RET

// N10A_GRAD adds x·d (d: one row's 10 values at dp) to the gradient row in
// Y0, Y1, X2 where x (at (xp)) is not zero.
#define N10A_GRAD(xp, dp) \
	VBROADCASTSD (xp), Y14; VCMPPD $4, Y12, Y14, Y13; \
	N10A_PART(dp(AX), Y0); N10A_PART(dp+32(AX), Y1); N10A_PARTX(dp+64(AX), X2)

// func narrowGrad10x4AVX2(grad, d, x *float64, xStride, n int)
//
// narrowGrad10x4AVX512 for AVX2: the same sums in the same order.
TEXT ·narrowGrad10x4AVX2(SB), NOSPLIT, $0-40
	MOVQ grad+0(FP), SI
	MOVQ d+8(FP), AX
	MOVQ x+16(FP), R8
	MOVQ xStride+24(FP), DX
	MOVQ n+32(FP), CX
	N10_ROWS
	VXORPD Y12, Y12, Y12
	TESTQ  CX, CX
	JZ     g10adone

g10aloop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), X2
	N10A_GRAD(R8, 0)
	N10A_GRAD(R9, 80)
	N10A_GRAD(R10, 160)
	N10A_GRAD(R11, 240)
	VMOVUPD Y0, (SI)
	VMOVUPD Y1, 32(SI)
	VMOVUPD X2, 64(SI)
	ADDQ $80, SI
	N10_NEXT
	DECQ CX
	JNZ  g10aloop

g10adone:
	VZEROUPPER
	RET

// AVX-512 and AVX2 kernels of the sparse lateral compartment. They read the lateral
// input transposed (xT: one row of Rows values per input neuron) and perform
// exactly the scalar code's products and sums, in the same order, lane by
// lane (no fused multiply-add), so the results are bit-identical.

#include "textflag.h"

// func latFwdAVX512(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int)
//
// For nj neurons (partners part[j*k:(j+1)*k], weights w[j*k:(j+1)*k]) and
// the 32 rows starting at xT: outT[j*32+r] = bias[j] + Σ_t w[j*k+t]·xT[part[j*k+t]*rows+r],
// the sum taken in order t = 0, 1, …; rowBytes = 8·rows.
TEXT ·latFwdAVX512(SB), NOSPLIT, $0-64
	MOVQ outT+0(FP), DI
	MOVQ xT+8(FP), R9
	MOVQ rowBytes+16(FP), R8
	MOVQ part+24(FP), SI
	MOVQ w+32(FP), R10
	MOVQ bias+40(FP), R11
	MOVQ nj+48(FP), BX
	MOVQ k+56(FP), R12
	TESTQ BX, BX
	JZ    fdone

fj:
	VBROADCASTSD (R11), Z0
	VMOVAPD      Z0, Z1
	VMOVAPD      Z0, Z2
	VMOVAPD      Z0, Z3
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           fstore

fk:
	MOVLQSX      (SI), AX
	IMULQ        R8, AX
	ADDQ         R9, AX
	VBROADCASTSD (R10), Z8
	VMULPD       0(AX), Z8, Z4
	VADDPD       Z4, Z0, Z0
	VMULPD       64(AX), Z8, Z5
	VADDPD       Z5, Z1, Z1
	VMULPD       128(AX), Z8, Z6
	VADDPD       Z6, Z2, Z2
	VMULPD       192(AX), Z8, Z7
	VADDPD       Z7, Z3, Z3
	ADDQ         $4, SI
	ADDQ         $8, R10
	DECQ         CX
	JNZ          fk

fstore:
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	ADDQ    $256, DI
	ADDQ    $8, R11
	DECQ    BX
	JNZ     fj

fdone:
	VZEROUPPER
	RET

// func latBwdAVX512(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)
//
// For nj neurons, each with groups·8 (padded) partners part[…] and gradient
// accumulators g[…] (same layout), and the rows r = 0, 8, …, nbBytes/8−1
// after xT: g[j,t] += delta[r*deltaStride/8 + j]·xT[part[j,t]*rows + r], in
// row order. Each group of 8 partners is loaded as an 8×8 block of xT,
// transposed in registers, and accumulated row by row.
TEXT ·latBwdAVX512(SB), NOSPLIT, $64-72
	MOVQ acc+0(FP), SI
	MOVQ xT+8(FP), R9
	MOVQ rowBytes+16(FP), R8
	MOVQ part+24(FP), DI
	MOVQ delta+32(FP), R11
	MOVQ deltaStride+40(FP), R10
	MOVQ nj+48(FP), BX
	MOVQ nbBytes+64(FP), R13
	TESTQ BX, BX
	JZ    bdone

bj:
	MOVQ groups+56(FP), CX

bg:
	// Base addresses of the group's 8 partner rows.
	MOVLQSX 0(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 0(SP)
	MOVLQSX 4(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 8(SP)
	MOVLQSX 8(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 16(SP)
	MOVLQSX 12(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 24(SP)
	MOVLQSX 16(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 32(SP)
	MOVLQSX 20(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 40(SP)
	MOVLQSX 24(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 48(SP)
	MOVLQSX 28(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 56(SP)

	VMOVUPD (SI), Z24
	XORQ    DX, DX
	MOVQ    R11, R12

bb:
	MOVQ    0(SP), AX
	VMOVUPD (AX)(DX*1), Z0
	MOVQ    8(SP), AX
	VMOVUPD (AX)(DX*1), Z1
	MOVQ    16(SP), AX
	VMOVUPD (AX)(DX*1), Z2
	MOVQ    24(SP), AX
	VMOVUPD (AX)(DX*1), Z3
	MOVQ    32(SP), AX
	VMOVUPD (AX)(DX*1), Z4
	MOVQ    40(SP), AX
	VMOVUPD (AX)(DX*1), Z5
	MOVQ    48(SP), AX
	VMOVUPD (AX)(DX*1), Z6
	MOVQ    56(SP), AX
	VMOVUPD (AX)(DX*1), Z7

	// 8×8 transpose: Z16+c holds row r = c of the block, lanes = partners.
	VUNPCKLPD  Z1, Z0, Z8
	VUNPCKHPD  Z1, Z0, Z9
	VUNPCKLPD  Z3, Z2, Z10
	VUNPCKHPD  Z3, Z2, Z11
	VUNPCKLPD  Z5, Z4, Z12
	VUNPCKHPD  Z5, Z4, Z13
	VUNPCKLPD  Z7, Z6, Z14
	VUNPCKHPD  Z7, Z6, Z15
	VSHUFF64X2 $0x88, Z10, Z8, Z0
	VSHUFF64X2 $0xDD, Z10, Z8, Z1
	VSHUFF64X2 $0x88, Z11, Z9, Z2
	VSHUFF64X2 $0xDD, Z11, Z9, Z3
	VSHUFF64X2 $0x88, Z14, Z12, Z4
	VSHUFF64X2 $0xDD, Z14, Z12, Z5
	VSHUFF64X2 $0x88, Z15, Z13, Z6
	VSHUFF64X2 $0xDD, Z15, Z13, Z7
	VSHUFF64X2 $0x88, Z4, Z0, Z16 // r0
	VSHUFF64X2 $0xDD, Z4, Z0, Z20 // r4
	VSHUFF64X2 $0x88, Z5, Z1, Z18 // r2
	VSHUFF64X2 $0xDD, Z5, Z1, Z22 // r6
	VSHUFF64X2 $0x88, Z6, Z2, Z17 // r1
	VSHUFF64X2 $0xDD, Z6, Z2, Z21 // r5
	VSHUFF64X2 $0x88, Z7, Z3, Z19 // r3
	VSHUFF64X2 $0xDD, Z7, Z3, Z23 // r7

	VMULPD.BCST (R12), Z16, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12
	VMULPD.BCST (R12), Z17, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12
	VMULPD.BCST (R12), Z18, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12
	VMULPD.BCST (R12), Z19, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12
	VMULPD.BCST (R12), Z20, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12
	VMULPD.BCST (R12), Z21, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12
	VMULPD.BCST (R12), Z22, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12
	VMULPD.BCST (R12), Z23, Z25
	VADDPD      Z25, Z24, Z24
	ADDQ        R10, R12

	ADDQ $64, DX
	CMPQ DX, R13
	JLT  bb

	VMOVUPD Z24, (SI)
	ADDQ    $64, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     bg

	ADDQ $8, R11
	DECQ BX
	JNZ  bj

bdone:
	VZEROUPPER
	RET

// func latFwdAVX2(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int)
//
// latFwdAVX512 for AVX2: the same 32 rows per neuron, in eight 4-lane
// accumulators, with the same products and sums in the same order.
TEXT ·latFwdAVX2(SB), NOSPLIT, $0-64
	MOVQ outT+0(FP), DI
	MOVQ xT+8(FP), R9
	MOVQ rowBytes+16(FP), R8
	MOVQ part+24(FP), SI
	MOVQ w+32(FP), R10
	MOVQ bias+40(FP), R11
	MOVQ nj+48(FP), BX
	MOVQ k+56(FP), R12
	TESTQ BX, BX
	JZ    gdone

gj:
	VBROADCASTSD (R11), Y0
	VMOVAPD      Y0, Y1
	VMOVAPD      Y0, Y2
	VMOVAPD      Y0, Y3
	VMOVAPD      Y0, Y4
	VMOVAPD      Y0, Y5
	VMOVAPD      Y0, Y6
	VMOVAPD      Y0, Y7
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           gstore

gk:
	MOVLQSX      (SI), AX
	IMULQ        R8, AX
	ADDQ         R9, AX
	VBROADCASTSD (R10), Y8
	VMULPD       0(AX), Y8, Y9
	VADDPD       Y9, Y0, Y0
	VMULPD       32(AX), Y8, Y10
	VADDPD       Y10, Y1, Y1
	VMULPD       64(AX), Y8, Y11
	VADDPD       Y11, Y2, Y2
	VMULPD       96(AX), Y8, Y12
	VADDPD       Y12, Y3, Y3
	VMULPD       128(AX), Y8, Y13
	VADDPD       Y13, Y4, Y4
	VMULPD       160(AX), Y8, Y14
	VADDPD       Y14, Y5, Y5
	VMULPD       192(AX), Y8, Y15
	VADDPD       Y15, Y6, Y6
	VMULPD       224(AX), Y8, Y9
	VADDPD       Y9, Y7, Y7
	ADDQ         $4, SI
	ADDQ         $8, R10
	DECQ         CX
	JNZ          gk

gstore:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	ADDQ    $256, DI
	ADDQ    $8, R11
	DECQ    BX
	JNZ     gj

gdone:
	VZEROUPPER
	RET

// func latBwdAVX2(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)
//
// latBwdAVX512 for AVX2, on the same padded groups of 8 partners: each step
// loads 4 rows of the 8 partner rows, transposes the two 4×4 blocks in
// registers and accumulates the 4 rows in order into two 4-lane sums.
TEXT ·latBwdAVX2(SB), NOSPLIT, $64-72
	MOVQ acc+0(FP), SI
	MOVQ xT+8(FP), R9
	MOVQ rowBytes+16(FP), R8
	MOVQ part+24(FP), DI
	MOVQ delta+32(FP), R11
	MOVQ deltaStride+40(FP), R10
	MOVQ nj+48(FP), BX
	MOVQ nbBytes+64(FP), R13
	TESTQ BX, BX
	JZ    cdone

cj:
	MOVQ groups+56(FP), CX

cg:
	// Base addresses of the group's 8 partner rows.
	MOVLQSX 0(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 0(SP)
	MOVLQSX 4(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 8(SP)
	MOVLQSX 8(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 16(SP)
	MOVLQSX 12(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 24(SP)
	MOVLQSX 16(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 32(SP)
	MOVLQSX 20(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 40(SP)
	MOVLQSX 24(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 48(SP)
	MOVLQSX 28(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 56(SP)

	VMOVUPD (SI), Y14
	VMOVUPD 32(SI), Y15
	XORQ    DX, DX
	MOVQ    R11, R12

cb:
	// Partners 0–3, rows DX/8 … DX/8+3 → Y8–Y11 (row r: lanes = partners).
	MOVQ       0(SP), AX
	VMOVUPD    (AX)(DX*1), Y0
	MOVQ       8(SP), AX
	VMOVUPD    (AX)(DX*1), Y1
	MOVQ       16(SP), AX
	VMOVUPD    (AX)(DX*1), Y2
	MOVQ       24(SP), AX
	VMOVUPD    (AX)(DX*1), Y3
	VUNPCKLPD  Y1, Y0, Y4
	VUNPCKHPD  Y1, Y0, Y5
	VUNPCKLPD  Y3, Y2, Y6
	VUNPCKHPD  Y3, Y2, Y7
	VPERM2F128 $0x20, Y6, Y4, Y8  // r0
	VPERM2F128 $0x20, Y7, Y5, Y9  // r1
	VPERM2F128 $0x31, Y6, Y4, Y10 // r2
	VPERM2F128 $0x31, Y7, Y5, Y11 // r3

	// Partners 4–7 → Y0–Y3.
	MOVQ       32(SP), AX
	VMOVUPD    (AX)(DX*1), Y0
	MOVQ       40(SP), AX
	VMOVUPD    (AX)(DX*1), Y1
	MOVQ       48(SP), AX
	VMOVUPD    (AX)(DX*1), Y2
	MOVQ       56(SP), AX
	VMOVUPD    (AX)(DX*1), Y3
	VUNPCKLPD  Y1, Y0, Y4
	VUNPCKHPD  Y1, Y0, Y5
	VUNPCKLPD  Y3, Y2, Y6
	VUNPCKHPD  Y3, Y2, Y7
	VPERM2F128 $0x20, Y6, Y4, Y0 // r0
	VPERM2F128 $0x20, Y7, Y5, Y1 // r1
	VPERM2F128 $0x31, Y6, Y4, Y2 // r2
	VPERM2F128 $0x31, Y7, Y5, Y3 // r3

	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y8, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y0, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12
	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y9, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y1, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12
	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y10, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y2, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12
	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y11, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y3, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12

	ADDQ $32, DX
	CMPQ DX, R13
	JLT  cb

	VMOVUPD Y14, (SI)
	VMOVUPD Y15, 32(SI)
	ADDQ    $64, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     cg

	ADDQ $8, R11
	DECQ BX
	JNZ  cj

cdone:
	VZEROUPPER
	RET

// func latFwd32AVX2(outT *float64, xT *float32, rowBytes int, part *int32, w, bias *float64, nj, k int)
//
// latFwdAVX2 on an input transposed in float32 (rowBytes = 4·rows): the
// values (±1 or 0/1 samples) are exact in float32 and converted exactly, so
// the products and sums are those of latFwdAVX2, at half the memory traffic.
TEXT ·latFwd32AVX2(SB), NOSPLIT, $0-64
	MOVQ outT+0(FP), DI
	MOVQ xT+8(FP), R9
	MOVQ rowBytes+16(FP), R8
	MOVQ part+24(FP), SI
	MOVQ w+32(FP), R10
	MOVQ bias+40(FP), R11
	MOVQ nj+48(FP), BX
	MOVQ k+56(FP), R12
	TESTQ BX, BX
	JZ    hdone

hj:
	VBROADCASTSD (R11), Y0
	VMOVAPD      Y0, Y1
	VMOVAPD      Y0, Y2
	VMOVAPD      Y0, Y3
	VMOVAPD      Y0, Y4
	VMOVAPD      Y0, Y5
	VMOVAPD      Y0, Y6
	VMOVAPD      Y0, Y7
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           hstore

hk:
	MOVLQSX      (SI), AX
	IMULQ        R8, AX
	ADDQ         R9, AX
	VBROADCASTSD (R10), Y8
	VCVTPS2PD    0(AX), Y9
	VMULPD       Y9, Y8, Y9
	VADDPD       Y9, Y0, Y0
	VCVTPS2PD    16(AX), Y10
	VMULPD       Y10, Y8, Y10
	VADDPD       Y10, Y1, Y1
	VCVTPS2PD    32(AX), Y11
	VMULPD       Y11, Y8, Y11
	VADDPD       Y11, Y2, Y2
	VCVTPS2PD    48(AX), Y12
	VMULPD       Y12, Y8, Y12
	VADDPD       Y12, Y3, Y3
	VCVTPS2PD    64(AX), Y13
	VMULPD       Y13, Y8, Y13
	VADDPD       Y13, Y4, Y4
	VCVTPS2PD    80(AX), Y14
	VMULPD       Y14, Y8, Y14
	VADDPD       Y14, Y5, Y5
	VCVTPS2PD    96(AX), Y15
	VMULPD       Y15, Y8, Y15
	VADDPD       Y15, Y6, Y6
	VCVTPS2PD    112(AX), Y9
	VMULPD       Y9, Y8, Y9
	VADDPD       Y9, Y7, Y7
	ADDQ         $4, SI
	ADDQ         $8, R10
	DECQ         CX
	JNZ          hk

hstore:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	ADDQ    $256, DI
	ADDQ    $8, R11
	DECQ    BX
	JNZ     hj

hdone:
	VZEROUPPER
	RET

// func latBwd32AVX2(acc *float64, xT *float32, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)
//
// latBwdAVX2 on an input transposed in float32 (rowBytes = 4·rows,
// nbBytes = 4·rows done): exact conversions, the same sums in the same order.
TEXT ·latBwd32AVX2(SB), NOSPLIT, $64-72
	MOVQ acc+0(FP), SI
	MOVQ xT+8(FP), R9
	MOVQ rowBytes+16(FP), R8
	MOVQ part+24(FP), DI
	MOVQ delta+32(FP), R11
	MOVQ deltaStride+40(FP), R10
	MOVQ nj+48(FP), BX
	MOVQ nbBytes+64(FP), R13
	TESTQ BX, BX
	JZ    edone

ej:
	MOVQ groups+56(FP), CX

eg:
	// Base addresses of the group's 8 partner rows.
	MOVLQSX 0(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 0(SP)
	MOVLQSX 4(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 8(SP)
	MOVLQSX 8(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 16(SP)
	MOVLQSX 12(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 24(SP)
	MOVLQSX 16(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 32(SP)
	MOVLQSX 20(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 40(SP)
	MOVLQSX 24(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 48(SP)
	MOVLQSX 28(DI), AX
	IMULQ   R8, AX
	ADDQ    R9, AX
	MOVQ    AX, 56(SP)

	VMOVUPD (SI), Y14
	VMOVUPD 32(SI), Y15
	XORQ    DX, DX
	MOVQ    R11, R12

eb:
	// Partners 0–3, rows DX/4 … DX/4+3 → Y8–Y11 (row r: lanes = partners).
	MOVQ       0(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y0
	MOVQ       8(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y1
	MOVQ       16(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y2
	MOVQ       24(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y3
	VUNPCKLPD  Y1, Y0, Y4
	VUNPCKHPD  Y1, Y0, Y5
	VUNPCKLPD  Y3, Y2, Y6
	VUNPCKHPD  Y3, Y2, Y7
	VPERM2F128 $0x20, Y6, Y4, Y8  // r0
	VPERM2F128 $0x20, Y7, Y5, Y9  // r1
	VPERM2F128 $0x31, Y6, Y4, Y10 // r2
	VPERM2F128 $0x31, Y7, Y5, Y11 // r3

	// Partners 4–7 → Y0–Y3.
	MOVQ       32(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y0
	MOVQ       40(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y1
	MOVQ       48(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y2
	MOVQ       56(SP), AX
	VCVTPS2PD  (AX)(DX*1), Y3
	VUNPCKLPD  Y1, Y0, Y4
	VUNPCKHPD  Y1, Y0, Y5
	VUNPCKLPD  Y3, Y2, Y6
	VUNPCKHPD  Y3, Y2, Y7
	VPERM2F128 $0x20, Y6, Y4, Y0 // r0
	VPERM2F128 $0x20, Y7, Y5, Y1 // r1
	VPERM2F128 $0x31, Y6, Y4, Y2 // r2
	VPERM2F128 $0x31, Y7, Y5, Y3 // r3

	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y8, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y0, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12
	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y9, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y1, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12
	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y10, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y2, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12
	VBROADCASTSD (R12), Y12
	VMULPD       Y12, Y11, Y13
	VADDPD       Y13, Y14, Y14
	VMULPD       Y12, Y3, Y13
	VADDPD       Y13, Y15, Y15
	ADDQ         R10, R12

	ADDQ $16, DX
	CMPQ DX, R13
	JLT  eb

	VMOVUPD Y14, (SI)
	VMOVUPD Y15, 32(SI)
	ADDQ    $64, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     eg

	ADDQ $8, R11
	DECQ BX
	JNZ  ej

edone:
	VZEROUPPER
	RET

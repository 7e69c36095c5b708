// AVX-512 kernels of the sparse lateral compartment. They read the lateral
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

// AVX-512 and AVX2 kernels of the sparse lateral compartment. They read the lateral
// input transposed (xT: one row of Rows values per input neuron) and perform
// exactly the scalar code's products and sums, in the same order, lane by
// lane (no fused multiply-add), so the results are bit-identical.

#include "textflag.h"

// The arguments of the forward (latFwd…) and backward (latBwd…) kernels,
// which share their signatures, in the registers their bodies use.
#define LAT_FWD_ARGS \
	MOVQ outT+0(FP), DI; MOVQ xT+8(FP), R9; MOVQ rowBytes+16(FP), R8; MOVQ part+24(FP), SI; \
	MOVQ w+32(FP), R10; MOVQ bias+40(FP), R11; MOVQ nj+48(FP), BX; MOVQ k+56(FP), R12
#define LAT_BWD_ARGS \
	MOVQ acc+0(FP), SI; MOVQ xT+8(FP), R9; MOVQ rowBytes+16(FP), R8; MOVQ part+24(FP), DI; \
	MOVQ delta+32(FP), R11; MOVQ deltaStride+40(FP), R10; MOVQ nj+48(FP), BX; MOVQ nbBytes+64(FP), R13

// LAT_FWD_INIT sets the eight 4-row sums Y0 … Y7 to the neuron's bias (R11).
#define LAT_FWD_INIT \
	VBROADCASTSD (R11), Y0; VMOVAPD Y0, Y1; VMOVAPD Y0, Y2; VMOVAPD Y0, Y3; \
	VMOVAPD Y0, Y4; VMOVAPD Y0, Y5; VMOVAPD Y0, Y6; VMOVAPD Y0, Y7

// LAT_FWD_ROW adds the weight Y8 times the partner's 32 rows at AX, loaded
// with LD (VMOVUPD for float64 rows, VCVTPS2PD for float32 ones, s bytes per
// 4 values), to the sums Y0 … Y7: a product, then a sum, lane by lane.
#define LAT_FWD_4(LD, off, t, k) LD off(AX), t; VMULPD t, Y8, t; VADDPD t, k, k
#define LAT_FWD_ROW(LD, s) \
	LAT_FWD_4(LD, 0, Y9, Y0); LAT_FWD_4(LD, s, Y10, Y1); \
	LAT_FWD_4(LD, 2*s, Y11, Y2); LAT_FWD_4(LD, 3*s, Y12, Y3); \
	LAT_FWD_4(LD, 4*s, Y13, Y4); LAT_FWD_4(LD, 5*s, Y14, Y5); \
	LAT_FWD_4(LD, 6*s, Y15, Y6); LAT_FWD_4(LD, 7*s, Y9, Y7)

// LAT_FWD_STORE writes the sums to DI (32 rows of one neuron).
#define LAT_FWD_STORE \
	VMOVUPD Y0, 0(DI); VMOVUPD Y1, 32(DI); VMOVUPD Y2, 64(DI); VMOVUPD Y3, 96(DI); \
	VMOVUPD Y4, 128(DI); VMOVUPD Y5, 160(DI); VMOVUPD Y6, 192(DI); VMOVUPD Y7, 224(DI)

// LAT_PARTNERS stores at 0(SP) … 56(SP) the addresses of the rows of xT (R9,
// rowBytes R8 apart) of the 8 partners at DI.
#define LAT_PARTNER(off, slot) MOVLQSX off(DI), AX; IMULQ R8, AX; ADDQ R9, AX; MOVQ AX, slot(SP)
#define LAT_PARTNERS \
	LAT_PARTNER(0, 0); LAT_PARTNER(4, 8); LAT_PARTNER(8, 16); LAT_PARTNER(12, 24); \
	LAT_PARTNER(16, 32); LAT_PARTNER(20, 40); LAT_PARTNER(24, 48); LAT_PARTNER(28, 56)

// LAT_ROWS4 loads 4 rows (from byte DX on) of the partners whose row
// addresses are at s0 … s3(SP), with LD (VMOVUPD for float64 rows,
// VCVTPS2PD for float32 ones), and transposes them: r0 … r3 hold one row
// each, lanes = partners.
#define LAT_ROWS4(LD, s0, s1, s2, s3, r0, r1, r2, r3) \
	MOVQ s0(SP), AX; LD (AX)(DX*1), Y0; MOVQ s1(SP), AX; LD (AX)(DX*1), Y1; \
	MOVQ s2(SP), AX; LD (AX)(DX*1), Y2; MOVQ s3(SP), AX; LD (AX)(DX*1), Y3; \
	VUNPCKLPD Y1, Y0, Y4; VUNPCKHPD Y1, Y0, Y5; VUNPCKLPD Y3, Y2, Y6; VUNPCKHPD Y3, Y2, Y7; \
	VPERM2F128 $0x20, Y6, Y4, r0; VPERM2F128 $0x20, Y7, Y5, r1; \
	VPERM2F128 $0x31, Y6, Y4, r2; VPERM2F128 $0x31, Y7, Y5, r3

// LAT_ACC1 adds delta's value at R12 times the row lo (partners 0–3) and hi
// (4–7) to the sums Y14, Y15, then steps R12 to the next row (R10 bytes).
#define LAT_ACC1(lo, hi) \
	VBROADCASTSD (R12), Y12; VMULPD Y12, lo, Y13; VADDPD Y13, Y14, Y14; \
	VMULPD Y12, hi, Y13; VADDPD Y13, Y15, Y15; ADDQ R10, R12

// func latFwdAVX512(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int)
//
// For nj neurons (partners part[j*k:(j+1)*k], weights w[j*k:(j+1)*k]) and
// the 32 rows starting at xT: outT[j*32+r] = bias[j] + Σ_t w[j*k+t]·xT[part[j*k+t]*rows+r],
// the sum taken in order t = 0, 1, …; rowBytes = 8·rows.
TEXT ·latFwdAVX512(SB), NOSPLIT, $0-64
	LAT_FWD_ARGS
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
	LAT_BWD_ARGS
	TESTQ BX, BX
	JZ    bdone

bj:
	MOVQ groups+56(FP), CX

bg:
	LAT_PARTNERS

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
	LAT_FWD_ARGS
	TESTQ BX, BX
	JZ    gdone

gj:
	LAT_FWD_INIT
	MOVQ  R12, CX
	TESTQ CX, CX
	JZ    gstore

gk:
	MOVLQSX      (SI), AX
	IMULQ        R8, AX
	ADDQ         R9, AX
	VBROADCASTSD (R10), Y8
	LAT_FWD_ROW(VMOVUPD, 32)
	ADDQ         $4, SI
	ADDQ         $8, R10
	DECQ         CX
	JNZ          gk

gstore:
	LAT_FWD_STORE
	ADDQ $256, DI
	ADDQ $8, R11
	DECQ BX
	JNZ  gj

gdone:
	VZEROUPPER
	RET

// func latBwdAVX2(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)
//
// latBwdAVX512 for AVX2, on the same padded groups of 8 partners: each step
// loads 4 rows of the 8 partner rows, transposes the two 4×4 blocks in
// registers and accumulates the 4 rows in order into two 4-lane sums.
TEXT ·latBwdAVX2(SB), NOSPLIT, $64-72
	LAT_BWD_ARGS
	TESTQ BX, BX
	JZ    cdone

cj:
	MOVQ groups+56(FP), CX

cg:
	LAT_PARTNERS
	VMOVUPD (SI), Y14
	VMOVUPD 32(SI), Y15
	XORQ    DX, DX
	MOVQ    R11, R12

cb:
	LAT_ROWS4(VMOVUPD, 0, 8, 16, 24, Y8, Y9, Y10, Y11)
	LAT_ROWS4(VMOVUPD, 32, 40, 48, 56, Y0, Y1, Y2, Y3)
	LAT_ACC1(Y8, Y0)
	LAT_ACC1(Y9, Y1)
	LAT_ACC1(Y10, Y2)
	LAT_ACC1(Y11, Y3)
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
	LAT_FWD_ARGS
	TESTQ BX, BX
	JZ    hdone

hj:
	LAT_FWD_INIT
	MOVQ  R12, CX
	TESTQ CX, CX
	JZ    hstore

hk:
	MOVLQSX      (SI), AX
	IMULQ        R8, AX
	ADDQ         R9, AX
	VBROADCASTSD (R10), Y8
	LAT_FWD_ROW(VCVTPS2PD, 16)
	ADDQ         $4, SI
	ADDQ         $8, R10
	DECQ         CX
	JNZ          hk

hstore:
	LAT_FWD_STORE
	ADDQ $256, DI
	ADDQ $8, R11
	DECQ BX
	JNZ  hj

hdone:
	VZEROUPPER
	RET

// func latBwd32AVX2(acc *float64, xT *float32, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)
//
// latBwdAVX2 on an input transposed in float32 (rowBytes = 4·rows,
// nbBytes = 4·rows done): exact conversions, the same sums in the same order.
TEXT ·latBwd32AVX2(SB), NOSPLIT, $64-72
	LAT_BWD_ARGS
	TESTQ BX, BX
	JZ    edone

ej:
	MOVQ groups+56(FP), CX

eg:
	LAT_PARTNERS
	VMOVUPD (SI), Y14
	VMOVUPD 32(SI), Y15
	XORQ    DX, DX
	MOVQ    R11, R12

eb:
	LAT_ROWS4(VCVTPS2PD, 0, 8, 16, 24, Y8, Y9, Y10, Y11)
	LAT_ROWS4(VCVTPS2PD, 32, 40, 48, 56, Y0, Y1, Y2, Y3)
	LAT_ACC1(Y8, Y0)
	LAT_ACC1(Y9, Y1)
	LAT_ACC1(Y10, Y2)
	LAT_ACC1(Y11, Y3)
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

// The float32 image and lateral products of lateral_f32_amd64.s in 16-lane
// vectors, for processors with AVX-512. Every lane performs the same
// float32 operations in the same order as the AVX2 kernels' lanes (a
// product, then a sum; no fused multiply-add), so the results are the same
// bits: only the number of lanes per instruction changes.

#include "textflag.h"
#include "f32_kernels_amd64.h"

// SPMM48Z_TERM adds val[t]·m[idx[t]·stride:][:48] (R9, R8, SI, DX) to
// Z0–Z2 and moves R8, R9 to the next term.
#define SPMM48Z_TERM \
	SPMM_ROW; VBROADCASTSS (R9), Z8; \
	VMULPS 0(AX), Z8, Z9; VADDPS Z9, Z0, Z0; VMULPS 64(AX), Z8, Z10; VADDPS Z10, Z1, Z1; \
	VMULPS 128(AX), Z8, Z11; VADDPS Z11, Z2, Z2; \
	ADDQ $4, R8; ADDQ $4, R9

// PAIRZ_COL adds the row vector at off(AX) times Z12 (line 0) to a0 and
// times Z13 (line 1) to a1.
#define PAIRZ_COL(off, a0, a1) \
	VMOVUPS off(AX), Z14; VMULPS Z14, Z12, Z15; VADDPS Z15, a0, a0; VMULPS Z14, Z13, Z14; VADDPS Z14, a1, a1

// SPMM2Z_TERM adds val[2t]·row to line 0 (Z0–Z2) and val[2t+1]·row to line
// 1 (Z3–Z5), row = m[idx[t]·stride:][:48], and moves R8, R9 on.
#define SPMM2Z_TERM \
	SPMM_ROW; VBROADCASTSS 0(R9), Z12; VBROADCASTSS 4(R9), Z13; \
	PAIRZ_COL(0, Z0, Z3); PAIRZ_COL(64, Z1, Z4); PAIRZ_COL(128, Z2, Z5); \
	ADDQ $4, R8; ADDQ $8, R9

// func spmmF32x48AVX512(out, m *float32, stride int, idx *int32, val *float32, n int)
//
// spmmF32x48AVX2 in 16-lane vectors.
TEXT ·spmmF32x48AVX512(SB), NOSPLIT, $0-48
	SPMM_ARGS
	VMOVUPS 0(DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	MOVQ    CX, R10
	SUBQ    $SPMM_AHEAD, R10
	JLE     z48tail

z48ahead:
	SPMM_PREFETCH
	SPMM48Z_TERM
	DECQ R10
	JNZ  z48ahead
	MOVQ $SPMM_AHEAD, CX

z48tail:
	TESTQ CX, CX
	JZ    z48store

z48loop:
	SPMM48Z_TERM
	DECQ CX
	JNZ  z48loop

z48store:
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VZEROUPPER
	RET

// func spmm2F32x48AVX512(out, m *float32, stride int, idx *int32, val *float32, n int) bool
//
// spmm2F32x48AVX2 in 16-lane vectors, with the same finiteness report.
TEXT ·spmm2F32x48AVX512(SB), NOSPLIT, $0-49
	SPMM_ARGS
	VMOVUPS 0(DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VMOVUPS 192(DI), Z3
	VMOVUPS 256(DI), Z4
	VMOVUPS 320(DI), Z5
	MOVQ    CX, R10
	SUBQ    $SPMM_AHEAD, R10
	JLE     zp48tail

zp48ahead:
	SPMM_PREFETCH
	SPMM2Z_TERM
	DECQ R10
	JNZ  zp48ahead
	MOVQ $SPMM_AHEAD, CX

zp48tail:
	TESTQ CX, CX
	JZ    zp48store

zp48loop:
	SPMM2Z_TERM
	DECQ CX
	JNZ  zp48loop

zp48store:
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VMOVUPS Z4, 256(DI)
	VMOVUPS Z5, 320(DI)
	// x − x is 0 for a finite x and NaN otherwise; NaN survives the sums.
	VSUBPS  Z0, Z0, Z0
	VSUBPS  Z1, Z1, Z1
	VSUBPS  Z2, Z2, Z2
	VSUBPS  Z3, Z3, Z3
	VSUBPS  Z4, Z4, Z4
	VSUBPS  Z5, Z5, Z5
	VADDPS  Z1, Z0, Z0
	VADDPS  Z3, Z2, Z2
	VADDPS  Z5, Z4, Z4
	VADDPS  Z2, Z0, Z0
	VADDPS  Z4, Z0, Z0
	VCMPPS  $0, Z0, Z0, K1 // ordered and equal: not NaN
	KORTESTW K1, K1
	SETCS   ret+48(FP)    // all 16 lanes set
	VZEROUPPER
	RET

// func latFwdBitsAVX512(tmp *float32, bits *uint32, part *int32, w, bias *float32, nj, k int)
//
// latFwdBitsAVX2 with the row bits as a lane mask: rows 0–15 of the block
// take K1 = the input's lower 16 bits, rows 16–31 K2 = its upper 16; each term
// adds w where the bit is set (+1) and −w where it is clear.
TEXT ·latFwdBitsAVX512(SB), NOSPLIT, $0-56
	MOVQ tmp+0(FP), DI
	MOVQ bits+8(FP), R9
	MOVQ part+16(FP), SI
	MOVQ w+24(FP), R10
	MOVQ bias+32(FP), R11
	MOVQ nj+40(FP), BX
	MOVQ k+48(FP), R12
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z11
	TESTQ BX, BX
	JZ    zfbdone

zfbj:
	VBROADCASTSS (R11), Z0
	VMOVAPS      Z0, Z1
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           zfbstore

zfbk:
	MOVLQSX      (SI), AX
	KMOVW        (R9)(AX*4), K1
	KMOVW        2(R9)(AX*4), K2
	VBROADCASTSS (R10), Z4
	VPXORD       Z11, Z4, Z5
	VBLENDMPS    Z4, Z5, K1, Z6
	VADDPS       Z6, Z0, Z0
	VBLENDMPS    Z4, Z5, K2, Z7
	VADDPS       Z7, Z1, Z1
	ADDQ         $4, SI
	ADDQ         $4, R10
	DECQ         CX
	JNZ          zfbk

zfbstore:
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	ADDQ    $128, DI
	ADDQ    $4, R11
	DECQ    BX
	JNZ     zfbj

zfbdone:
	VZEROUPPER
	RET

// ZBB_GROUP adds ±δ (rows 8g … 8g+7 in both halves of d) to the lane sums
// a of two partners, whose bit words fill the halves of Z8 (b): the shifts
// in sh move row r's bit to the sign, and VPTERNLOGD $0xa6 forms
// (¬bit ∧ sign) ⊕ δ, δ with its sign flipped where the input is −1.
#define ZBB_GROUP(b, sh, d, a) \
	VPSLLVD sh, b, Z16; VPTERNLOGD $0xa6, d, Z10, Z16; VADDPS Z16, a, a

// ZBB_PAIR adds a block's ±δ to the sums a of the partners whose words are
// at p and q (lanes 0–7 and 8–15 of a), with b as the bits' register.
#define ZBB_PAIR(p, q, b, a) \
	VPBROADCASTD (p), b; VPBROADCASTD (q), K1, b; \
	ZBB_GROUP(b, Z12, Z4, a); ZBB_GROUP(b, Z13, Z5, a); \
	ZBB_GROUP(b, Z14, Z6, a); ZBB_GROUP(b, Z15, Z7, a)

// ZBB_PTR sets r to partner i's bit words (part at SI, bitsT at BX, AX
// the bytes of a partner's words).
#define ZBB_PTR(i, r) MOVLQSX (i*4)(SI), r; IMULQ AX, r; ADDQ BX, r

// ZBB_DELTA loads a block's δ (at BX) into both halves of Z4 … Z7.
#define ZBB_DELTA \
	VBROADCASTF64X4 0(BX), Z4; VBROADCASTF64X4 32(BX), Z5; \
	VBROADCASTF64X4 64(BX), Z6; VBROADCASTF64X4 96(BX), Z7

// func latBwdBitsAVX512(sums, d *float32, bitsT *uint32, blocks int, part *int32, kq int, shifts *[32]uint32)
//
// latBwdBitsAVX2 with two partners in each 16-lane vector (lanes 0–7 the
// first, 8–15 the second), each lane summing the rows of δ that its AVX2
// lane sums, in the same order; the halves are then added as hsum8 does.
// Eight partners at a time keep four chains of sums in flight (a chain
// adds four terms a block, each waiting for the last); a last odd quad
// goes alone.
TEXT ·latBwdBitsAVX512(SB), NOSPLIT, $0-56
	MOVQ sums+0(FP), DI
	MOVQ part+32(FP), SI
	MOVQ kq+40(FP), CX
	MOVQ shifts+48(FP), AX
	VBROADCASTI64X4 0(AX), Z12
	VBROADCASTI64X4 32(AX), Z13
	VBROADCASTI64X4 64(AX), Z14
	VBROADCASTI64X4 96(AX), Z15
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z10
	MOVL $0xff00, AX
	KMOVW AX, K1 // the upper eight lanes: the second partner
	CMPQ CX, $2
	JLT  zbbquad

zbbo:
	MOVQ    blocks+24(FP), AX
	SHLQ    $2, AX
	MOVQ    bitsT+16(FP), BX
	ZBB_PTR(0, R8)
	ZBB_PTR(1, R9)
	ZBB_PTR(2, R10)
	ZBB_PTR(3, R11)
	ZBB_PTR(4, R12)
	ZBB_PTR(5, R13)
	ZBB_PTR(6, R14)
	ZBB_PTR(7, R15)
	VPXORD  Z0, Z0, Z0
	VPXORD  Z1, Z1, Z1
	VPXORD  Z2, Z2, Z2
	VPXORD  Z3, Z3, Z3
	MOVQ    d+8(FP), BX
	MOVQ    blocks+24(FP), DX
	TESTQ   DX, DX
	JZ      zbbosum

zbbob:
	ZBB_DELTA
	ZBB_PAIR(R8, R9, Z8, Z0)
	ZBB_PAIR(R10, R11, Z9, Z1)
	ZBB_PAIR(R12, R13, Z11, Z2)
	ZBB_PAIR(R14, R15, Z17, Z3)
	ADDQ    $128, BX
	ADDQ    $4, R8
	ADDQ    $4, R9
	ADDQ    $4, R10
	ADDQ    $4, R11
	ADDQ    $4, R12
	ADDQ    $4, R13
	ADDQ    $4, R14
	ADDQ    $4, R15
	DECQ    DX
	JNZ     zbbob

zbbosum:
	VEXTRACTF64X4 $1, Z0, Y4
	VEXTRACTF64X4 $1, Z1, Y5
	VEXTRACTF64X4 $1, Z2, Y6
	VEXTRACTF64X4 $1, Z3, Y7
	FB_SUM(Y0, X0, 0)
	FB_SUM(Y4, X4, 4)
	FB_SUM(Y1, X1, 8)
	FB_SUM(Y5, X5, 12)
	FB_SUM(Y2, X2, 16)
	FB_SUM(Y6, X6, 20)
	FB_SUM(Y3, X3, 24)
	FB_SUM(Y7, X7, 28)
	ADDQ $32, DI
	ADDQ $32, SI
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  zbbo

zbbquad:
	TESTQ CX, CX
	JZ    zbbdone
	MOVQ    blocks+24(FP), AX
	SHLQ    $2, AX
	MOVQ    bitsT+16(FP), BX
	ZBB_PTR(0, R10)
	ZBB_PTR(1, R11)
	ZBB_PTR(2, R12)
	ZBB_PTR(3, R13)
	VPXORD  Z0, Z0, Z0
	VPXORD  Z1, Z1, Z1
	MOVQ    d+8(FP), BX
	MOVQ    blocks+24(FP), DX
	TESTQ   DX, DX
	JZ      zbbsum

zbbb:
	ZBB_DELTA
	ZBB_PAIR(R10, R11, Z8, Z0)
	ZBB_PAIR(R12, R13, Z9, Z1)
	ADDQ    $128, BX
	ADDQ    $4, R10
	ADDQ    $4, R11
	ADDQ    $4, R12
	ADDQ    $4, R13
	DECQ    DX
	JNZ     zbbb

zbbsum:
	VEXTRACTF64X4 $1, Z0, Y2
	VEXTRACTF64X4 $1, Z1, Y3
	FB_SUM(Y0, X0, 0)
	FB_SUM(Y2, X2, 4)
	FB_SUM(Y1, X1, 8)
	FB_SUM(Y3, X3, 12)

zbbdone:
	VZEROUPPER
	RET

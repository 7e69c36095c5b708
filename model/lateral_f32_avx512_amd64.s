// The float32 image and lateral products of lateral_f32_amd64.s in 16-lane
// vectors, for processors with AVX-512. Every lane performs the same
// float32 operations in the same order as the AVX2 kernels' lanes (a
// product, then a sum; no fused multiply-add), so the results are the same
// bits: only the number of lanes per instruction changes.

#include "textflag.h"
#include "spmm_f32_amd64.h"

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

// The sparse compartment's float32 products (sparse_f32.go): the forward
// pass with lanes = rows of a 32-row block, and the weight gradient as dot
// products of a neuron's δ with its partners' inputs, eight lanes of rows.
// Every lane performs the Go loops' float32 operations in their order (a
// product, then a sum; no fused multiply-add), so results are identical.

#include "textflag.h"
#include "f32_kernels_amd64.h"

// LAT_BIAS4 sets the lateral forward's four row vectors Y0–Y3 to the
// neuron's bias at (b).
#define LAT_BIAS4(b) VBROADCASTSS (b), Y0; VMOVAPS Y0, Y1; VMOVAPS Y0, Y2; VMOVAPS Y0, Y3

// LAT_STORE4 stores Y0–Y3 (a neuron's 32 rows) at dst and moves dst on.
#define LAT_STORE4(dst) \
	VMOVUPS Y0, 0(dst); VMOVUPS Y1, 32(dst); VMOVUPS Y2, 64(dst); VMOVUPS Y3, 96(dst); ADDQ $128, dst

// SIGN_SHIFTS loads the bit kernels' constants: the shifts (at p) that move
// row r's bit to the sign into Y12–Y15, and the sign bit into every lane
// of sgnY (lower half sgnX).
#define SIGN_SHIFTS(p, sgnY, sgnX) \
	MOVQ p, AX; VMOVDQU 0(AX), Y12; VMOVDQU 32(AX), Y13; VMOVDQU 64(AX), Y14; VMOVDQU 96(AX), Y15; \
	MOVL $0x80000000, AX; MOVQ AX, sgnX; VPBROADCASTD sgnX, sgnY

// SPMM48_TERM adds val[t]·m[idx[t]·stride:][:48] (R9, R8, SI, DX) to
// Y0–Y5 and moves R8, R9 to the next term.
#define SPMM48_TERM \
	SPMM_ROW; VBROADCASTSS (R9), Y8; \
	VMULPS 0(AX), Y8, Y9; VADDPS Y9, Y0, Y0; VMULPS 32(AX), Y8, Y10; VADDPS Y10, Y1, Y1; \
	VMULPS 64(AX), Y8, Y11; VADDPS Y11, Y2, Y2; VMULPS 96(AX), Y8, Y12; VADDPS Y12, Y3, Y3; \
	VMULPS 128(AX), Y8, Y13; VADDPS Y13, Y4, Y4; VMULPS 160(AX), Y8, Y14; VADDPS Y14, Y5, Y5; \
	ADDQ $4, R8; ADDQ $4, R9

// PAIR_COL adds the row vector at off(AX) times Y12 (line 0) to a0 and
// times Y13 (line 1) to a1.
#define PAIR_COL(off, a0, a1) \
	VMOVUPS off(AX), Y14; VMULPS Y14, Y12, Y15; VADDPS Y15, a0, a0; VMULPS Y14, Y13, Y14; VADDPS Y14, a1, a1

// SPMM2_TERM adds val[2t]·row to line 0 (Y0–Y5) and val[2t+1]·row to line
// 1 (Y6–Y11), row = m[idx[t]·stride:][:48], and moves R8, R9 on.
#define SPMM2_TERM \
	SPMM_ROW; VBROADCASTSS 0(R9), Y12; VBROADCASTSS 4(R9), Y13; \
	PAIR_COL(0, Y0, Y6); PAIR_COL(32, Y1, Y7); PAIR_COL(64, Y2, Y8); \
	PAIR_COL(96, Y3, Y9); PAIR_COL(128, Y4, Y10); PAIR_COL(160, Y5, Y11); \
	ADDQ $4, R8; ADDQ $8, R9

// SPMM_LOAD6 and SPMM_STORE6 move a line's 48 sums between out at o(DI)
// and six registers.
#define SPMM_LOAD6(o, a, b, c, d, e, f) \
	VMOVUPS o+0(DI), a; VMOVUPS o+32(DI), b; VMOVUPS o+64(DI), c; \
	VMOVUPS o+96(DI), d; VMOVUPS o+128(DI), e; VMOVUPS o+160(DI), f
#define SPMM_STORE6(o, a, b, c, d, e, f) \
	VMOVUPS a, o+0(DI); VMOVUPS b, o+32(DI); VMOVUPS c, o+64(DI); \
	VMOVUPS d, o+96(DI); VMOVUPS e, o+128(DI); VMOVUPS f, o+160(DI)

// func latFwdF32AVX2(tmp, xT *float32, part *int32, w, bias *float32, nj, k int)
//
// For nj neurons (partners part[jj*k:], weights w[jj*k:]) and the 32 rows of
// the block at xT (input p's rows at xT[32p:]):
// tmp[jj*32+r] = bias[jj] + w[jj*k]·x[r, part[jj*k]] + … in order.
TEXT ·latFwdF32AVX2(SB), NOSPLIT, $0-56
	MOVQ tmp+0(FP), DI
	MOVQ xT+8(FP), R9
	MOVQ part+16(FP), SI
	MOVQ w+24(FP), R10
	MOVQ bias+32(FP), R11
	MOVQ nj+40(FP), BX
	MOVQ k+48(FP), R12
	TESTQ BX, BX
	JZ    ffdone

ffj:
	LAT_BIAS4(R11)
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           ffstore

ffk:
	MOVLQSX      (SI), AX
	SHLQ         $7, AX
	ADDQ         R9, AX
	VBROADCASTSS (R10), Y8
	VMULPS       0(AX), Y8, Y9
	VADDPS       Y9, Y0, Y0
	VMULPS       32(AX), Y8, Y10
	VADDPS       Y10, Y1, Y1
	VMULPS       64(AX), Y8, Y11
	VADDPS       Y11, Y2, Y2
	VMULPS       96(AX), Y8, Y12
	VADDPS       Y12, Y3, Y3
	ADDQ         $4, SI
	ADDQ         $4, R10
	DECQ         CX
	JNZ          ffk

ffstore:
	LAT_STORE4(DI)
	ADDQ    $4, R11
	DECQ    BX
	JNZ     ffj

ffdone:
	VZEROUPPER
	RET

// FB_ROW adds the products of δ's rows Y4 … Y7 with one partner's 32 rows
// at p to the partner's lane sums a (rows in order), using t as scratch.
#define FB_ROW(p, a, t) \
	VMULPS 0(p), Y4, t; VADDPS t, a, a; \
	VMULPS 32(p), Y5, t; VADDPS t, a, a; \
	VMULPS 64(p), Y6, t; VADDPS t, a, a; \
	VMULPS 96(p), Y7, t; VADDPS t, a, a

// func latBwdF32AVX2(sums, d, xT *float32, blockBytes int, part *int32, kq, blocks int)
//
// For the 4·kq partners part[t]: sums[t] = Σ_b d[b]·x[b, part[t]] over the
// blocks of 32 rows (blockBytes apart in xT, input p's rows at 32p), rows in
// lanes b mod 8, in order, then hsum8.
TEXT ·latBwdF32AVX2(SB), NOSPLIT, $0-56
	MOVQ sums+0(FP), DI
	MOVQ xT+16(FP), R9
	MOVQ blockBytes+24(FP), R8
	MOVQ part+32(FP), SI
	MOVQ kq+40(FP), CX
	TESTQ CX, CX
	JZ    fbdone

fbq:
	MOVLQSX (SI), R10
	SHLQ    $7, R10
	ADDQ    R9, R10
	MOVLQSX 4(SI), R11
	SHLQ    $7, R11
	ADDQ    R9, R11
	MOVLQSX 8(SI), R12
	SHLQ    $7, R12
	ADDQ    R9, R12
	MOVLQSX 12(SI), R13
	SHLQ    $7, R13
	ADDQ    R9, R13
	VXORPS  Y0, Y0, Y0
	VXORPS  Y1, Y1, Y1
	VXORPS  Y2, Y2, Y2
	VXORPS  Y3, Y3, Y3
	MOVQ    d+8(FP), BX
	MOVQ    blocks+48(FP), DX
	TESTQ   DX, DX
	JZ      fbsum

fbb:
	VMOVUPS 0(BX), Y4
	VMOVUPS 32(BX), Y5
	VMOVUPS 64(BX), Y6
	VMOVUPS 96(BX), Y7
	FB_ROW(R10, Y0, Y10)
	FB_ROW(R11, Y1, Y11)
	FB_ROW(R12, Y2, Y12)
	FB_ROW(R13, Y3, Y13)
	ADDQ    $128, BX
	ADDQ    R8, R10
	ADDQ    R8, R11
	ADDQ    R8, R12
	ADDQ    R8, R13
	DECQ    DX
	JNZ     fbb

fbsum:
	FB_SUM(Y0, X0, 0)
	FB_SUM(Y1, X1, 4)
	FB_SUM(Y2, X2, 8)
	FB_SUM(Y3, X3, 12)
	ADDQ $16, DI
	ADDQ $16, SI
	DECQ CX
	JNZ  fbq

fbdone:
	VZEROUPPER
	RET

// func spmmF32x48AVX2(out, m *float32, stride int, idx *int32, val *float32, n int)
//
// out[0:48] += val[t]·m[idx[t]*stride : idx[t]*stride+48] for t < n in
// order, each term a product then a sum (float32).
TEXT ·spmmF32x48AVX2(SB), NOSPLIT, $0-48
	SPMM_ARGS
	SPMM_LOAD6(0, Y0, Y1, Y2, Y3, Y4, Y5)
	// Terms more than SPMM_AHEAD from the end prefetch a later row.
	MOVQ CX, R10
	SUBQ $SPMM_AHEAD, R10
	JLE  s48tail

s48ahead:
	SPMM_PREFETCH
	SPMM48_TERM
	DECQ R10
	JNZ  s48ahead
	MOVQ $SPMM_AHEAD, CX

s48tail:
	TESTQ CX, CX
	JZ    s48store

s48loop:
	SPMM48_TERM
	DECQ CX
	JNZ  s48loop

s48store:
	SPMM_STORE6(0, Y0, Y1, Y2, Y3, Y4, Y5)
	VZEROUPPER
	RET

// func spmm2F32x48AVX2(out, m *float32, stride int, idx *int32, val *float32, n int) bool
//
// Two lines at once: out[0:48] += val[2t]·row_t and out[48:96] +=
// val[2t+1]·row_t, row_t = m[idx[t]*stride:][:48], for t < n in order,
// each term a product then a sum (float32). Reports whether all 96 results
// are finite (a line's zero entries add ±0, which leaves a finite sum as
// it is, but 0·Inf is NaN: the caller redoes a non-finite pair line by
// line).
TEXT ·spmm2F32x48AVX2(SB), NOSPLIT, $0-49
	SPMM_ARGS
	SPMM_LOAD6(0, Y0, Y1, Y2, Y3, Y4, Y5)
	SPMM_LOAD6(192, Y6, Y7, Y8, Y9, Y10, Y11)
	MOVQ    CX, R10
	SUBQ    $SPMM_AHEAD, R10
	JLE     p48tail

p48ahead:
	SPMM_PREFETCH
	SPMM2_TERM
	DECQ R10
	JNZ  p48ahead
	MOVQ $SPMM_AHEAD, CX

p48tail:
	TESTQ CX, CX
	JZ    p48store

p48loop:
	SPMM2_TERM
	DECQ CX
	JNZ  p48loop

p48store:
	SPMM_STORE6(0, Y0, Y1, Y2, Y3, Y4, Y5)
	SPMM_STORE6(192, Y6, Y7, Y8, Y9, Y10, Y11)
	// x − x is 0 for a finite x and NaN otherwise; NaN survives the sums.
	VSUBPS  Y0, Y0, Y0
	VSUBPS  Y1, Y1, Y1
	VSUBPS  Y2, Y2, Y2
	VSUBPS  Y3, Y3, Y3
	VSUBPS  Y4, Y4, Y4
	VSUBPS  Y5, Y5, Y5
	VSUBPS  Y6, Y6, Y6
	VSUBPS  Y7, Y7, Y7
	VSUBPS  Y8, Y8, Y8
	VSUBPS  Y9, Y9, Y9
	VSUBPS  Y10, Y10, Y10
	VSUBPS  Y11, Y11, Y11
	VADDPS  Y1, Y0, Y0
	VADDPS  Y3, Y2, Y2
	VADDPS  Y5, Y4, Y4
	VADDPS  Y7, Y6, Y6
	VADDPS  Y9, Y8, Y8
	VADDPS  Y11, Y10, Y10
	VADDPS  Y2, Y0, Y0
	VADDPS  Y6, Y4, Y4
	VADDPS  Y10, Y8, Y8
	VADDPS  Y4, Y0, Y0
	VADDPS  Y8, Y0, Y0
	VCMPPS  $0, Y0, Y0, Y1 // ordered and equal: not NaN
	VMOVMSKPS Y1, AX
	CMPL    AX, $0xff
	SETEQ   ret+48(FP)
	VZEROUPPER
	RET

// func spmmF32x8AVX2(out, m *float32, stride int, idx *int32, val *float32, n int)
//
// spmmF32x64AVX2 for 8 columns.
TEXT ·spmmF32x8AVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ m+8(FP), SI
	MOVQ stride+16(FP), DX
	SHLQ $2, DX
	MOVQ idx+24(FP), R8
	MOVQ val+32(FP), R9
	MOVQ n+40(FP), CX

	VMOVUPS 0(DI), Y0
	TESTQ   CX, CX
	JZ      f8store

f8loop:
	MOVLQSX      (R8), AX
	IMULQ        DX, AX
	ADDQ         SI, AX
	VBROADCASTSS (R9), Y8
	VMULPS       0(AX), Y8, Y9
	VADDPS       Y9, Y0, Y0
	ADDQ         $4, R8
	ADDQ         $4, R9
	DECQ         CX
	JNZ          f8loop

f8store:
	VMOVUPS Y0, 0(DI)
	VZEROUPPER
	RET

// FBB_ROW adds ±δ (rows Y4 … Y7, − where the partner's bit is clear: input
// −1) to the partner's lane sums a; the partner's 32 bits are at p.
#define FBB_ROW(p, a) \
	VPBROADCASTD (p), Y8; \
	VPSLLVD Y12, Y8, Y9; VPANDN Y10, Y9, Y9; VXORPS Y4, Y9, Y9; VADDPS Y9, a, a; \
	VPSLLVD Y13, Y8, Y11; VPANDN Y10, Y11, Y11; VXORPS Y5, Y11, Y11; VADDPS Y11, a, a; \
	VPSLLVD Y14, Y8, Y9; VPANDN Y10, Y9, Y9; VXORPS Y6, Y9, Y9; VADDPS Y9, a, a; \
	VPSLLVD Y15, Y8, Y11; VPANDN Y10, Y11, Y11; VXORPS Y7, Y11, Y11; VADDPS Y11, a, a

// func latBwdBitsAVX2(sums, d *float32, bitsT *uint32, blocks int, part *int32, kq int, shifts *[32]uint32)
//
// latBwdF32AVX2 for ±1 inputs given as bits, partner by partner (bit r of
// bitsT[p·blocks+blk]: row 32·blk+r of input p is +1, so a partner's words
// are 4·blocks contiguous bytes): d·(±1) is ±d exactly, so the sums are the
// same. Each row's bit is shifted to the sign (shifts[r] = 31 − r) and
// inverted: the sign to flip where the input is −1.
TEXT ·latBwdBitsAVX2(SB), NOSPLIT, $0-56
	MOVQ sums+0(FP), DI
	MOVQ bitsT+16(FP), R9
	MOVQ blocks+24(FP), R14
	SHLQ $2, R14
	MOVQ part+32(FP), SI
	MOVQ kq+40(FP), CX
	SIGN_SHIFTS(shifts+48(FP), Y10, X10)
	TESTQ CX, CX
	JZ    bbdone

bbq:
	MOVLQSX (SI), R10
	IMULQ   R14, R10
	ADDQ    R9, R10
	MOVLQSX 4(SI), R11
	IMULQ   R14, R11
	ADDQ    R9, R11
	MOVLQSX 8(SI), R12
	IMULQ   R14, R12
	ADDQ    R9, R12
	MOVLQSX 12(SI), R13
	IMULQ   R14, R13
	ADDQ    R9, R13
	VXORPS  Y0, Y0, Y0
	VXORPS  Y1, Y1, Y1
	VXORPS  Y2, Y2, Y2
	VXORPS  Y3, Y3, Y3
	MOVQ    d+8(FP), BX
	MOVQ    blocks+24(FP), DX
	TESTQ   DX, DX
	JZ      bbsum

bbb:
	VMOVUPS 0(BX), Y4
	VMOVUPS 32(BX), Y5
	VMOVUPS 64(BX), Y6
	VMOVUPS 96(BX), Y7
	FBB_ROW(R10, Y0)
	FBB_ROW(R11, Y1)
	FBB_ROW(R12, Y2)
	FBB_ROW(R13, Y3)
	ADDQ    $128, BX
	ADDQ    $4, R10
	ADDQ    $4, R11
	ADDQ    $4, R12
	ADDQ    $4, R13
	DECQ    DX
	JNZ     bbb

bbsum:
	FB_SUM(Y0, X0, 0)
	FB_SUM(Y1, X1, 4)
	FB_SUM(Y2, X2, 8)
	FB_SUM(Y3, X3, 12)
	ADDQ $16, DI
	ADDQ $16, SI
	DECQ CX
	JNZ  bbq

bbdone:
	VZEROUPPER
	RET

// func signBitsAVX2(bits *uint32, xT *float32, n int) bool
//
// For w < n: bits[w] has bit r set where xT[32w+r] == +1; reports whether
// every value is +1 or −1 (|x| == 1 exactly).
TEXT ·signBitsAVX2(SB), NOSPLIT, $0-25
	MOVQ bits+0(FP), DI
	MOVQ xT+8(FP), SI
	MOVQ n+16(FP), CX
	MOVL $0x3f800000, AX // 1.0
	MOVQ AX, X14
	VPBROADCASTD X14, Y14
	MOVL $0x7fffffff, AX // |·| mask
	MOVQ AX, X15
	VPBROADCASTD X15, Y15
	MOVL $0xffffffff, R11 // all values ±1 so far (AND of the checks)
	TESTQ CX, CX
	JZ    sbdone

sbloop:
	XORL R8, R8
	VMOVUPS  0(SI), Y0
	VCMPPS   $0, Y14, Y0, Y1
	VMOVMSKPS Y1, AX
	ORL      AX, R8
	VANDPS   Y15, Y0, Y2
	VCMPPS   $0, Y14, Y2, Y2
	VMOVMSKPS Y2, R10
	VMOVUPS  32(SI), Y0
	VCMPPS   $0, Y14, Y0, Y1
	VMOVMSKPS Y1, AX
	SHLL     $8, AX
	ORL      AX, R8
	VANDPS   Y15, Y0, Y2
	VCMPPS   $0, Y14, Y2, Y2
	VMOVMSKPS Y2, AX
	SHLL     $8, AX
	ORL      AX, R10
	VMOVUPS  64(SI), Y0
	VCMPPS   $0, Y14, Y0, Y1
	VMOVMSKPS Y1, AX
	SHLL     $16, AX
	ORL      AX, R8
	VANDPS   Y15, Y0, Y2
	VCMPPS   $0, Y14, Y2, Y2
	VMOVMSKPS Y2, AX
	SHLL     $16, AX
	ORL      AX, R10
	VMOVUPS  96(SI), Y0
	VCMPPS   $0, Y14, Y0, Y1
	VMOVMSKPS Y1, AX
	SHLL     $24, AX
	ORL      AX, R8
	VANDPS   Y15, Y0, Y2
	VCMPPS   $0, Y14, Y2, Y2
	VMOVMSKPS Y2, AX
	SHLL     $24, AX
	ORL      AX, R10
	MOVL     R8, (DI)
	ANDL     R10, R11
	ADDQ     $128, SI
	ADDQ     $4, DI
	DECQ     CX
	JNZ      sbloop

sbdone:
	CMPL  R11, $0xffffffff
	SETEQ ret+24(FP)
	VZEROUPPER
	RET

// T4X4 transposes the 4×4 float64 block in a0 … a3 (rows) into b0 … b3.
#define T4X4(a0, a1, a2, a3, b0, b1, b2, b3) \
	VUNPCKLPD a1, a0, Y12; VUNPCKHPD a1, a0, Y13; VUNPCKLPD a3, a2, Y14; VUNPCKHPD a3, a2, Y15; \
	VPERM2F128 $0x20, Y14, Y12, b0; VPERM2F128 $0x20, Y15, Y13, b1; \
	VPERM2F128 $0x31, Y14, Y12, b2; VPERM2F128 $0x31, Y15, Y13, b3

// func unpackRowsF32AVX2(out *float64, oStride int, tmp *float32, nj, nr int)
//
// out[r·oStride+jj] = float64(tmp[jj·32+r]) for jj < nj, r < nr (both
// multiples of 4): a lateral block's float32 sums, neuron-major, to rows.
TEXT ·unpackRowsF32AVX2(SB), NOSPLIT, $0-40
	MOVQ out+0(FP), DI
	MOVQ oStride+8(FP), R8
	SHLQ $3, R8
	MOVQ tmp+16(FP), SI
	MOVQ nj+24(FP), R9
	MOVQ nr+32(FP), R10
	XORQ BX, BX // jj

urj:
	CMPQ BX, R9
	JGE  urdone
	XORQ CX, CX // r
	MOVQ BX, AX
	SHLQ $7, AX
	LEAQ (SI)(AX*1), R11 // &tmp[jj·32]

urr:
	CMPQ CX, R10
	JGE  urnext
	VCVTPS2PD 0(R11)(CX*4), Y0
	VCVTPS2PD 128(R11)(CX*4), Y1
	VCVTPS2PD 256(R11)(CX*4), Y2
	VCVTPS2PD 384(R11)(CX*4), Y3
	T4X4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	MOVQ    CX, AX
	IMULQ   R8, AX
	LEAQ    (DI)(AX*1), AX
	LEAQ    (AX)(BX*8), AX
	VMOVUPD Y4, (AX)
	ADDQ    R8, AX
	VMOVUPD Y5, (AX)
	ADDQ    R8, AX
	VMOVUPD Y6, (AX)
	ADDQ    R8, AX
	VMOVUPD Y7, (AX)
	ADDQ    $4, CX
	JMP     urr

urnext:
	ADDQ $4, BX
	JMP  urj

urdone:
	VZEROUPPER
	RET

// func packColsF32AVX2(dT *float32, dStride int, delta *float64, stride, nb, nj int)
//
// dT[jj·dStride+b] = float32(delta[b·stride+jj]) for b < nb, jj < nj (both
// multiples of 4): δ's rows to float32 neuron rows.
TEXT ·packColsF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dT+0(FP), DI
	MOVQ dStride+8(FP), R8
	SHLQ $2, R8
	MOVQ delta+16(FP), SI
	MOVQ stride+24(FP), R9
	SHLQ $3, R9
	MOVQ nb+32(FP), R10
	MOVQ nj+40(FP), R11
	XORQ CX, CX // b

pcb:
	CMPQ CX, R10
	JGE  pcdone
	MOVQ CX, AX
	IMULQ R9, AX
	LEAQ (SI)(AX*1), R12 // &delta[b·stride]
	XORQ BX, BX // jj

pcj:
	CMPQ BX, R11
	JGE  pcnext
	LEAQ (R12)(BX*8), AX
	VMOVUPD (AX), Y0
	ADDQ    R9, AX
	VMOVUPD (AX), Y1
	ADDQ    R9, AX
	VMOVUPD (AX), Y2
	ADDQ    R9, AX
	VMOVUPD (AX), Y3
	T4X4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	VCVTPD2PSY Y4, X4
	VCVTPD2PSY Y5, X5
	VCVTPD2PSY Y6, X6
	VCVTPD2PSY Y7, X7
	MOVQ  BX, AX
	IMULQ R8, AX
	LEAQ  (DI)(AX*1), AX
	LEAQ  (AX)(CX*4), AX
	VMOVUPS X4, (AX)
	ADDQ    R8, AX
	VMOVUPS X5, (AX)
	ADDQ    R8, AX
	VMOVUPS X6, (AX)
	ADDQ    R8, AX
	VMOVUPS X7, (AX)
	ADDQ    $4, BX
	JMP     pcj

pcnext:
	ADDQ $4, CX
	JMP  pcb

pcdone:
	VZEROUPPER
	RET

// func affineF32AVX2(o *float64, sums *float32, colsum, bias *float64, n int, k *[2]float64)
//
// o[j] = (k[0]·float64(sums[j]) + k[1]·colsum[j]) + bias[j] for j < n (a
// multiple of 4): a sparse affine input's map on a tile of float32 sums.
TEXT ·affineF32AVX2(SB), NOSPLIT, $0-48
	MOVQ o+0(FP), DI
	MOVQ sums+8(FP), SI
	MOVQ colsum+16(FP), R8
	MOVQ bias+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSD 0(AX), Y14
	VBROADCASTSD 8(AX), Y15
	XORQ DX, DX
	SHRQ $2, CX
	JZ   afdone

afloop:
	VCVTPS2PD (SI)(DX*4), Y0
	VMULPD    Y14, Y0, Y0
	VMULPD    (R8)(DX*8), Y15, Y1
	VADDPD    Y1, Y0, Y0
	VADDPD    (R9)(DX*8), Y0, Y0
	VMOVUPD   Y0, (DI)(DX*8)
	ADDQ      $4, DX
	DECQ      CX
	JNZ       afloop

afdone:
	VZEROUPPER
	RET

// func narrowF32AVX2(dst *float32, src *float64, n int)
//
// dst[i] = float32(src[i]) for i < n (a multiple of 8), rounded to nearest
// as Go's conversion.
TEXT ·narrowF32AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ DX, DX
	SHRQ $3, CX
	JZ   nfdone

nfloop:
	VCVTPD2PSY (SI)(DX*8), X0
	VCVTPD2PSY 32(SI)(DX*8), X1
	VMOVUPS    X0, (DI)(DX*4)
	VMOVUPS    X1, 16(DI)(DX*4)
	ADDQ       $8, DX
	DECQ       CX
	JNZ        nfloop

nfdone:
	VZEROUPPER
	RET

// func widenF32AVX2(dst *float64, src *float32, n int)
//
// dst[i] = float64(src[i]) for i < n (a multiple of 8), exact.
TEXT ·widenF32AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ DX, DX
	SHRQ $3, CX
	JZ   wfdone

wfloop:
	VCVTPS2PD (SI)(DX*4), Y0
	VCVTPS2PD 16(SI)(DX*4), Y1
	VMOVUPD   Y0, (DI)(DX*8)
	VMOVUPD   Y1, 32(DI)(DX*8)
	ADDQ      $8, DX
	DECQ      CX
	JNZ       wfloop

wfdone:
	VZEROUPPER
	RET

// func transposeF64AVX2(dst *float64, dStride int, src *float64, sStride, n, m int)
//
// dst[r·dStride+i] = src[i·sStride+r] for i < n, r < m (both multiples of
// 4), in 4×4 blocks: a copy, no arithmetic.
TEXT ·transposeF64AVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ dStride+8(FP), R8
	SHLQ $3, R8
	MOVQ src+16(FP), SI
	MOVQ sStride+24(FP), R9
	SHLQ $3, R9
	MOVQ n+32(FP), R10
	MOVQ m+40(FP), R11
	XORQ BX, BX // i

tfi:
	CMPQ BX, R10
	JGE  tfdone
	MOVQ BX, AX
	IMULQ R9, AX
	LEAQ (SI)(AX*1), R12 // &src[i·sStride]
	XORQ CX, CX // r

tfr:
	CMPQ CX, R11
	JGE  tfnext
	LEAQ (R12)(CX*8), AX
	VMOVUPD (AX), Y0
	ADDQ    R9, AX
	VMOVUPD (AX), Y1
	ADDQ    R9, AX
	VMOVUPD (AX), Y2
	ADDQ    R9, AX
	VMOVUPD (AX), Y3
	T4X4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	MOVQ  CX, AX
	IMULQ R8, AX
	LEAQ  (DI)(AX*1), AX
	LEAQ  (AX)(BX*8), AX
	VMOVUPD Y4, (AX)
	ADDQ    R8, AX
	VMOVUPD Y5, (AX)
	ADDQ    R8, AX
	VMOVUPD Y6, (AX)
	ADDQ    R8, AX
	VMOVUPD Y7, (AX)
	ADDQ    $4, CX
	JMP     tfr

tfnext:
	ADDQ $4, BX
	JMP  tfi

tfdone:
	VZEROUPPER
	RET

// T8X8 transposes the 8×8 block of 32-bit values in Y0 … Y7 (rows) into
// Y8 … Y15 (columns), through Y8 … Y15 and Y0 … Y7 as scratch.
#define T8X8 \
	VUNPCKLPS Y1, Y0, Y8; VUNPCKHPS Y1, Y0, Y9; VUNPCKLPS Y3, Y2, Y10; VUNPCKHPS Y3, Y2, Y11; \
	VUNPCKLPS Y5, Y4, Y12; VUNPCKHPS Y5, Y4, Y13; VUNPCKLPS Y7, Y6, Y14; VUNPCKHPS Y7, Y6, Y15; \
	VSHUFPS $0x44, Y10, Y8, Y0; VSHUFPS $0xEE, Y10, Y8, Y1; VSHUFPS $0x44, Y11, Y9, Y2; VSHUFPS $0xEE, Y11, Y9, Y3; \
	VSHUFPS $0x44, Y14, Y12, Y4; VSHUFPS $0xEE, Y14, Y12, Y5; VSHUFPS $0x44, Y15, Y13, Y6; VSHUFPS $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; VPERM2F128 $0x20, Y5, Y1, Y9; VPERM2F128 $0x20, Y6, Y2, Y10; VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; VPERM2F128 $0x31, Y5, Y1, Y13; VPERM2F128 $0x31, Y6, Y2, Y14; VPERM2F128 $0x31, Y7, Y3, Y15

// func transposeI32AVX2(dst *int32, dStride int, src *int32, sStride, n, m int)
//
// dst[r·dStride+i] = src[i·sStride+r] for i < n, r < m (both multiples of
// 8), in 8×8 blocks: a copy, no arithmetic.
TEXT ·transposeI32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ dStride+8(FP), R8
	SHLQ $2, R8
	MOVQ src+16(FP), SI
	MOVQ sStride+24(FP), R9
	SHLQ $2, R9
	MOVQ n+32(FP), R10
	MOVQ m+40(FP), R11
	XORQ BX, BX // i

t8i:
	CMPQ  BX, R10
	JGE   t8done
	MOVQ  BX, AX
	IMULQ R9, AX
	LEAQ  (SI)(AX*1), R12 // &src[i·sStride]
	XORQ  CX, CX          // r

t8r:
	CMPQ    CX, R11
	JGE     t8next
	LEAQ    (R12)(CX*4), AX
	VMOVUPS (AX), Y0
	ADDQ    R9, AX
	VMOVUPS (AX), Y1
	ADDQ    R9, AX
	VMOVUPS (AX), Y2
	ADDQ    R9, AX
	VMOVUPS (AX), Y3
	ADDQ    R9, AX
	VMOVUPS (AX), Y4
	ADDQ    R9, AX
	VMOVUPS (AX), Y5
	ADDQ    R9, AX
	VMOVUPS (AX), Y6
	ADDQ    R9, AX
	VMOVUPS (AX), Y7
	T8X8
	MOVQ    CX, AX
	IMULQ   R8, AX
	LEAQ    (DI)(AX*1), AX
	LEAQ    (AX)(BX*4), AX
	VMOVUPS Y8, (AX)
	ADDQ    R8, AX
	VMOVUPS Y9, (AX)
	ADDQ    R8, AX
	VMOVUPS Y10, (AX)
	ADDQ    R8, AX
	VMOVUPS Y11, (AX)
	ADDQ    R8, AX
	VMOVUPS Y12, (AX)
	ADDQ    R8, AX
	VMOVUPS Y13, (AX)
	ADDQ    R8, AX
	VMOVUPS Y14, (AX)
	ADDQ    R8, AX
	VMOVUPS Y15, (AX)
	ADDQ    $8, CX
	JMP     t8r

t8next:
	ADDQ $8, BX
	JMP  t8i

t8done:
	VZEROUPPER
	RET

// func latFwdBitsAVX2(tmp *float32, bits *uint32, part *int32, w, bias *float32, nj, k int, shifts *[32]uint32)
//
// latFwdF32AVX2 for ±1 inputs given as bits (input p's 32 rows in bits[p],
// bit r set: +1): w·(±1) is ±w, so each term adds w or −w, chosen by the
// row's bit moved to the sign position (shifts[r] = 31 − r). The block's
// bits take 4 bytes an input and stay in L1, where its float32 rows take 128.
TEXT ·latFwdBitsAVX2(SB), NOSPLIT, $0-64
	MOVQ tmp+0(FP), DI
	MOVQ bits+8(FP), R9
	MOVQ part+16(FP), SI
	MOVQ w+24(FP), R10
	MOVQ bias+32(FP), R11
	MOVQ nj+40(FP), BX
	MOVQ k+48(FP), R12
	SIGN_SHIFTS(shifts+56(FP), Y11, X11)
	TESTQ BX, BX
	JZ    fbdone

fbj:
	LAT_BIAS4(R11)
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           fbstore

fbk:
	MOVLQSX      (SI), AX
	VBROADCASTSS (R10), Y4
	VXORPS       Y11, Y4, Y5
	VPBROADCASTD (R9)(AX*4), Y6
	VPSLLVD      Y12, Y6, Y7
	VBLENDVPS    Y7, Y4, Y5, Y7
	VADDPS       Y7, Y0, Y0
	VPSLLVD      Y13, Y6, Y8
	VBLENDVPS    Y8, Y4, Y5, Y8
	VADDPS       Y8, Y1, Y1
	VPSLLVD      Y14, Y6, Y9
	VBLENDVPS    Y9, Y4, Y5, Y9
	VADDPS       Y9, Y2, Y2
	VPSLLVD      Y15, Y6, Y10
	VBLENDVPS    Y10, Y4, Y5, Y10
	VADDPS       Y10, Y3, Y3
	ADDQ         $4, SI
	ADDQ         $4, R10
	DECQ         CX
	JNZ          fbk

fbstore:
	LAT_STORE4(DI)
	ADDQ    $4, R11
	DECQ    BX
	JNZ     fbj

fbdone:
	VZEROUPPER
	RET

// func transposeU32AVX2(dst *uint32, dStride int, src *uint32, sStride, n, m int)
//
// transposeI32AVX2 for uint32 (the same bits).
TEXT ·transposeU32AVX2(SB), NOSPLIT, $0-48
	JMP ·transposeI32AVX2(SB)

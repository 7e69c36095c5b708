// Vector kernels for amd64 (AVX2 + FMA). Each one performs, lane by lane,
// exactly the floating-point operations of the scalar Go code it replaces,
// so results are bit-identical: products and sums are rounded separately
// (no fused multiply-add) except where the scalar code itself fuses them.

#include "textflag.h"
#include "sigmoid_amd64.h"

// Constants of math.archExp (Go's exp_amd64.s), broadcast from memory.
DATA ·expc+0(SB)/8, $1.4426950408889634073599246810018920      // LOG2E
DATA ·expc+8(SB)/8, $0.69314718055966295651160180568695068359375 // LN2U
DATA ·expc+16(SB)/8, $0.28235290563031577122588448175013436025525412068e-12 // LN2L
DATA ·expc+24(SB)/8, $0.0625
DATA ·expc+32(SB)/8, $2.4801587301587301587e-5
DATA ·expc+40(SB)/8, $1.9841269841269841270e-4
DATA ·expc+48(SB)/8, $1.3888888888888888889e-3
DATA ·expc+56(SB)/8, $8.3333333333333333333e-3
DATA ·expc+64(SB)/8, $4.1666666666666666667e-2
DATA ·expc+72(SB)/8, $1.6666666666666666667e-1
DATA ·expc+80(SB)/8, $0.5
DATA ·expc+88(SB)/8, $1.0
DATA ·expc+96(SB)/8, $2.0
DATA ·expc+104(SB)/8, $700.0                 // |argument| bound of the fast path
DATA ·expc+112(SB)/8, $0x8000000000000000    // sign bit
DATA ·expc+120(SB)/8, $0x7fffffffffffffff    // abs mask
DATA ·expc+128(SB)/8, $1023                  // exponent bias (int64)
GLOBL ·expc(SB), RODATA|NOPTR, $136

// ·expc replicated to 4 lanes, for memory operands of the 4-vector loop.
DATA ·expv+0(SB)/8, $1.4426950408889634073599246810018920
DATA ·expv+8(SB)/8, $1.4426950408889634073599246810018920
DATA ·expv+16(SB)/8, $1.4426950408889634073599246810018920
DATA ·expv+24(SB)/8, $1.4426950408889634073599246810018920
DATA ·expv+32(SB)/8, $0.69314718055966295651160180568695068359375
DATA ·expv+40(SB)/8, $0.69314718055966295651160180568695068359375
DATA ·expv+48(SB)/8, $0.69314718055966295651160180568695068359375
DATA ·expv+56(SB)/8, $0.69314718055966295651160180568695068359375
DATA ·expv+64(SB)/8, $0.28235290563031577122588448175013436025525412068e-12
DATA ·expv+72(SB)/8, $0.28235290563031577122588448175013436025525412068e-12
DATA ·expv+80(SB)/8, $0.28235290563031577122588448175013436025525412068e-12
DATA ·expv+88(SB)/8, $0.28235290563031577122588448175013436025525412068e-12
DATA ·expv+96(SB)/8, $0.0625
DATA ·expv+104(SB)/8, $0.0625
DATA ·expv+112(SB)/8, $0.0625
DATA ·expv+120(SB)/8, $0.0625
DATA ·expv+128(SB)/8, $2.4801587301587301587e-5
DATA ·expv+136(SB)/8, $2.4801587301587301587e-5
DATA ·expv+144(SB)/8, $2.4801587301587301587e-5
DATA ·expv+152(SB)/8, $2.4801587301587301587e-5
DATA ·expv+160(SB)/8, $1.9841269841269841270e-4
DATA ·expv+168(SB)/8, $1.9841269841269841270e-4
DATA ·expv+176(SB)/8, $1.9841269841269841270e-4
DATA ·expv+184(SB)/8, $1.9841269841269841270e-4
DATA ·expv+192(SB)/8, $1.3888888888888888889e-3
DATA ·expv+200(SB)/8, $1.3888888888888888889e-3
DATA ·expv+208(SB)/8, $1.3888888888888888889e-3
DATA ·expv+216(SB)/8, $1.3888888888888888889e-3
DATA ·expv+224(SB)/8, $8.3333333333333333333e-3
DATA ·expv+232(SB)/8, $8.3333333333333333333e-3
DATA ·expv+240(SB)/8, $8.3333333333333333333e-3
DATA ·expv+248(SB)/8, $8.3333333333333333333e-3
DATA ·expv+256(SB)/8, $4.1666666666666666667e-2
DATA ·expv+264(SB)/8, $4.1666666666666666667e-2
DATA ·expv+272(SB)/8, $4.1666666666666666667e-2
DATA ·expv+280(SB)/8, $4.1666666666666666667e-2
DATA ·expv+288(SB)/8, $1.6666666666666666667e-1
DATA ·expv+296(SB)/8, $1.6666666666666666667e-1
DATA ·expv+304(SB)/8, $1.6666666666666666667e-1
DATA ·expv+312(SB)/8, $1.6666666666666666667e-1
DATA ·expv+320(SB)/8, $0.5
DATA ·expv+328(SB)/8, $0.5
DATA ·expv+336(SB)/8, $0.5
DATA ·expv+344(SB)/8, $0.5
DATA ·expv+352(SB)/8, $1.0
DATA ·expv+360(SB)/8, $1.0
DATA ·expv+368(SB)/8, $1.0
DATA ·expv+376(SB)/8, $1.0
DATA ·expv+384(SB)/8, $2.0
DATA ·expv+392(SB)/8, $2.0
DATA ·expv+400(SB)/8, $2.0
DATA ·expv+408(SB)/8, $2.0
DATA ·expv+416(SB)/8, $700.0
DATA ·expv+424(SB)/8, $700.0
DATA ·expv+432(SB)/8, $700.0
DATA ·expv+440(SB)/8, $700.0
DATA ·expv+448(SB)/8, $0x8000000000000000
DATA ·expv+456(SB)/8, $0x8000000000000000
DATA ·expv+464(SB)/8, $0x8000000000000000
DATA ·expv+472(SB)/8, $0x8000000000000000
DATA ·expv+480(SB)/8, $0x7fffffffffffffff
DATA ·expv+488(SB)/8, $0x7fffffffffffffff
DATA ·expv+496(SB)/8, $0x7fffffffffffffff
DATA ·expv+504(SB)/8, $0x7fffffffffffffff
DATA ·expv+512(SB)/8, $1023
DATA ·expv+520(SB)/8, $1023
DATA ·expv+528(SB)/8, $1023
DATA ·expv+536(SB)/8, $1023
GLOBL ·expv(SB), RODATA|NOPTR, $544

// func sigmoidAVX2(dst, src []float64) bool
//
// dst[i] = 1 / (1 + exp(-src[i])) for i < len(src)&^3, exp being math.Exp's
// FMA path (the one math.Exp takes on any CPU with AVX2 and FMA). It reports
// whether every −src[i] was within ±700, where that path needs no special
// case; when it returns false the caller recomputes the other elements.
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-49
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	SHRQ $2, CX

	VBROADCASTSD ·expc+112(SB), Y15 // sign
	VBROADCASTSD ·expc+120(SB), Y14 // abs mask
	VBROADCASTSD ·expc+104(SB), Y13 // 700
	VBROADCASTSD ·expc+0(SB), Y12   // LOG2E
	VBROADCASTSD ·expc+88(SB), Y11  // 1.0
	VBROADCASTSD ·expc+96(SB), Y10  // 2.0
	VPCMPEQQ     Y9, Y9, Y9          // all lanes in range so far

	TESTQ CX, CX
	JZ    done

loop:
	VMOVUPD (SI), Y0
	VXORPD  Y15, Y0, Y0   // y = −x
	VANDPD  Y14, Y0, Y1
	VCMPPD  $2, Y13, Y1, Y1 // |y| ≤ 700 (false for NaN)
	VANDPD  Y1, Y9, Y9

	VMULPD    Y12, Y0, Y1 // y·LOG2E
	VCVTPD2DQY Y1, X2     // round to nearest, as CVTSD2SL
	VCVTDQ2PD  X2, Y1
	VBROADCASTSD ·expc+8(SB), Y3
	VFNMADD231PD Y3, Y1, Y0 // y −= k·LN2U (fused)
	VBROADCASTSD ·expc+16(SB), Y3
	VFNMADD231PD Y3, Y1, Y0 // y −= k·LN2L (fused)
	VBROADCASTSD ·expc+24(SB), Y3
	VMULPD Y3, Y0, Y0       // y·0.0625

	VBROADCASTSD ·expc+32(SB), Y1
	VBROADCASTSD ·expc+40(SB), Y3
	VFMADD213PD  Y3, Y0, Y1
	VBROADCASTSD ·expc+48(SB), Y3
	VFMADD213PD  Y3, Y0, Y1
	VBROADCASTSD ·expc+56(SB), Y3
	VFMADD213PD  Y3, Y0, Y1
	VBROADCASTSD ·expc+64(SB), Y3
	VFMADD213PD  Y3, Y0, Y1
	VBROADCASTSD ·expc+72(SB), Y3
	VFMADD213PD  Y3, Y0, Y1
	VBROADCASTSD ·expc+80(SB), Y3
	VFMADD213PD  Y3, Y0, Y1
	VFMADD213PD  Y11, Y0, Y1
	VMULPD       Y1, Y0, Y0
	VADDPD       Y10, Y0, Y1
	VMULPD       Y1, Y0, Y0
	VADDPD       Y10, Y0, Y1
	VMULPD       Y1, Y0, Y0
	VADDPD       Y10, Y0, Y1
	VMULPD       Y1, Y0, Y0
	VADDPD       Y10, Y0, Y1
	VFMADD213PD  Y11, Y1, Y0 // fr = y·(y+2) + 1

	// exp = fr · 2^k
	VPMOVSXDQ    X2, Y2
	VPBROADCASTQ ·expc+128(SB), Y3
	VPADDQ       Y3, Y2, Y2
	VPSLLQ       $52, Y2, Y2
	VMULPD       Y2, Y0, Y0

	// σ = 1 / (1 + exp)
	VADDPD Y11, Y0, Y0
	VDIVPD Y0, Y11, Y0
	VMOVUPD Y0, (DI)

	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop

done:
	VMOVMSKPD Y9, AX
	CMPQ      AX, $15
	SETEQ     ret+48(FP)
	VZEROUPPER
	RET

// SPMM_AHEAD is how many terms ahead spmm32AVX2 prefetches.
#define SPMM_AHEAD 12

// SPMM32_TERM adds val[t]·m[idx[t]·stride:][:32] (R9, R8, SI, DX) to Y0–Y7
// and moves R8, R9 to the next term.
#define SPMM32_TERM \
	MOVLQSX (R8), AX; IMULQ DX, AX; ADDQ SI, AX; VBROADCASTSD (R9), Y8; \
	VMULPD 0(AX), Y8, Y9; VADDPD Y9, Y0, Y0; VMULPD 32(AX), Y8, Y10; VADDPD Y10, Y1, Y1; \
	VMULPD 64(AX), Y8, Y11; VADDPD Y11, Y2, Y2; VMULPD 96(AX), Y8, Y12; VADDPD Y12, Y3, Y3; \
	VMULPD 128(AX), Y8, Y13; VADDPD Y13, Y4, Y4; VMULPD 160(AX), Y8, Y14; VADDPD Y14, Y5, Y5; \
	VMULPD 192(AX), Y8, Y15; VADDPD Y15, Y6, Y6; VMULPD 224(AX), Y8, Y9; VADDPD Y9, Y7, Y7; \
	ADDQ $4, R8; ADDQ $8, R9

// func spmm32AVX2(out, m []float64, stride int, idx []int32, val []float64)
//
// out[0:32] += val[t]·m[idx[t]*stride : idx[t]*stride+32] for t in order,
// each term a product then a sum, as y += a·x does element by element.
TEXT ·spmm32AVX2(SB), NOSPLIT, $0-104
	MOVQ out_base+0(FP), DI
	MOVQ m_base+24(FP), SI
	MOVQ stride+48(FP), DX
	SHLQ $3, DX
	MOVQ idx_base+56(FP), R8
	MOVQ val_base+80(FP), R9
	MOVQ val_len+88(FP), CX

	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
	VMOVUPD 192(DI), Y6
	VMOVUPD 224(DI), Y7

	// Terms more than SPMM_AHEAD from the end prefetch the row of the term
	// SPMM_AHEAD later (rows picked by index defeat the hardware prefetcher).
	MOVQ CX, R10
	SUBQ $SPMM_AHEAD, R10
	JLE  tail32

ahead32:
	MOVLQSX    (SPMM_AHEAD*4)(R8), BX
	IMULQ      DX, BX
	ADDQ       SI, BX
	PREFETCHT0 0(BX)
	PREFETCHT0 64(BX)
	PREFETCHT0 128(BX)
	PREFETCHT0 192(BX)
	SPMM32_TERM
	DECQ       R10
	JNZ        ahead32
	MOVQ       $SPMM_AHEAD, CX

tail32:
	TESTQ CX, CX
	JZ    store32

loop32:
	SPMM32_TERM
	DECQ CX
	JNZ  loop32

store32:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	VZEROUPPER
	RET

// func spmm4AVX2(out, m []float64, stride int, idx []int32, val []float64)
//
// spmm32AVX2 for 4 columns.
TEXT ·spmm4AVX2(SB), NOSPLIT, $0-104
	MOVQ out_base+0(FP), DI
	MOVQ m_base+24(FP), SI
	MOVQ stride+48(FP), DX
	SHLQ $3, DX
	MOVQ idx_base+56(FP), R8
	MOVQ val_base+80(FP), R9
	MOVQ val_len+88(FP), CX

	VMOVUPD 0(DI), Y0
	TESTQ   CX, CX
	JZ      store4

loop4:
	MOVLQSX      (R8), AX
	IMULQ        DX, AX
	ADDQ         SI, AX
	VBROADCASTSD (R9), Y8
	VMULPD       0(AX), Y8, Y9
	VADDPD       Y9, Y0, Y0
	ADDQ         $4, R8
	ADDQ         $8, R9
	DECQ         CX
	JNZ          loop4

store4:
	VMOVUPD Y0, 0(DI)
	VZEROUPPER
	RET

// func spmm16AVX2(out, m []float64, stride int, idx []int32, val []float64)
//
// spmm32AVX2 for 16 columns.
TEXT ·spmm16AVX2(SB), NOSPLIT, $0-104
	MOVQ out_base+0(FP), DI
	MOVQ m_base+24(FP), SI
	MOVQ stride+48(FP), DX
	SHLQ $3, DX
	MOVQ idx_base+56(FP), R8
	MOVQ val_base+80(FP), R9
	MOVQ val_len+88(FP), CX

	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	TESTQ   CX, CX
	JZ      store16

loop16:
	MOVLQSX      (R8), AX
	IMULQ        DX, AX
	ADDQ         SI, AX
	VBROADCASTSD (R9), Y8
	VMULPD       0(AX), Y8, Y9
	VADDPD       Y9, Y0, Y0
	VMULPD       32(AX), Y8, Y10
	VADDPD       Y10, Y1, Y1
	VMULPD       64(AX), Y8, Y11
	VADDPD       Y11, Y2, Y2
	VMULPD       96(AX), Y8, Y12
	VADDPD       Y12, Y3, Y3
	ADDQ         $4, R8
	ADDQ         $8, R9
	DECQ         CX
	JNZ          loop16

store16:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VZEROUPPER
	RET

DATA binc<>+0(SB)/8, $0.0
GLOBL binc<>(SB), RODATA|NOPTR, $8

// func binAVX2(out []int32, vals []float64, lo, width, last float64, mult int32)
//
// out[i] += mult·bin(vals[i]) for i < len(vals)&^3, where bin is
// floor((v−lo)/width) clamped to [0, last] (NaN → 0), as Binning.Assign.
TEXT ·binAVX2(SB), NOSPLIT, $0-76
	MOVQ out_base+0(FP), DI
	MOVQ vals_base+24(FP), SI
	MOVQ vals_len+32(FP), CX
	SHRQ $2, CX
	VBROADCASTSD lo+48(FP), Y8
	VBROADCASTSD width+56(FP), Y9
	VBROADCASTSD last+64(FP), Y10
	VBROADCASTSD binc<>+0(SB), Y11
	MOVL         mult+72(FP), AX
	VMOVD        AX, X12
	VPBROADCASTD X12, X12
	TESTQ CX, CX
	JZ    bindone

binloop:
	VMOVUPD     (SI), Y0
	VSUBPD      Y8, Y0, Y0
	VDIVPD      Y9, Y0, Y0
	VROUNDPD    $9, Y0, Y0  // floor
	VMAXPD      Y11, Y0, Y0 // NaN and negatives → 0
	VMINPD      Y10, Y0, Y0
	VCVTTPD2DQY Y0, X1
	VPMULLD     X12, X1, X1
	VPADDD      (DI), X1, X1
	VMOVDQU     X1, (DI)
	ADDQ        $32, SI
	ADDQ        $16, DI
	DECQ        CX
	JNZ         binloop

bindone:
	VZEROUPPER
	RET

// AVX-512 versions of the kernels above (same operations, twice the lanes).

// func sigmoidAVX512(dst, src []float64) bool
//
// sigmoidAVX2 for 8 lanes: len(src)&^7 elements.
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-49
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	SHRQ $3, CX
	SIG512_CONSTS

	TESTQ CX, CX
	JZ    done512

loop512:
	VMOVUPD (SI), Z0
	SIG512
	VMOVUPD Z0, (DI)

	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop512

done512:
	SIG512_TEST
	SETEQ ret+48(FP)
	VZEROUPPER
	RET

// func spmm64AVX512(out, m []float64, stride int, idx []int32, val []float64)
//
// spmm32AVX2 for 64 columns.
TEXT ·spmm64AVX512(SB), NOSPLIT, $0-104
	MOVQ out_base+0(FP), DI
	MOVQ m_base+24(FP), SI
	MOVQ stride+48(FP), DX
	SHLQ $3, DX
	MOVQ idx_base+56(FP), R8
	MOVQ val_base+80(FP), R9
	MOVQ val_len+88(FP), CX

	VMOVUPD 0(DI), Z0
	VMOVUPD 64(DI), Z1
	VMOVUPD 128(DI), Z2
	VMOVUPD 192(DI), Z3
	VMOVUPD 256(DI), Z4
	VMOVUPD 320(DI), Z5
	VMOVUPD 384(DI), Z6
	VMOVUPD 448(DI), Z7
	TESTQ   CX, CX
	JZ      store64

loop64:
	MOVLQSX      (R8), AX
	IMULQ        DX, AX
	ADDQ         SI, AX
	VBROADCASTSD (R9), Z8
	VMULPD       0(AX), Z8, Z9
	VADDPD       Z9, Z0, Z0
	VMULPD       64(AX), Z8, Z10
	VADDPD       Z10, Z1, Z1
	VMULPD       128(AX), Z8, Z11
	VADDPD       Z11, Z2, Z2
	VMULPD       192(AX), Z8, Z12
	VADDPD       Z12, Z3, Z3
	VMULPD       256(AX), Z8, Z13
	VADDPD       Z13, Z4, Z4
	VMULPD       320(AX), Z8, Z14
	VADDPD       Z14, Z5, Z5
	VMULPD       384(AX), Z8, Z15
	VADDPD       Z15, Z6, Z6
	VMULPD       448(AX), Z8, Z16
	VADDPD       Z16, Z7, Z7
	ADDQ         $4, R8
	ADDQ         $8, R9
	DECQ         CX
	JNZ          loop64

store64:
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	VMOVUPD Z4, 256(DI)
	VMOVUPD Z5, 320(DI)
	VMOVUPD Z6, 384(DI)
	VMOVUPD Z7, 448(DI)
	VZEROUPPER
	RET

// func sigmoid4AVX2(dst, src []float64) bool
//
// sigmoidAVX2 on len(src)&^15 elements, four vectors per iteration (the
// polynomial's dependent chain is long; four in flight keep both FMA pipes
// busy), with constants as memory operands: the same operations per lane.
TEXT ·sigmoid4AVX2(SB), NOSPLIT, $0-49
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	SHRQ $4, CX
	VMOVUPD  ·expv+352(SB), Y13
	VPCMPEQQ Y12, Y12, Y12 // all lanes in range so far
	TESTQ    CX, CX
	JZ       qdone

quad:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	VXORPD ·expv+448(SB), Y0, Y0
	VXORPD ·expv+448(SB), Y1, Y1
	VXORPD ·expv+448(SB), Y2, Y2
	VXORPD ·expv+448(SB), Y3, Y3
	VANDPD ·expv+480(SB), Y0, Y4
	VANDPD ·expv+480(SB), Y1, Y5
	VANDPD ·expv+480(SB), Y2, Y6
	VANDPD ·expv+480(SB), Y3, Y7
	VCMPPD $2, ·expv+416(SB), Y4, Y4
	VCMPPD $2, ·expv+416(SB), Y5, Y5
	VCMPPD $2, ·expv+416(SB), Y6, Y6
	VCMPPD $2, ·expv+416(SB), Y7, Y7
	VANDPD Y4, Y12, Y12
	VANDPD Y5, Y12, Y12
	VANDPD Y6, Y12, Y12
	VANDPD Y7, Y12, Y12
	VMULPD ·expv+0(SB), Y0, Y4
	VMULPD ·expv+0(SB), Y1, Y5
	VMULPD ·expv+0(SB), Y2, Y6
	VMULPD ·expv+0(SB), Y3, Y7
	VCVTPD2DQY Y4, X8
	VCVTPD2DQY Y5, X9
	VCVTPD2DQY Y6, X10
	VCVTPD2DQY Y7, X11
	VCVTDQ2PD X8, Y4
	VCVTDQ2PD X9, Y5
	VCVTDQ2PD X10, Y6
	VCVTDQ2PD X11, Y7
	VFNMADD231PD ·expv+32(SB), Y4, Y0
	VFNMADD231PD ·expv+32(SB), Y5, Y1
	VFNMADD231PD ·expv+32(SB), Y6, Y2
	VFNMADD231PD ·expv+32(SB), Y7, Y3
	VFNMADD231PD ·expv+64(SB), Y4, Y0
	VFNMADD231PD ·expv+64(SB), Y5, Y1
	VFNMADD231PD ·expv+64(SB), Y6, Y2
	VFNMADD231PD ·expv+64(SB), Y7, Y3
	VMULPD ·expv+96(SB), Y0, Y0
	VMULPD ·expv+96(SB), Y1, Y1
	VMULPD ·expv+96(SB), Y2, Y2
	VMULPD ·expv+96(SB), Y3, Y3
	VMOVUPD ·expv+128(SB), Y4
	VMOVUPD ·expv+128(SB), Y5
	VMOVUPD ·expv+128(SB), Y6
	VMOVUPD ·expv+128(SB), Y7
	VFMADD213PD ·expv+160(SB), Y0, Y4
	VFMADD213PD ·expv+160(SB), Y1, Y5
	VFMADD213PD ·expv+160(SB), Y2, Y6
	VFMADD213PD ·expv+160(SB), Y3, Y7
	VFMADD213PD ·expv+192(SB), Y0, Y4
	VFMADD213PD ·expv+192(SB), Y1, Y5
	VFMADD213PD ·expv+192(SB), Y2, Y6
	VFMADD213PD ·expv+192(SB), Y3, Y7
	VFMADD213PD ·expv+224(SB), Y0, Y4
	VFMADD213PD ·expv+224(SB), Y1, Y5
	VFMADD213PD ·expv+224(SB), Y2, Y6
	VFMADD213PD ·expv+224(SB), Y3, Y7
	VFMADD213PD ·expv+256(SB), Y0, Y4
	VFMADD213PD ·expv+256(SB), Y1, Y5
	VFMADD213PD ·expv+256(SB), Y2, Y6
	VFMADD213PD ·expv+256(SB), Y3, Y7
	VFMADD213PD ·expv+288(SB), Y0, Y4
	VFMADD213PD ·expv+288(SB), Y1, Y5
	VFMADD213PD ·expv+288(SB), Y2, Y6
	VFMADD213PD ·expv+288(SB), Y3, Y7
	VFMADD213PD ·expv+320(SB), Y0, Y4
	VFMADD213PD ·expv+320(SB), Y1, Y5
	VFMADD213PD ·expv+320(SB), Y2, Y6
	VFMADD213PD ·expv+320(SB), Y3, Y7
	VFMADD213PD Y13, Y0, Y4
	VFMADD213PD Y13, Y1, Y5
	VFMADD213PD Y13, Y2, Y6
	VFMADD213PD Y13, Y3, Y7
	VMULPD Y4, Y0, Y0
	VMULPD Y5, Y1, Y1
	VMULPD Y6, Y2, Y2
	VMULPD Y7, Y3, Y3
	VADDPD ·expv+384(SB), Y0, Y4
	VADDPD ·expv+384(SB), Y1, Y5
	VADDPD ·expv+384(SB), Y2, Y6
	VADDPD ·expv+384(SB), Y3, Y7
	VMULPD Y4, Y0, Y0
	VMULPD Y5, Y1, Y1
	VMULPD Y6, Y2, Y2
	VMULPD Y7, Y3, Y3
	VADDPD ·expv+384(SB), Y0, Y4
	VADDPD ·expv+384(SB), Y1, Y5
	VADDPD ·expv+384(SB), Y2, Y6
	VADDPD ·expv+384(SB), Y3, Y7
	VMULPD Y4, Y0, Y0
	VMULPD Y5, Y1, Y1
	VMULPD Y6, Y2, Y2
	VMULPD Y7, Y3, Y3
	VADDPD ·expv+384(SB), Y0, Y4
	VADDPD ·expv+384(SB), Y1, Y5
	VADDPD ·expv+384(SB), Y2, Y6
	VADDPD ·expv+384(SB), Y3, Y7
	VMULPD Y4, Y0, Y0
	VMULPD Y5, Y1, Y1
	VMULPD Y6, Y2, Y2
	VMULPD Y7, Y3, Y3
	VADDPD ·expv+384(SB), Y0, Y4
	VADDPD ·expv+384(SB), Y1, Y5
	VADDPD ·expv+384(SB), Y2, Y6
	VADDPD ·expv+384(SB), Y3, Y7
	VFMADD213PD Y13, Y4, Y0
	VFMADD213PD Y13, Y5, Y1
	VFMADD213PD Y13, Y6, Y2
	VFMADD213PD Y13, Y7, Y3
	VPMOVSXDQ X8, Y8
	VPMOVSXDQ X9, Y9
	VPMOVSXDQ X10, Y10
	VPMOVSXDQ X11, Y11
	VPADDQ ·expv+512(SB), Y8, Y8
	VPADDQ ·expv+512(SB), Y9, Y9
	VPADDQ ·expv+512(SB), Y10, Y10
	VPADDQ ·expv+512(SB), Y11, Y11
	VPSLLQ $52, Y8, Y8
	VPSLLQ $52, Y9, Y9
	VPSLLQ $52, Y10, Y10
	VPSLLQ $52, Y11, Y11
	VMULPD Y8, Y0, Y0
	VMULPD Y9, Y1, Y1
	VMULPD Y10, Y2, Y2
	VMULPD Y11, Y3, Y3
	VADDPD Y13, Y0, Y0
	VADDPD Y13, Y1, Y1
	VADDPD Y13, Y2, Y2
	VADDPD Y13, Y3, Y3
	VDIVPD Y0, Y13, Y0
	VDIVPD Y1, Y13, Y1
	VDIVPD Y2, Y13, Y2
	VDIVPD Y3, Y13, Y3
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)

	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  quad

qdone:
	VMOVMSKPD Y12, AX
	CMPQ      AX, $15
	SETEQ     ret+48(FP)
	VZEROUPPER
	RET

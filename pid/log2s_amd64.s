// log2(x) = math.Log(x)·(1/ln 2) for 4 values at a time (AVX2), each lane
// performing the operations of math.Log on amd64 (math/log_amd64.s, the
// FreeBSD algorithm: frexp, s = f/(2+f), two polynomials in s⁴, no FMA), so
// the bits equal the scalar log2's; zeros, negatives, infinities and NaN
// take math.Log's special results.

#include "textflag.h"

DATA logc<>+0(SB)/8, $0x000FFFFFFFFFFFFF // mantissa
DATA logc<>+8(SB)/8, $0.5
DATA logc<>+16(SB)/8, $0x7FF            // exponent field
DATA logc<>+24(SB)/8, $0x3FE            // exponent bias − 1
DATA logc<>+32(SB)/8, $7.07106781186547524401e-01 // √2/2
DATA logc<>+40(SB)/8, $1.0
DATA logc<>+48(SB)/8, $2.0
DATA logc<>+56(SB)/8, $6.666666666666735130e-01 // L1
DATA logc<>+64(SB)/8, $3.999999999940941908e-01 // L2
DATA logc<>+72(SB)/8, $2.857142874366239149e-01 // L3
DATA logc<>+80(SB)/8, $2.222219843214978396e-01 // L4
DATA logc<>+88(SB)/8, $1.818357216161805012e-01 // L5
DATA logc<>+96(SB)/8, $1.531383769920937332e-01 // L6
DATA logc<>+104(SB)/8, $1.479819860511658591e-01 // L7
DATA logc<>+112(SB)/8, $6.93147180369123816490e-01 // Ln2Hi
DATA logc<>+120(SB)/8, $1.90821492927058770002e-10 // Ln2Lo
DATA logc<>+128(SB)/8, $0x7FFFFFFFFFFFFFFF // all but the sign
DATA logc<>+136(SB)/8, $0x7FF0000000000000 // +Inf
DATA logc<>+144(SB)/8, $0xFFF0000000000000 // −Inf
DATA logc<>+152(SB)/8, $0x7FF8000000000001 // math.Log's NaN
DATA logc<>+160(SB)/8, $1.4426950408889634 // 1/ln 2
GLOBL logc<>(SB), RODATA|NOPTR, $168

// The dword lanes 0, 2, 4, 6 (the low halves of 4 quadwords), for VPERMD.
DATA lowd<>+0(SB)/4, $0
DATA lowd<>+4(SB)/4, $2
DATA lowd<>+8(SB)/4, $4
DATA lowd<>+12(SB)/4, $6
DATA lowd<>+16(SB)/4, $0
DATA lowd<>+20(SB)/4, $2
DATA lowd<>+24(SB)/4, $4
DATA lowd<>+28(SB)/4, $6
GLOBL lowd<>(SB), RODATA|NOPTR, $32

#define C(off) logc<>+off(SB)

// func log2sAVX2(dst, src *float64, n int)
//
// n is a multiple of 4, > 0.
TEXT ·log2sAVX2(SB), NOSPLIT, $0-24
	MOVQ    dst+0(FP), DI
	MOVQ    src+8(FP), SI
	MOVQ    n+16(FP), CX
	VMOVDQU lowd<>(SB), Y15
	XORQ    DX, DX

loop:
	VMOVUPD (SI)(DX*8), Y0 // x

	// f1 = frexp's fraction, k = its exponent (as float64)
	VPBROADCASTQ  C(0), Y2
	VPAND         Y2, Y0, Y2
	VPBROADCASTQ  C(8), Y3
	VPOR          Y3, Y2, Y2
	VPSRLQ        $52, Y0, Y1
	VPBROADCASTQ  C(16), Y3
	VPAND         Y3, Y1, Y1
	VPBROADCASTQ  C(24), Y3
	VPSUBQ        Y3, Y1, Y1
	VPERMD        Y1, Y15, Y1
	VCVTDQ2PD     X1, Y1

	// if f1 < √2/2 (as math.Log on amd64 compares): k −= 1, f1 *= 2
	VBROADCASTSD C(32), Y3
	VCMPPD       $2, Y3, Y2, Y3 // f1 ≤ √2/2: NLT(√2/2, f1)
	VBROADCASTSD C(40), Y4
	VANDPD       Y4, Y3, Y3
	VSUBPD       Y3, Y1, Y1
	VADDPD       Y4, Y3, Y3
	VMULPD       Y3, Y2, Y2

	// f = f1 − 1, s = f/(2+f), s2 = s·s, s4 = s2·s2
	VSUBPD       Y4, Y2, Y2
	VBROADCASTSD C(48), Y3
	VADDPD       Y2, Y3, Y3
	VDIVPD       Y3, Y2, Y3
	VMULPD       Y3, Y3, Y4
	VMULPD       Y4, Y4, Y5

	// t1 = s2·(L1 + s4·(L3 + s4·(L5 + s4·L7)))
	VBROADCASTSD C(104), Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD C(88), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD C(72), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD C(56), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y6, Y4, Y4

	// t2 = s4·(L2 + s4·(L4 + s4·L6)), R = t1 + t2
	VBROADCASTSD C(96), Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD C(80), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y5, Y6, Y6
	VBROADCASTSD C(64), Y7
	VADDPD       Y7, Y6, Y6
	VMULPD       Y6, Y5, Y5
	VADDPD       Y5, Y4, Y4

	// hfsq = 0.5·f·f; k·Ln2Hi − ((hfsq − (s·(hfsq+R) + k·Ln2Lo)) − f)
	VBROADCASTSD C(8), Y6
	VMULPD       Y2, Y6, Y6
	VMULPD       Y2, Y6, Y6
	VADDPD       Y6, Y4, Y4
	VMULPD       Y4, Y3, Y3
	VBROADCASTSD C(120), Y4
	VMULPD       Y1, Y4, Y4
	VADDPD       Y4, Y3, Y3
	VSUBPD       Y3, Y6, Y6
	VSUBPD       Y2, Y6, Y6
	VBROADCASTSD C(112), Y4
	VMULPD       Y4, Y1, Y1
	VSUBPD       Y6, Y1, Y1

	// Special values, as math.Log: ±0 → −Inf, x < 0 → NaN, +Inf and NaN → x.
	VPBROADCASTQ C(136), Y3
	VPCMPGTQ     Y0, Y3, Y4        // x < +Inf (as integers): finite or negative
	VBLENDVPD    Y4, Y1, Y0, Y1    // else x
	VPXOR        Y5, Y5, Y5
	VPCMPGTQ     Y0, Y5, Y4        // x < 0 as an integer: sign set
	VBROADCASTSD C(152), Y6
	VBLENDVPD    Y4, Y6, Y1, Y1
	VPBROADCASTQ C(128), Y2
	VPAND        Y2, Y0, Y2
	VPCMPEQQ     Y5, Y2, Y4        // ±0
	VBROADCASTSD C(144), Y6
	VBLENDVPD    Y4, Y6, Y1, Y1

	VBROADCASTSD C(160), Y4
	VMULPD       Y4, Y1, Y1
	VMOVUPD      Y1, (DI)(DX*8)
	ADDQ         $4, DX
	CMPQ         DX, CX
	JLT          loop

	VZEROUPPER
	RET

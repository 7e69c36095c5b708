// sampleHashGo's draws for 8 neurons at a time (AVX2) or 16 (AVX-512): the
// same integer hash, an exact conversion and the same comparison, so the
// same outputs.

#include "textflag.h"

DATA hashc<>+0(SB)/4, $0x7feb352d
DATA hashc<>+4(SB)/4, $0x846ca68b
DATA hashc<>+8(SB)/8, $0x3e70000000000000 // 2^−24
GLOBL hashc<>(SB), RODATA|NOPTR, $16

// SH_ARGS loads the kernels' arguments: out DI, th SI, keys BX, n CX,
// vals AX, w R8.
#define SH_ARGS \
	MOVQ out+0(FP), DI; MOVQ th+8(FP), SI; MOVQ keys+16(FP), BX; MOVQ n+24(FP), CX; \
	MOVQ vals+40(FP), AX; MOVL w+32(FP), R8

// func sampleHashAVX2(out, th *float64, keys *uint32, n int, w uint32, vals *[2]float64)
//
// n is a multiple of 8, > 0.
TEXT ·sampleHashAVX2(SB), NOSPLIT, $0-48
	SH_ARGS
	VMOVD        R8, X15
	VPBROADCASTD X15, Y15
	VPBROADCASTD hashc<>+0(SB), Y14
	VPBROADCASTD hashc<>+4(SB), Y13
	VBROADCASTSD hashc<>+8(SB), Y12
	VBROADCASTSD 0(AX), Y11
	VBROADCASTSD 8(AX), Y10
	XORQ         DX, DX

shloop:
	VPADDD       (BX)(DX*4), Y15, Y0
	VPSRLD       $16, Y0, Y1
	VPXOR        Y1, Y0, Y0
	VPMULLD      Y14, Y0, Y0
	VPSRLD       $15, Y0, Y1
	VPXOR        Y1, Y0, Y0
	VPMULLD      Y13, Y0, Y0
	VPSRLD       $16, Y0, Y1
	VPXOR        Y1, Y0, Y0
	VPSRLD       $8, Y0, Y0
	VCVTDQ2PD    X0, Y1
	VEXTRACTI128 $1, Y0, X0
	VCVTDQ2PD    X0, Y2
	VMULPD       Y12, Y1, Y1
	VMULPD       Y12, Y2, Y2
	VCMPPD       $1, (SI)(DX*8), Y1, Y1
	VCMPPD       $1, 32(SI)(DX*8), Y2, Y2
	VBLENDVPD    Y1, Y10, Y11, Y1
	VBLENDVPD    Y2, Y10, Y11, Y2
	VMOVUPD      Y1, (DI)(DX*8)
	VMOVUPD      Y2, 32(DI)(DX*8)
	ADDQ         $8, DX
	CMPQ         DX, CX
	JLT          shloop

	VZEROUPPER
	RET

// func sampleHashAVX512(out, th *float64, keys *uint32, n int, w uint32, vals *[2]float64)
//
// sampleHashAVX2 on 16 lanes; n is a multiple of 16, > 0.
TEXT ·sampleHashAVX512(SB), NOSPLIT, $0-48
	SH_ARGS
	VPBROADCASTD R8, Z15
	VPBROADCASTD hashc<>+0(SB), Z14
	VPBROADCASTD hashc<>+4(SB), Z13
	VBROADCASTSD hashc<>+8(SB), Z12
	VBROADCASTSD 0(AX), Z11
	VBROADCASTSD 8(AX), Z10
	XORQ         DX, DX

zshloop:
	VPADDD        (BX)(DX*4), Z15, Z0
	VPSRLD        $16, Z0, Z1
	VPXORD        Z1, Z0, Z0
	VPMULLD       Z14, Z0, Z0
	VPSRLD        $15, Z0, Z1
	VPXORD        Z1, Z0, Z0
	VPMULLD       Z13, Z0, Z0
	VPSRLD        $16, Z0, Z1
	VPXORD        Z1, Z0, Z0
	VPSRLD        $8, Z0, Z0
	VCVTDQ2PD     Y0, Z1
	VEXTRACTI64X4 $1, Z0, Y0
	VCVTDQ2PD     Y0, Z2
	VMULPD        Z12, Z1, Z1
	VMULPD        Z12, Z2, Z2
	VCMPPD        $1, (SI)(DX*8), Z1, K1
	VCMPPD        $1, 64(SI)(DX*8), Z2, K2
	VBLENDMPD     Z10, Z11, K1, Z1
	VBLENDMPD     Z10, Z11, K2, Z2
	VMOVUPD       Z1, (DI)(DX*8)
	VMOVUPD       Z2, 64(DI)(DX*8)
	ADDQ          $16, DX
	CMPQ          DX, CX
	JLT           zshloop

	VZEROUPPER
	RET

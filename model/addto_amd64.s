// addTo's vector loop (addto.go): dst[i] += src[i], sixteen values a turn.
// Each lane performs the scalar loop's one rounded sum, so results are
// bit-identical.

#include "textflag.h"

// func addToAVX2(dst, src *float64, n int)
//
// For i < n (a multiple of 16): dst[i] = dst[i] + src[i].
TEXT ·addToAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ DX, DX
	SHLQ $3, CX
	JZ   addtodone

addtoloop:
	VMOVUPD (DI)(DX*1), Y0
	VMOVUPD 32(DI)(DX*1), Y1
	VMOVUPD 64(DI)(DX*1), Y2
	VMOVUPD 96(DI)(DX*1), Y3
	VADDPD  (SI)(DX*1), Y0, Y0
	VADDPD  32(SI)(DX*1), Y1, Y1
	VADDPD  64(SI)(DX*1), Y2, Y2
	VADDPD  96(SI)(DX*1), Y3, Y3
	VMOVUPD Y0, (DI)(DX*1)
	VMOVUPD Y1, 32(DI)(DX*1)
	VMOVUPD Y2, 64(DI)(DX*1)
	VMOVUPD Y3, 96(DI)(DX*1)
	ADDQ    $128, DX
	CMPQ    DX, CX
	JLT     addtoloop

addtodone:
	VZEROUPPER
	RET

// Adam's elementwise update (adam.go) four parameters at a time (AVX2): each
// lane performs exactly Ascend's operations in its order, every product,
// sum, square root and quotient rounded on its own (no fused multiply-add),
// so results are bit-identical.

#include "textflag.h"

// func adamAVX2(w, dG, m, v *float64, n int, k *[8]float64)
//
// For i < n (a multiple of 4), with k = WD, β1, 1−β1, β2, 1−β2, step, sq, ε:
// g = −dG[i] + WD·w[i]; m[i] = β1·m[i] + (1−β1)·g;
// v[i] = β2·v[i] + ((1−β2)·g)·g; w[i] −= step·m[i] / (√v[i]·sq + ε).
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ dG+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSD 0(AX), Y8   // WD
	VBROADCASTSD 8(AX), Y9   // β1
	VBROADCASTSD 16(AX), Y10 // 1−β1
	VBROADCASTSD 24(AX), Y11 // β2
	VBROADCASTSD 32(AX), Y12 // 1−β2
	VBROADCASTSD 40(AX), Y13 // step
	VBROADCASTSD 48(AX), Y14 // sq
	VBROADCASTSD 56(AX), Y15 // ε
	XORQ DX, DX
	SHLQ $3, CX
	JZ   adamdone

adamloop:
	VMOVUPD (DI)(DX*1), Y0           // w
	VMULPD  Y8, Y0, Y1               // WD·w
	VSUBPD  (SI)(DX*1), Y1, Y1       // g = WD·w − dG (= −dG + WD·w)
	VMULPD  (R8)(DX*1), Y9, Y2       // β1·m
	VMULPD  Y1, Y10, Y3              // (1−β1)·g
	VADDPD  Y3, Y2, Y2               // m
	VMOVUPD Y2, (R8)(DX*1)
	VMULPD  (R9)(DX*1), Y11, Y3      // β2·v
	VMULPD  Y1, Y12, Y4              // (1−β2)·g
	VMULPD  Y1, Y4, Y4               // ·g
	VADDPD  Y4, Y3, Y3               // v
	VMOVUPD Y3, (R9)(DX*1)
	VSQRTPD Y3, Y3
	VMULPD  Y14, Y3, Y3              // √v·sq
	VADDPD  Y15, Y3, Y3              // + ε
	VMULPD  Y2, Y13, Y2              // step·m
	VDIVPD  Y3, Y2, Y2
	VSUBPD  Y2, Y0, Y0
	VMOVUPD Y0, (DI)(DX*1)
	ADDQ    $32, DX
	CMPQ    DX, CX
	JLT     adamloop

adamdone:
	VZEROUPPER
	RET

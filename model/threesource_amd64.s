// Three-source activation kernels (AVX-512): θ, and the chain rule of
// Layer.derivatives, with the three sigmoids of an element kept in
// registers. Each lane performs exactly the operations of the Go code
// (fire.go activate, learn.go derivatives), products and sums rounded
// separately, so results are bit-identical.

#include "textflag.h"
#include "sigmoid_amd64.h"

// TS_CONSTS broadcasts k's C1, C2, 1−C1−C2, ThetaMin, ThetaMax (AX = k)
// into Z27 … Z31.
#define TS_CONSTS \
	VBROADCASTSD 0(AX), Z27; VBROADCASTSD 8(AX), Z28; VBROADCASTSD 16(AX), Z29; \
	VBROADCASTSD 24(AX), Z30; VBROADCASTSD 32(AX), Z31

// TS_SIGMOIDS sets Z4 = σ(2·r·c) and Z5 = σ(2·r·l) for r in Z3, with the
// products (2·r)·c, (2·r)·l taken from the memory operands c and l.
#define TS_SIGMOIDS(c, l) \
	VMULPD Z10, Z3, Z0; VMULPD c, Z0, Z0; SIG512; VMOVAPD Z0, Z4; \
	VMULPD Z10, Z3, Z0; VMULPD l, Z0, Z0; SIG512; VMOVAPD Z0, Z5

// TS_BASE sets Z8 = (1−C1−C2) + C1·s1 + C2·s2 and Z0 = A = r·Z8.
#define TS_BASE \
	VMULPD Z27, Z4, Z8; VADDPD Z8, Z29, Z8; VMULPD Z28, Z5, Z0; VADDPD Z0, Z8, Z8; \
	VMULPD Z8, Z3, Z0

// func threeFwdAVX512(theta, r, c, l *float64, n int, k *[5]float64) bool
//
// theta[i] = clamp(σ(A(r[i], c[i], l[i]))) for i < n (a multiple of 8). It
// reports whether every sigmoid's argument was within ±700; if not, the
// caller recomputes all n elements.
TEXT ·threeFwdAVX512(SB), NOSPLIT, $0-49
	MOVQ theta+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ c+16(FP), BX
	MOVQ l+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	SHRQ $3, CX
	SIG512_CONSTS
	TS_CONSTS
	XORQ DX, DX
	TESTQ CX, CX
	JZ   fwddone

fwdloop:
	VMOVUPD (SI)(DX*1), Z3
	TS_SIGMOIDS((BX)(DX*1), (R8)(DX*1))
	TS_BASE
	SIG512
	VMAXPD  Z0, Z30, Z0 // max(θ, ThetaMin), NaN kept
	VMINPD  Z0, Z31, Z0 // min(·, ThetaMax), NaN kept
	VMOVUPD Z0, (DI)(DX*1)
	ADDQ    $64, DX
	DECQ    CX
	JNZ     fwdloop

fwddone:
	SIG512_TEST
	SETEQ ret+48(FP)
	VZEROUPPER
	RET

// func threeBwdAVX512(dr, dc, dl, r, c, l, d *float64, n int, k *[5]float64) bool
//
// For i < n (a multiple of 8), with D = d[i]·dθ/dA (0 where θ is clamped):
// dr[i] = ((1−C1−C2) + C1·s1 + C2·s2 + r·(g1·c + g2·l))·D,
// dc[i] = (r·g1·r)·D, dl[i] = (r·g2·r)·D, where g = C·s·(1−s)·2. It reports
// whether every sigmoid's argument was within ±700.
TEXT ·threeBwdAVX512(SB), NOSPLIT, $0-73
	MOVQ dr+0(FP), DI
	MOVQ dc+8(FP), R9
	MOVQ dl+16(FP), R10
	MOVQ r+24(FP), SI
	MOVQ c+32(FP), BX
	MOVQ l+40(FP), R8
	MOVQ d+48(FP), R11
	MOVQ n+56(FP), CX
	MOVQ k+64(FP), AX
	SHRQ $3, CX
	SIG512_CONSTS
	TS_CONSTS
	XORQ DX, DX
	TESTQ CX, CX
	JZ   bwddone

bwdloop:
	VMOVUPD (SI)(DX*1), Z3
	VMOVUPD (BX)(DX*1), Z6
	VMOVUPD (R8)(DX*1), Z7
	TS_SIGMOIDS(Z6, Z7)
	TS_BASE
	SIG512 // θ, unclamped

	// D = d·θ(1−θ), 0 where θ < ThetaMin or θ > ThetaMax (NaN stays NaN).
	VSUBPD  Z0, Z11, Z1
	VMULPD  Z1, Z0, Z9
	VCMPPD  $1, Z30, Z0, K2
	VCMPPD  $14, Z31, Z0, K3
	KORW    K2, K3, K2
	VXORPD  Z9, Z9, K2, Z9
	VMULPD  (R11)(DX*1), Z9, Z9

	// g1 = ((C1·s1)·(1−s1))·2 in Z2, g2 likewise in Z4.
	VSUBPD  Z4, Z11, Z1
	VMULPD  Z27, Z4, Z2
	VMULPD  Z1, Z2, Z2
	VMULPD  Z10, Z2, Z2
	VSUBPD  Z5, Z11, Z1
	VMULPD  Z28, Z5, Z4
	VMULPD  Z1, Z4, Z4
	VMULPD  Z10, Z4, Z4

	// dr = (Z8 + r·(g1·c + g2·l))·D
	VMULPD  Z6, Z2, Z5
	VMULPD  Z7, Z4, Z1
	VADDPD  Z1, Z5, Z5
	VMULPD  Z5, Z3, Z5
	VADDPD  Z5, Z8, Z5
	VMULPD  Z9, Z5, Z5
	VMOVUPD Z5, (DI)(DX*1)

	// dc = ((r·g1)·r)·D, dl = ((r·g2)·r)·D
	VMULPD  Z2, Z3, Z1
	VMULPD  Z3, Z1, Z1
	VMULPD  Z9, Z1, Z1
	VMOVUPD Z1, (R9)(DX*1)
	VMULPD  Z4, Z3, Z1
	VMULPD  Z3, Z1, Z1
	VMULPD  Z9, Z1, Z1
	VMOVUPD Z1, (R10)(DX*1)

	ADDQ $64, DX
	DECQ CX
	JNZ  bwdloop

bwddone:
	SIG512_TEST
	SETEQ ret+72(FP)
	VZEROUPPER
	RET

// Graetz activation kernels (AVX-512), as threesource_amd64.s: θ and the
// chain rule of a two-source neuron, A = r·(k1 + (1−k1)·2σ(k2·r·c)), with
// both sigmoids in registers, two chains of 8 lanes per iteration (A: r, s,
// P in Z6 … Z8; B: Z27 … Z29), each lane performing the Go code's
// operations in its order. k (at AX): k2, k1, (1−k1)·2, ThetaMin, ThetaMax.

#include "textflag.h"
#include "sigmoid_amd64.h"

// GZ_S sets Z0, Z3 to both chains' s = σ((k2·r)·c), c at (c)(DX*1).
#define GZ_S(c) \
	VMULPD.BCST 0(AX), Z6, Z0; VMULPD (c)(DX*1), Z0, Z0; \
	VMULPD.BCST 0(AX), Z27, Z3; VMULPD 64(c)(DX*1), Z3, Z3; \
	SIG512R(Z0, Z1, Z2, Y2, K1); SIG512R(Z3, Z4, Z5, Y5, K2)

// GZ_A sets P = k1 + ((1−k1)·2)·s and x = A = r·P.
#define GZ_A(r, s, P, x) \
	VMULPD.BCST 16(AX), s, P; VADDPD.BCST 8(AX), P, P; VMULPD P, r, x

// func graetzFwdAVX512(theta, r, c *float64, n int, k *[5]float64) bool
//
// theta[i] = clamp(σ(A(r[i], c[i]))) for i < n (a multiple of 16); it
// reports whether every sigmoid's argument was within ±700.
TEXT ·graetzFwdAVX512(SB), NOSPLIT, $0-41
	MOVQ theta+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ c+16(FP), BX
	MOVQ n+24(FP), CX
	MOVQ k+32(FP), AX
	SHRQ $4, CX
	SIG512_CONSTS
	XORQ DX, DX
	TESTQ CX, CX
	JZ   gfdone

gfloop:
	VMOVUPD (SI)(DX*1), Z6
	VMOVUPD 64(SI)(DX*1), Z27
	GZ_S(BX)
	GZ_A(Z6, Z0, Z7, Z0)
	GZ_A(Z27, Z3, Z28, Z3)
	SIG512R(Z0, Z1, Z2, Y2, K1)
	SIG512R(Z3, Z4, Z5, Y5, K2)
	VMAXPD.BCST 24(AX), Z0, Z0
	VMINPD.BCST 32(AX), Z0, Z0
	VMAXPD.BCST 24(AX), Z3, Z3
	VMINPD.BCST 32(AX), Z3, Z3
	VMOVUPD     Z0, (DI)(DX*1)
	VMOVUPD     Z3, 64(DI)(DX*1)
	ADDQ        $128, DX
	DECQ        CX
	JNZ         gfloop

gfdone:
	SIG512_TEST
	SETEQ ret+40(FP)
	VZEROUPPER
	RET

// GZ_TAIL stores one chain's dr = (P + (r·g)·c)·D and dc = ((r·g)·r)·D,
// g = (((1−k1)·2·s)·(1−s))·k2, at byte off of the row; g, t are scratch.
#define GZ_TAIL(off, r, s, P, D, g, t) \
	VSUBPD s, Z11, t; VMULPD.BCST 16(AX), s, g; VMULPD t, g, g; VMULPD.BCST 0(AX), g, g; \
	VMULPD g, r, g; VMULPD off(BX)(DX*1), g, t; VADDPD t, P, t; VMULPD D, t, t; \
	VMOVUPD t, off(DI)(DX*1); \
	VMULPD r, g, g; VMULPD D, g, g; VMOVUPD g, off(R9)(DX*1)

// func graetzBwdAVX512(dr, dc, r, c, d *float64, n int, k *[5]float64) bool
//
// For i < n (a multiple of 16), with D = d[i]·dθ/dA (0 where θ is clamped):
// dr[i] = (k1 + (1−k1)·2·s + r·g·c)·D and dc[i] = (r·g·r)·D, where
// g = 2(1−k1)·s·(1−s)·k2. It reports whether every sigmoid's argument was
// within ±700.
TEXT ·graetzBwdAVX512(SB), NOSPLIT, $0-57
	MOVQ dr+0(FP), DI
	MOVQ dc+8(FP), R9
	MOVQ r+16(FP), SI
	MOVQ c+24(FP), BX
	MOVQ d+32(FP), R11
	MOVQ n+40(FP), CX
	MOVQ k+48(FP), AX
	SHRQ $4, CX
	SIG512_CONSTS
	XORQ DX, DX
	TESTQ CX, CX
	JZ   gbdone

gbloop:
	VMOVUPD (SI)(DX*1), Z6
	VMOVUPD 64(SI)(DX*1), Z27
	GZ_S(BX)
	VMOVAPD Z0, Z7
	VMOVAPD Z3, Z28
	GZ_A(Z6, Z7, Z8, Z0)
	GZ_A(Z27, Z28, Z29, Z3)
	SIG512R(Z0, Z1, Z2, Y2, K1) // θ, unclamped
	SIG512R(Z3, Z4, Z5, Y5, K2)
	THETA_D(0, Z0, Z1, K3, K4)
	THETA_D(64, Z3, Z4, K5, K6)
	GZ_TAIL(0, Z6, Z7, Z8, Z1, Z0, Z2)
	GZ_TAIL(64, Z27, Z28, Z29, Z4, Z3, Z5)
	ADDQ $128, DX
	DECQ CX
	JNZ  gbloop

gbdone:
	SIG512_TEST
	SETEQ ret+56(FP)
	VZEROUPPER
	RET

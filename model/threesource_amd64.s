// Three-source activation kernels (AVX-512, AVX2): θ, and the chain rule of
// Layer.derivatives, with the three sigmoids of an element kept in
// registers. Each lane performs exactly the operations of the Go code
// (fire.go activate, learn.go derivatives), products and sums rounded
// separately, so results are bit-identical.

#include "textflag.h"
#include "sigmoid_amd64.h"

// The AVX-512 kernels take 16 elements per iteration as two independent
// chains of 8 lanes, A and B, since each chain (three sigmoids, the second
// depending on the first two) is long: chain A uses Z0 … Z2 as sigmoid
// scratch and holds r, s1, s2, P in Z6 … Z9; chain B uses Z3 … Z5 and
// Z27 … Z30. k's constants (C1, C2, 1−C1−C2, ThetaMin, ThetaMax at AX) are
// broadcast memory operands.

// TS_SIGMOIDS sets s1 = σ(2·r·c) and s2 = σ(2·r·l) of both chains, with the
// products (2·r)·c, (2·r)·l taken from the rows at c, l (+DX; chain B
// 64 bytes on).
#define TS_SIG2(c) \
	VMULPD Z10, Z6, Z0; VMULPD (c)(DX*1), Z0, Z0; VMULPD Z10, Z27, Z3; VMULPD 64(c)(DX*1), Z3, Z3; \
	SIG512R(Z0, Z1, Z2, Y2, K1); SIG512R(Z3, Z4, Z5, Y5, K2)
#define TS_SIGMOIDS(c, l) \
	TS_SIG2(c); VMOVAPD Z0, Z7; VMOVAPD Z3, Z28; \
	TS_SIG2(l); VMOVAPD Z0, Z8; VMOVAPD Z3, Z29

// TS_P sets P = (1−C1−C2) + C1·s1 + C2·s2 and x = A = r·P.
#define TS_P(r, s1, s2, P, x) \
	VMULPD.BCST 0(AX), s1, P; VADDPD.BCST 16(AX), P, P; VMULPD.BCST 8(AX), s2, x; \
	VADDPD x, P, P; VMULPD P, r, x

// TS_THETA sets Z0 and Z3 to both chains' θ = σ(A), unclamped.
#define TS_THETA \
	TS_P(Z6, Z7, Z8, Z9, Z0); TS_P(Z27, Z28, Z29, Z30, Z3); \
	SIG512R(Z0, Z1, Z2, Y2, K1); SIG512R(Z3, Z4, Z5, Y5, K2)

// func threeFwdAVX512(theta, r, c, l *float64, n int, k *[5]float64) bool
//
// theta[i] = clamp(σ(A(r[i], c[i], l[i]))) for i < n (a multiple of 16). It
// reports whether every sigmoid's argument was within ±700; if not, the
// caller recomputes all n elements. (The clamp's NaN handling does not
// matter: a NaN θ only comes from a NaN argument, which fails that test.)
TEXT ·threeFwdAVX512(SB), NOSPLIT, $0-49
	MOVQ theta+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ c+16(FP), BX
	MOVQ l+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	SHRQ $4, CX
	SIG512_CONSTS
	XORQ DX, DX
	TESTQ CX, CX
	JZ   fwddone

fwdloop:
	VMOVUPD (SI)(DX*1), Z6
	VMOVUPD 64(SI)(DX*1), Z27
	TS_SIGMOIDS(BX, R8)
	TS_THETA
	VMAXPD.BCST 24(AX), Z0, Z0
	VMINPD.BCST 32(AX), Z0, Z0
	VMAXPD.BCST 24(AX), Z3, Z3
	VMINPD.BCST 32(AX), Z3, Z3
	VMOVUPD     Z0, (DI)(DX*1)
	VMOVUPD     Z3, 64(DI)(DX*1)
	ADDQ        $128, DX
	DECQ        CX
	JNZ         fwdloop

fwddone:
	SIG512_TEST
	SETEQ ret+48(FP)
	VZEROUPPER
	RET

// TS_TAIL stores one chain's dr = (P + r·(g1·c + g2·l))·D, dc = ((r·g1)·r)·D
// and dl = ((r·g2)·r)·D, g = ((C·s)·(1−s))·2, at byte off of the row; s1, s2
// are overwritten, ta and tb are scratch.
#define TS_TAIL(off, r, s1, s2, P, D, ta, tb) \
	VSUBPD s1, Z11, tb; VMULPD.BCST 0(AX), s1, ta; VMULPD tb, ta, ta; VMULPD Z10, ta, ta; \
	VSUBPD s2, Z11, tb; VMULPD.BCST 8(AX), s2, s1; VMULPD tb, s1, s1; VMULPD Z10, s1, s1; \
	VMULPD off(BX)(DX*1), ta, s2; VMULPD off(R8)(DX*1), s1, tb; VADDPD tb, s2, s2; \
	VMULPD s2, r, s2; VADDPD s2, P, s2; VMULPD D, s2, s2; VMOVUPD s2, off(DI)(DX*1); \
	VMULPD ta, r, tb; VMULPD r, tb, tb; VMULPD D, tb, tb; VMOVUPD tb, off(R9)(DX*1); \
	VMULPD s1, r, tb; VMULPD r, tb, tb; VMULPD D, tb, tb; VMOVUPD tb, off(R10)(DX*1)

// func threeBwdAVX512(dr, dc, dl, r, c, l, d *float64, n int, k *[5]float64) bool
//
// For i < n (a multiple of 16), with D = d[i]·dθ/dA (0 where θ is clamped):
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
	SHRQ $4, CX
	SIG512_CONSTS
	XORQ DX, DX
	TESTQ CX, CX
	JZ   bwddone

bwdloop:
	VMOVUPD (SI)(DX*1), Z6
	VMOVUPD 64(SI)(DX*1), Z27
	TS_SIGMOIDS(BX, R8)
	TS_THETA
	THETA_D(0, Z0, Z1, K3, K4)
	THETA_D(64, Z3, Z4, K5, K6)
	TS_TAIL(0, Z6, Z7, Z8, Z9, Z1, Z0, Z2)
	TS_TAIL(64, Z27, Z28, Z29, Z30, Z4, Z3, Z5)
	ADDQ $128, DX
	DECQ CX
	JNZ  bwdloop

bwddone:
	SIG512_TEST
	SETEQ ret+72(FP)
	VZEROUPPER
	RET

// AVX2 versions: two chains of 4 lanes in 16 registers, so the sigmoid's
// constants are memory operands (SIG256R) and k holds each constant
// replicated 4 times (C1, C2, 1−C1−C2, ThetaMin, ThetaMax at AX, 32 bytes
// apart). Chain A: sigmoid scratch Y0 … Y2, r, s1, s2, P in Y6 … Y9;
// chain B: Y3 … Y5 and Y10 … Y13; Y15 is the lanes-in-range mask.

#define TS2_SIG2(c) \
	VMULPD ·expv+384(SB), Y6, Y0; VMULPD (c)(DX*1), Y0, Y0; \
	VMULPD ·expv+384(SB), Y10, Y3; VMULPD 32(c)(DX*1), Y3, Y3; \
	SIG256R(Y0, Y1, Y2, X2); SIG256R(Y3, Y4, Y5, X5)
#define TS2_SIGMOIDS(c, l) \
	TS2_SIG2(c); VMOVAPD Y0, Y7; VMOVAPD Y3, Y11; \
	TS2_SIG2(l); VMOVAPD Y0, Y8; VMOVAPD Y3, Y12
#define TS2_P(r, s1, s2, P, x) \
	VMULPD 0(AX), s1, P; VADDPD 64(AX), P, P; VMULPD 32(AX), s2, x; \
	VADDPD x, P, P; VMULPD P, r, x
#define TS2_THETA \
	TS2_P(Y6, Y7, Y8, Y9, Y0); TS2_P(Y10, Y11, Y12, Y13, Y3); \
	SIG256R(Y0, Y1, Y2, X2); SIG256R(Y3, Y4, Y5, X5)

// func threeFwdAVX2(theta, r, c, l *float64, n int, k *[20]float64) bool
//
// threeFwdAVX512 for n a multiple of 8.
TEXT ·threeFwdAVX2(SB), NOSPLIT, $0-49
	MOVQ theta+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ c+16(FP), BX
	MOVQ l+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	SHRQ $3, CX
	VPCMPEQQ Y15, Y15, Y15
	XORQ DX, DX
	TESTQ CX, CX
	JZ   fwd2done

fwd2loop:
	VMOVUPD (SI)(DX*1), Y6
	VMOVUPD 32(SI)(DX*1), Y10
	TS2_SIGMOIDS(BX, R8)
	TS2_THETA
	VMAXPD  96(AX), Y0, Y0
	VMINPD  128(AX), Y0, Y0
	VMAXPD  96(AX), Y3, Y3
	VMINPD  128(AX), Y3, Y3
	VMOVUPD Y0, (DI)(DX*1)
	VMOVUPD Y3, 32(DI)(DX*1)
	ADDQ    $64, DX
	DECQ    CX
	JNZ     fwd2loop

fwd2done:
	SIG256_TEST
	SETEQ ret+48(FP)
	VZEROUPPER
	RET

// TS2_D is THETA_D (sigmoid_amd64.h) for 4 lanes, with t as scratch.
#define TS2_D(off, th, D, t) \
	VMOVUPD ·expv+352(SB), D; VSUBPD th, D, D; VMULPD D, th, D; \
	VCMPPD $1, 96(AX), th, t; VANDNPD D, t, D; VCMPPD $14, 128(AX), th, t; VANDNPD D, t, D; \
	VMULPD off(R11)(DX*1), D, D

// TS2_TAIL is TS_TAIL for 4 lanes.
#define TS2_TAIL(off, r, s1, s2, P, D, ta, tb) \
	VMOVUPD ·expv+352(SB), tb; VSUBPD s1, tb, tb; VMULPD 0(AX), s1, ta; VMULPD tb, ta, ta; \
	VMULPD ·expv+384(SB), ta, ta; \
	VMOVUPD ·expv+352(SB), tb; VSUBPD s2, tb, tb; VMULPD 32(AX), s2, s1; VMULPD tb, s1, s1; \
	VMULPD ·expv+384(SB), s1, s1; \
	VMULPD off(BX)(DX*1), ta, s2; VMULPD off(R8)(DX*1), s1, tb; VADDPD tb, s2, s2; \
	VMULPD s2, r, s2; VADDPD s2, P, s2; VMULPD D, s2, s2; VMOVUPD s2, off(DI)(DX*1); \
	VMULPD ta, r, tb; VMULPD r, tb, tb; VMULPD D, tb, tb; VMOVUPD tb, off(R9)(DX*1); \
	VMULPD s1, r, tb; VMULPD r, tb, tb; VMULPD D, tb, tb; VMOVUPD tb, off(R10)(DX*1)

// func threeBwdAVX2(dr, dc, dl, r, c, l, d *float64, n int, k *[20]float64) bool
//
// threeBwdAVX512 for n a multiple of 8.
TEXT ·threeBwdAVX2(SB), NOSPLIT, $0-73
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
	VPCMPEQQ Y15, Y15, Y15
	XORQ DX, DX
	TESTQ CX, CX
	JZ   bwd2done

bwd2loop:
	VMOVUPD (SI)(DX*1), Y6
	VMOVUPD 32(SI)(DX*1), Y10
	TS2_SIGMOIDS(BX, R8)
	TS2_THETA
	TS2_D(0, Y0, Y1, Y2)
	TS2_D(32, Y3, Y4, Y5)
	TS2_TAIL(0, Y6, Y7, Y8, Y9, Y1, Y0, Y2)
	TS2_TAIL(32, Y10, Y11, Y12, Y13, Y4, Y3, Y5)
	ADDQ $64, DX
	DECQ CX
	JNZ  bwd2loop

bwd2done:
	SIG256_TEST
	SETEQ ret+72(FP)
	VZEROUPPER
	RET

// A Float32 layer's activation kernels (AVX2): θ and the chain rule of the
// three-source and Graetz activations in float32, 8 lanes a vector. Each
// lane performs the operations of activation_f32.go in its order, each
// rounded to float32 (no FMA), so results equal the Go code's bit for bit.
//
// A sigmoid is a chain of some 30 dependent operations, and θ's sigmoid
// waits for the inner ones, so each kernel runs in two passes over its
// elements (at most 128, s is the caller's scratch): the first computes the
// inner sigmoids and what depends only on them into s, the second θ and
// what depends on it. Within a pass the iterations are independent, and the
// processor overlaps them.
// Y15 collects the lanes whose sigmoid argument is NaN: the kernels then
// report false and the caller recomputes in Go, whose NaN handling differs
// from the vector conversions'.

#include "textflag.h"
#include "activation_f32_amd64.h"

// LOADF32 sets Y (whose lower half is X) to the 8 float64 at src+8·DX,
// rounded to float32; t is an X scratch register.
#define LOADF32(src, Y, X, t) \
	VCVTPD2PSY (src)(DX*8), X; VCVTPD2PSY 32(src)(DX*8), t; VINSERTF128 $1, t, Y, Y

// STOREF64 widens the 8 float32 of Y (lower half X, clobbered) to the
// float64 at dst+8·DX; t is a Y scratch register.
#define STOREF64(Y, X, t, dst) \
	VCVTPS2PD X, t; VMOVUPD t, (dst)(DX*8); VEXTRACTF128 $1, Y, X; \
	VCVTPS2PD X, t; VMOVUPD t, 32(dst)(DX*8)

// SIGF32 replaces x by sigmoidF32(x) lane by lane (·sigF32 holds the
// constants, 32 bytes each: −0, 86, −86, log2 e, ln2 high and low, P0 … P5,
// 1); t1 … t3 are scratch.
#define SIGF32(x, t1, t2, t3) \
	VXORPS ·sigF32+0(SB), x, x; VCMPPS $3, x, x, t1; VORPS t1, Y15, Y15; \
	VMINPS ·sigF32+32(SB), x, x; VMAXPS ·sigF32+64(SB), x, x; \
	VMULPS ·sigF32+96(SB), x, t1; VROUNDPS $0, t1, t1; VCVTPS2DQ t1, t2; \
	VMULPS ·sigF32+128(SB), t1, t3; VSUBPS t3, x, x; \
	VMULPS ·sigF32+160(SB), t1, t1; VSUBPS t1, x, x; \
	VMULPS ·sigF32+192(SB), x, t1; \
	VADDPS ·sigF32+224(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS ·sigF32+256(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS ·sigF32+288(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS ·sigF32+320(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS ·sigF32+352(SB), t1, t1; VMULPS x, t1, t1; \
	VMULPS x, t1, t1; VADDPS x, t1, t1; VADDPS ·sigF32+384(SB), t1, t1; \
	VPSLLD $23, t2, t2; VPADDD t2, t1, t1; VADDPS ·sigF32+384(SB), t1, t1; \
	VMOVUPS ·sigF32+384(SB), x; VDIVPS t1, x, x

// DTHETA sets D = d·θ(1−θ) of the unclamped θ in th, 0·d where θ is below
// ThetaMin or above ThetaMax (96(AX), 128(AX)), with d at src+8·DX (Dx is
// D's lower half); Y1 … Y3 are scratch.
#define DTHETA(th, src, D, Dx) \
	VMOVUPS ·sigF32+384(SB), Y1; VSUBPS th, Y1, Y1; VMULPS Y1, th, Y1; \
	VCMPPS $1, 96(AX), th, Y2; VCMPPS $14, 128(AX), th, Y3; VORPS Y3, Y2, Y2; \
	VANDNPS Y1, Y2, Y1; LOADF32(src, D, Dx, X2); VMULPS Y1, D, D

// NEXT closes a loop over 8 elements at a time, DX up to CX.
#define NEXT(loop) ADDQ $8, DX; CMPQ DX, CX; JLT loop

// SCR addresses scratch row i (128 float32 apart) at element DX.
#define SCR(i) (i*512)(R12)(DX*4)

// PF prefetches the line R13 bytes after reg's element DX.
#define PF(reg) LEAQ (reg)(R13*1), R14; PREFETCHT0 (R14)(DX*8)

// DOUT stores scratch row i times D (Y12) widened at dst; Y, X are scratch.
#define DOUT(i, Y, X, dst) VMULPS SCR(i), Y12, Y; STOREF64(Y, X, Y1, dst)

// NANCHECK returns (at off(FP)) whether no sigmoid met a NaN.
#define NANCHECK(off) VMOVMSKPS Y15, AX; TESTL AX, AX; SETEQ ret+off(FP); VZEROUPPER; RET

// THETA_OUT sets Y0 to σ(r·P) (r in Y6, P at scratch row 0), clamped, and
// stores it widened at DI.
#define THETA_OUT \
	LOADF32(SI, Y6, X6, X0); VMULPS SCR(0), Y6, Y0; SIGF32(Y0, Y1, Y2, Y3); \
	VMAXPS 96(AX), Y0, Y0; VMINPS 128(AX), Y0, Y0; STOREF64(Y0, X0, Y1, DI)

// THETA_D sets Y12 to D = d·θ(1−θ) of θ = σ(r·P) (r at SI, P at scratch
// row 0, d at R11), 0·d where θ is clamped.
#define THETA_D \
	LOADF32(SI, Y6, X6, X0); VMULPS SCR(0), Y6, Y0; SIGF32(Y0, Y1, Y2, Y3); \
	DTHETA(Y0, R11, Y12, X12)

// func threeFwdF32AVX2(theta, r, c, l *float64, n int, k *actF32, s *actF32Scratch, nextR, nextL int) bool
//
// theta[i] = the clamped θ of threeF32(r[i], c[i], l[i]) for i < n (a
// multiple of 8, 0 < n ≤ 128). Pass 1 stores P in scratch row 0, and
// prefetches the lines nextR and nextL bytes after r's and l's (the next
// row's, in a tile).
TEXT ·threeFwdF32AVX2(SB), NOSPLIT, $0-73
	THREE_FWD_ARGS
	VXORPS Y15, Y15, Y15
	XORQ   DX, DX

tf32p1:
	PREFETCHT0 (R13)(DX*8)
	PREFETCHT0 (R14)(DX*8)
	LOADF32(SI, Y6, X6, X0)
	VADDPS Y6, Y6, Y5
	LOADF32(BX, Y0, X0, X1)
	VMULPS Y5, Y0, Y0
	LOADF32(R8, Y4, X4, X1)
	VMULPS Y5, Y4, Y4
	SIGF32(Y0, Y1, Y2, Y3)
	SIGF32(Y4, Y7, Y8, Y9)
	VMULPS 0(AX), Y0, Y0
	VADDPS 64(AX), Y0, Y0
	VMULPS 32(AX), Y4, Y4
	VADDPS Y4, Y0, Y0
	VMOVUPS Y0, SCR(0)
	NEXT(tf32p1)

	XORQ DX, DX
tf32p2:
	THETA_OUT
	NEXT(tf32p2)

	NANCHECK(72)

// func threeBwdF32AVX2(dr, dc, dl, r, c, l, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool
//
// dr, dc, dl = threeDerivsF32Go's for i < n (a multiple of 8, 0 < n ≤
// 128). Pass 1 stores in scratch rows 0 … 3: P, P + r·(g1·c + g2·l),
// (r·g1)·r and (r·g2)·r, with g = ((C·s)·(1−s))·2; pass 2 multiplies the
// last three by D. The lines next bytes after r's, l's, dr's, dc's and
// dl's are prefetched (the next row's, in a tile).
TEXT ·threeBwdF32AVX2(SB), NOSPLIT, $0-89
	THREE_BWD_ARGS
	VXORPS Y15, Y15, Y15
	XORQ   DX, DX

tb32p1:
	PF(SI)
	PF(R8)
	LOADF32(SI, Y6, X6, X0)
	VADDPS Y6, Y6, Y5
	LOADF32(BX, Y9, X9, X0)
	VMULPS Y5, Y9, Y0
	LOADF32(R8, Y10, X10, X4)
	VMULPS Y5, Y10, Y4
	SIGF32(Y0, Y1, Y2, Y3)
	SIGF32(Y4, Y7, Y8, Y11)

	// P = (C1·s1 + (1−C1−C2)) + C2·s2
	VMULPS  0(AX), Y0, Y11
	VADDPS  64(AX), Y11, Y11
	VMULPS  32(AX), Y4, Y1
	VADDPS  Y1, Y11, Y11
	VMOVUPS Y11, SCR(0)

	// g1 = ((C1·s1)·(1−s1))·2 in Y0, g2 in Y4
	VMOVUPS ·sigF32+384(SB), Y1
	VSUBPS  Y0, Y1, Y1
	VMULPS  0(AX), Y0, Y0
	VMULPS  Y1, Y0, Y0
	VADDPS  Y0, Y0, Y0
	VMOVUPS ·sigF32+384(SB), Y1
	VSUBPS  Y4, Y1, Y1
	VMULPS  32(AX), Y4, Y4
	VMULPS  Y1, Y4, Y4
	VADDPS  Y4, Y4, Y4

	// P + r·(g1·c + g2·l), (r·g1)·r, (r·g2)·r
	VMULPS  Y0, Y9, Y9
	VMULPS  Y4, Y10, Y10
	VADDPS  Y10, Y9, Y9
	VMULPS  Y9, Y6, Y9
	VADDPS  Y9, Y11, Y9
	VMOVUPS Y9, SCR(1)
	VMULPS  Y6, Y0, Y0
	VMULPS  Y6, Y0, Y0
	VMOVUPS Y0, SCR(2)
	VMULPS  Y6, Y4, Y4
	VMULPS  Y6, Y4, Y4
	VMOVUPS Y4, SCR(3)
	NEXT(tb32p1)

	XORQ DX, DX
tb32p2:
	PF(DI)
	PF(R9)
	PF(R10)
	THETA_D
	DOUT(1, Y9, X9, DI)
	DOUT(2, Y7, X7, R9)
	DOUT(3, Y8, X8, R10)
	NEXT(tb32p2)

	NANCHECK(88)

// func graetzFwdF32AVX2(theta, r, c *float64, n int, k *actF32, s *actF32Scratch, next int) bool
//
// theta[i] = the clamped θ of graetzF32(r[i], c[i]) for i < n (a multiple
// of 8, 0 < n ≤ 128). Pass 1 stores Q in scratch row 0 and prefetches the
// lines next bytes after r's.
TEXT ·graetzFwdF32AVX2(SB), NOSPLIT, $0-57
	GRAETZ_FWD_ARGS
	VXORPS Y15, Y15, Y15
	XORQ   DX, DX

gf32p1:
	PREFETCHT0 (R13)(DX*8)
	LOADF32(SI, Y6, X6, X0)
	VMULPS  0(AX), Y6, Y5
	LOADF32(BX, Y0, X0, X1)
	VMULPS  Y5, Y0, Y0
	SIGF32(Y0, Y1, Y2, Y3)
	VMULPS  64(AX), Y0, Y0
	VADDPS  32(AX), Y0, Y0
	VMOVUPS Y0, SCR(0)
	NEXT(gf32p1)

	XORQ DX, DX
gf32p2:
	THETA_OUT
	NEXT(gf32p2)

	NANCHECK(56)

// func graetzBwdF32AVX2(dr, dc, r, c, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool
//
// dr, dc = graetzDerivsF32Go's for i < n (a multiple of 8, 0 < n ≤ 128).
// Pass 1 stores in scratch rows 0 … 2: Q, Q + (r·g)·c and (r·g)·r, with
// g = ((2(1−K1)·s)·(1−s))·K2. The lines next bytes after r's, dr's and
// dc's are prefetched.
TEXT ·graetzBwdF32AVX2(SB), NOSPLIT, $0-73
	GRAETZ_BWD_ARGS
	VXORPS Y15, Y15, Y15
	XORQ   DX, DX

gb32p1:
	PF(SI)
	LOADF32(SI, Y6, X6, X0)
	VMULPS  0(AX), Y6, Y5
	LOADF32(BX, Y9, X9, X0)
	VMULPS  Y5, Y9, Y0
	SIGF32(Y0, Y1, Y2, Y3)
	VMULPS  64(AX), Y0, Y11
	VADDPS  32(AX), Y11, Y11
	VMOVUPS Y11, SCR(0)
	VMOVUPS ·sigF32+384(SB), Y1
	VSUBPS  Y0, Y1, Y1
	VMULPS  64(AX), Y0, Y0
	VMULPS  Y1, Y0, Y0
	VMULPS  0(AX), Y0, Y0
	VMULPS  Y6, Y0, Y0
	VMULPS  Y0, Y9, Y9
	VADDPS  Y9, Y11, Y9
	VMOVUPS Y9, SCR(1)
	VMULPS  Y6, Y0, Y0
	VMOVUPS Y0, SCR(2)
	NEXT(gb32p1)

	XORQ DX, DX
gb32p2:
	PF(DI)
	PF(R9)
	THETA_D
	DOUT(1, Y9, X9, DI)
	DOUT(2, Y7, X7, R9)
	NEXT(gb32p2)

	NANCHECK(72)

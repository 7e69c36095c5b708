// The float32 activation kernels of activation_f32_amd64.s in 16-lane
// vectors, for processors with AVX-512. Every lane performs the same
// float32 operations in the same order as the AVX2 kernels' lanes (each
// rounded to float32, no FMA), so the results are the same bits. The
// constants are broadcast from their first lane; the NaN lanes collect in
// K7, and a lane clamped out of [ThetaMin, ThetaMax] is zeroed by a mask.
// n is a multiple of 16.

#include "textflag.h"
#include "activation_f32_amd64.h"

// LOADF32Z sets Z (lower half Y) to the 16 float64 at src+8·DX, rounded to
// float32; t is a Y scratch register.
#define LOADF32Z(src, Z, Y, t) \
	VCVTPD2PS (src)(DX*8), Y; VCVTPD2PS 64(src)(DX*8), t; VINSERTF64X4 $1, t, Z, Z

// STOREF64Z widens the 16 float32 of Z (lower half Y, clobbered) to the
// float64 at dst+8·DX; t is a Z scratch register.
#define STOREF64Z(Z, Y, t, dst) \
	VCVTPS2PD Y, t; VMOVUPD t, (dst)(DX*8); VEXTRACTF64X4 $1, Z, Y; \
	VCVTPS2PD Y, t; VMOVUPD t, 64(dst)(DX*8)

// SIGF32Z is SIGF32 on 16 lanes (K1 scratch, NaN lanes into K7).
#define SIGF32Z(x, t1, t2, t3) \
	VPXORD.BCST ·sigF32+0(SB), x, x; VCMPPS $3, x, x, K1; KORW K1, K7, K7; \
	VMINPS.BCST ·sigF32+32(SB), x, x; VMAXPS.BCST ·sigF32+64(SB), x, x; \
	VMULPS.BCST ·sigF32+96(SB), x, t1; VRNDSCALEPS $0, t1, t1; VCVTPS2DQ t1, t2; \
	VMULPS.BCST ·sigF32+128(SB), t1, t3; VSUBPS t3, x, x; \
	VMULPS.BCST ·sigF32+160(SB), t1, t1; VSUBPS t1, x, x; \
	VMULPS.BCST ·sigF32+192(SB), x, t1; \
	VADDPS.BCST ·sigF32+224(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS.BCST ·sigF32+256(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS.BCST ·sigF32+288(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS.BCST ·sigF32+320(SB), t1, t1; VMULPS x, t1, t1; \
	VADDPS.BCST ·sigF32+352(SB), t1, t1; VMULPS x, t1, t1; \
	VMULPS x, t1, t1; VADDPS x, t1, t1; VADDPS.BCST ·sigF32+384(SB), t1, t1; \
	VPSLLD $23, t2, t2; VPADDD t2, t1, t1; VADDPS.BCST ·sigF32+384(SB), t1, t1; \
	VBROADCASTSS ·sigF32+384(SB), x; VDIVPS t1, x, x

// DTHETAZ is DTHETA on 16 lanes: D = d·θ(1−θ), 0·d where θ < ThetaMin or
// θ > ThetaMax (K2, K3 scratch; Z1, Y2 scratch).
#define DTHETAZ(th, src, D, Dy) \
	VBROADCASTSS ·sigF32+384(SB), Z1; VSUBPS th, Z1, Z1; VMULPS Z1, th, Z1; \
	VCMPPS.BCST $1, 96(AX), th, K2; VCMPPS.BCST $14, 128(AX), th, K3; KORW K3, K2, K2; \
	KNOTW K2, K2; VMOVAPS.Z Z1, K2, Z1; LOADF32Z(src, D, Dy, Y2); VMULPS Z1, D, D

// NEXTZ closes a loop over 16 elements at a time, DX up to CX.
#define NEXTZ(loop) ADDQ $16, DX; CMPQ DX, CX; JLT loop

// SCRZ addresses scratch row i (128 float32 apart) at element DX.
#define SCRZ(i) (i*512)(R12)(DX*4)

// PFZ prefetches the two lines R13 bytes after reg's element DX.
#define PFZ(reg) LEAQ (reg)(R13*1), R14; PREFETCHT0 (R14)(DX*8); PREFETCHT0 64(R14)(DX*8)

// DOUTZ stores scratch row i times D (Z12) widened at dst; Z, Y are scratch.
#define DOUTZ(i, Z, Y, dst) VMULPS SCRZ(i), Z12, Z; STOREF64Z(Z, Y, Z1, dst)

// NANCHECKZ returns (at off(FP)) whether no sigmoid met a NaN.
#define NANCHECKZ(off) KORTESTW K7, K7; SETEQ ret+off(FP); VZEROUPPER; RET

// THETA_OUTZ is THETA_OUT on 16 lanes.
#define THETA_OUTZ \
	LOADF32Z(SI, Z6, Y6, Y0); VMULPS SCRZ(0), Z6, Z0; SIGF32Z(Z0, Z1, Z2, Z3); \
	VMAXPS.BCST 96(AX), Z0, Z0; VMINPS.BCST 128(AX), Z0, Z0; STOREF64Z(Z0, Y0, Z1, DI)

// THETA_DZ is THETA_D on 16 lanes (D in Z12).
#define THETA_DZ \
	LOADF32Z(SI, Z6, Y6, Y0); VMULPS SCRZ(0), Z6, Z0; SIGF32Z(Z0, Z1, Z2, Z3); \
	DTHETAZ(Z0, R11, Z12, Y12)

// func threeFwdF32AVX512(theta, r, c, l *float64, n int, k *actF32, s *actF32Scratch, nextR, nextL int) bool
TEXT ·threeFwdF32AVX512(SB), NOSPLIT, $0-73
	THREE_FWD_ARGS
	KXORW K7, K7, K7
	XORQ  DX, DX

zt1:
	PREFETCHT0 (R13)(DX*8)
	PREFETCHT0 64(R13)(DX*8)
	PREFETCHT0 (R14)(DX*8)
	PREFETCHT0 64(R14)(DX*8)
	LOADF32Z(SI, Z6, Y6, Y0)
	VADDPS      Z6, Z6, Z5
	LOADF32Z(BX, Z0, Y0, Y1)
	VMULPS      Z5, Z0, Z0
	LOADF32Z(R8, Z4, Y4, Y1)
	VMULPS      Z5, Z4, Z4
	SIGF32Z(Z0, Z1, Z2, Z3)
	SIGF32Z(Z4, Z7, Z8, Z9)
	VMULPS.BCST 0(AX), Z0, Z0
	VADDPS.BCST 64(AX), Z0, Z0
	VMULPS.BCST 32(AX), Z4, Z4
	VADDPS      Z4, Z0, Z0
	VMOVUPS     Z0, SCRZ(0)
	NEXTZ(zt1)

	XORQ DX, DX
zt2:
	THETA_OUTZ
	NEXTZ(zt2)

	NANCHECKZ(72)

// func threeBwdF32AVX512(dr, dc, dl, r, c, l, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool
TEXT ·threeBwdF32AVX512(SB), NOSPLIT, $0-89
	THREE_BWD_ARGS
	KXORW K7, K7, K7
	XORQ  DX, DX

zb1:
	PFZ(SI)
	PFZ(R8)
	LOADF32Z(SI, Z6, Y6, Y0)
	VADDPS Z6, Z6, Z5
	LOADF32Z(BX, Z9, Y9, Y0)
	VMULPS Z5, Z9, Z0
	LOADF32Z(R8, Z10, Y10, Y4)
	VMULPS Z5, Z10, Z4
	SIGF32Z(Z0, Z1, Z2, Z3)
	SIGF32Z(Z4, Z7, Z8, Z11)

	// P = (C1·s1 + (1−C1−C2)) + C2·s2
	VMULPS.BCST 0(AX), Z0, Z11
	VADDPS.BCST 64(AX), Z11, Z11
	VMULPS.BCST 32(AX), Z4, Z1
	VADDPS      Z1, Z11, Z11
	VMOVUPS     Z11, SCRZ(0)

	// g1 = ((C1·s1)·(1−s1))·2 in Z0, g2 in Z4
	VBROADCASTSS ·sigF32+384(SB), Z1
	VSUBPS       Z0, Z1, Z1
	VMULPS.BCST  0(AX), Z0, Z0
	VMULPS       Z1, Z0, Z0
	VADDPS       Z0, Z0, Z0
	VBROADCASTSS ·sigF32+384(SB), Z1
	VSUBPS       Z4, Z1, Z1
	VMULPS.BCST  32(AX), Z4, Z4
	VMULPS       Z1, Z4, Z4
	VADDPS       Z4, Z4, Z4

	// P + r·(g1·c + g2·l), (r·g1)·r, (r·g2)·r
	VMULPS  Z0, Z9, Z9
	VMULPS  Z4, Z10, Z10
	VADDPS  Z10, Z9, Z9
	VMULPS  Z9, Z6, Z9
	VADDPS  Z9, Z11, Z9
	VMOVUPS Z9, SCRZ(1)
	VMULPS  Z6, Z0, Z0
	VMULPS  Z6, Z0, Z0
	VMOVUPS Z0, SCRZ(2)
	VMULPS  Z6, Z4, Z4
	VMULPS  Z6, Z4, Z4
	VMOVUPS Z4, SCRZ(3)
	NEXTZ(zb1)

	XORQ DX, DX
zb2:
	PFZ(DI)
	PFZ(R9)
	PFZ(R10)
	THETA_DZ
	DOUTZ(1, Z9, Y9, DI)
	DOUTZ(2, Z7, Y7, R9)
	DOUTZ(3, Z8, Y8, R10)
	NEXTZ(zb2)

	NANCHECKZ(88)

// func graetzFwdF32AVX512(theta, r, c *float64, n int, k *actF32, s *actF32Scratch, next int) bool
TEXT ·graetzFwdF32AVX512(SB), NOSPLIT, $0-57
	GRAETZ_FWD_ARGS
	KXORW K7, K7, K7
	XORQ  DX, DX

zg1:
	PREFETCHT0 (R13)(DX*8)
	PREFETCHT0 64(R13)(DX*8)
	LOADF32Z(SI, Z6, Y6, Y0)
	VMULPS.BCST 0(AX), Z6, Z5
	LOADF32Z(BX, Z0, Y0, Y1)
	VMULPS      Z5, Z0, Z0
	SIGF32Z(Z0, Z1, Z2, Z3)
	VMULPS.BCST 64(AX), Z0, Z0
	VADDPS.BCST 32(AX), Z0, Z0
	VMOVUPS     Z0, SCRZ(0)
	NEXTZ(zg1)

	XORQ DX, DX
zg2:
	THETA_OUTZ
	NEXTZ(zg2)

	NANCHECKZ(56)

// func graetzBwdF32AVX512(dr, dc, r, c, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool
TEXT ·graetzBwdF32AVX512(SB), NOSPLIT, $0-73
	GRAETZ_BWD_ARGS
	KXORW K7, K7, K7
	XORQ  DX, DX

zgb1:
	PFZ(SI)
	LOADF32Z(SI, Z6, Y6, Y0)
	VMULPS.BCST  0(AX), Z6, Z5
	LOADF32Z(BX, Z9, Y9, Y0)
	VMULPS       Z5, Z9, Z0
	SIGF32Z(Z0, Z1, Z2, Z3)
	VMULPS.BCST  64(AX), Z0, Z11
	VADDPS.BCST  32(AX), Z11, Z11
	VMOVUPS      Z11, SCRZ(0)
	VBROADCASTSS ·sigF32+384(SB), Z1
	VSUBPS       Z0, Z1, Z1
	VMULPS.BCST  64(AX), Z0, Z0
	VMULPS       Z1, Z0, Z0
	VMULPS.BCST  0(AX), Z0, Z0
	VMULPS       Z6, Z0, Z0
	VMULPS       Z0, Z9, Z9
	VADDPS       Z9, Z11, Z9
	VMOVUPS      Z9, SCRZ(1)
	VMULPS       Z6, Z0, Z0
	VMOVUPS      Z0, SCRZ(2)
	NEXTZ(zgb1)

	XORQ DX, DX
zgb2:
	PFZ(DI)
	PFZ(R9)
	THETA_DZ
	DOUTZ(1, Z9, Y9, DI)
	DOUTZ(2, Z7, Y7, R9)
	NEXTZ(zgb2)

	NANCHECKZ(72)

// The sigmoids of sigmoidAVX512 and sigmoid4AVX2 as macros, shared by the kernels that
// evaluate sigmoids in registers (simd_amd64.s, threesource_amd64.s, graetz_amd64.s), and
// the activation kernels' dθ/dA step.

// SIG512_CONSTS loads math.Exp's constants (·expc) into Z10 … Z26 and sets
// K7, the lanes-in-range mask, to all ones.
#define SIG512_CONSTS \
	VBROADCASTSD ·expc+112(SB), Z15; VBROADCASTSD ·expc+120(SB), Z14; \
	VBROADCASTSD ·expc+104(SB), Z13; VBROADCASTSD ·expc+0(SB), Z12; \
	VBROADCASTSD ·expc+88(SB), Z11; VBROADCASTSD ·expc+96(SB), Z10; \
	VBROADCASTSD ·expc+8(SB), Z16; VBROADCASTSD ·expc+16(SB), Z17; \
	VBROADCASTSD ·expc+24(SB), Z18; VBROADCASTSD ·expc+32(SB), Z19; \
	VBROADCASTSD ·expc+40(SB), Z20; VBROADCASTSD ·expc+48(SB), Z21; \
	VBROADCASTSD ·expc+56(SB), Z22; VBROADCASTSD ·expc+64(SB), Z23; \
	VBROADCASTSD ·expc+72(SB), Z24; VBROADCASTSD ·expc+80(SB), Z25; \
	VPBROADCASTQ ·expc+128(SB), Z26; KXNORW K7, K7, K7

// SIG512R replaces x by 1/(1+exp(−x)) lane by lane, with math.Exp's FMA
// path, and clears in K7 the lanes whose |x| exceeds 700 (or is NaN), where
// that path does not apply; t1, t2 (t2y: t2's lower half) and k are scratch.
#define SIG512R(x, t1, t2, t2y, k) \
	VPXORQ Z15, x, x; VPANDQ Z14, x, t1; VCMPPD $2, Z13, t1, k; KANDW k, K7, K7; \
	VMULPD Z12, x, t1; VCVTPD2DQ t1, t2y; VCVTDQ2PD t2y, t1; \
	VFNMADD231PD Z16, t1, x; VFNMADD231PD Z17, t1, x; VMULPD Z18, x, x; \
	VMOVAPD Z19, t1; VFMADD213PD Z20, x, t1; VFMADD213PD Z21, x, t1; \
	VFMADD213PD Z22, x, t1; VFMADD213PD Z23, x, t1; VFMADD213PD Z24, x, t1; \
	VFMADD213PD Z25, x, t1; VFMADD213PD Z11, x, t1; VMULPD t1, x, x; \
	VADDPD Z10, x, t1; VMULPD t1, x, x; VADDPD Z10, x, t1; VMULPD t1, x, x; \
	VADDPD Z10, x, t1; VMULPD t1, x, x; VADDPD Z10, x, t1; VFMADD213PD Z11, t1, x; \
	VPMOVSXDQ t2y, t2; VPADDQ Z26, t2, t2; VPSLLQ $52, t2, t2; VMULPD t2, x, x; \
	VADDPD Z11, x, x; VDIVPD x, Z11, x

// SIG512 is SIG512R on Z0 with Z1, Z2 and K1 as scratch.
#define SIG512 SIG512R(Z0, Z1, Z2, Y2, K1)

// SIG512_TEST sets ZF when every lane stayed in range (K7), for SETEQ.
#define SIG512_TEST \
	KMOVW K7, AX; ANDQ $0xff, AX; CMPQ AX, $0xff

// SIG256R replaces x by 1/(1+exp(−x)) lane by lane, as SIG512R with 4
// lanes and the constants as memory operands (·expv, replicated), and clears
// in Y15 the lanes out of range; t1, t2 (t2x: t2's lower half) are scratch.
#define SIG256R(x, t1, t2, t2x) \
	VXORPD ·expv+448(SB), x, x; VANDPD ·expv+480(SB), x, t1; \
	VCMPPD $2, ·expv+416(SB), t1, t1; VANDPD t1, Y15, Y15; \
	VMULPD ·expv+0(SB), x, t1; VCVTPD2DQY t1, t2x; VCVTDQ2PD t2x, t1; \
	VFNMADD231PD ·expv+32(SB), t1, x; VFNMADD231PD ·expv+64(SB), t1, x; \
	VMULPD ·expv+96(SB), x, x; VMOVUPD ·expv+128(SB), t1; \
	VFMADD213PD ·expv+160(SB), x, t1; VFMADD213PD ·expv+192(SB), x, t1; \
	VFMADD213PD ·expv+224(SB), x, t1; VFMADD213PD ·expv+256(SB), x, t1; \
	VFMADD213PD ·expv+288(SB), x, t1; VFMADD213PD ·expv+320(SB), x, t1; \
	VFMADD213PD ·expv+352(SB), x, t1; VMULPD t1, x, x; \
	VADDPD ·expv+384(SB), x, t1; VMULPD t1, x, x; \
	VADDPD ·expv+384(SB), x, t1; VMULPD t1, x, x; \
	VADDPD ·expv+384(SB), x, t1; VMULPD t1, x, x; \
	VADDPD ·expv+384(SB), x, t1; VFMADD213PD ·expv+352(SB), t1, x; \
	VPMOVSXDQ t2x, t2; VPADDQ ·expv+512(SB), t2, t2; VPSLLQ $52, t2, t2; VMULPD t2, x, x; \
	VADDPD ·expv+352(SB), x, x; VMOVUPD ·expv+352(SB), t1; VDIVPD x, t1, x

// SIG256_TEST sets ZF when every lane stayed in range (Y15), for SETEQ.
#define SIG256_TEST VMOVMSKPD Y15, AX; CMPQ AX, $15

// THETA_D sets D = d·θ(1−θ) of the 8 unclamped θ in th, 0 where θ < ThetaMin
// or θ > ThetaMax (Fire's dθ/dA; NaN stays NaN), for the activation kernels:
// d at off(R11)(DX*1), ThetaMin and ThetaMax at 24(AX) and 32(AX), Z11 = 1;
// ka, kb are scratch.
#define THETA_D(off, th, D, ka, kb) \
	VSUBPD th, Z11, D; VMULPD D, th, D; \
	VCMPPD.BCST $1, 24(AX), th, ka; VCMPPD.BCST $14, 32(AX), th, kb; KORW ka, kb, ka; \
	VXORPD D, D, ka, D; VMULPD off(R11)(DX*1), D, D

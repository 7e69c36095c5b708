// The 8-lane sigmoid of sigmoidAVX512 as macros, shared by the kernels that
// evaluate sigmoids in registers (simd_amd64.s, threesource_amd64.s).

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

// SIG512 replaces Z0 by 1/(1+exp(−Z0)) lane by lane, with math.Exp's FMA
// path, and clears in K7 the lanes whose |Z0| exceeds 700 (or is NaN), where
// that path does not apply; Z1, Z2 and K1 are scratch.
#define SIG512 \
	VPXORQ Z15, Z0, Z0; VPANDQ Z14, Z0, Z1; VCMPPD $2, Z13, Z1, K1; KANDW K1, K7, K7; \
	VMULPD Z12, Z0, Z1; VCVTPD2DQ Z1, Y2; VCVTDQ2PD Y2, Z1; \
	VFNMADD231PD Z16, Z1, Z0; VFNMADD231PD Z17, Z1, Z0; VMULPD Z18, Z0, Z0; \
	VMOVAPD Z19, Z1; VFMADD213PD Z20, Z0, Z1; VFMADD213PD Z21, Z0, Z1; \
	VFMADD213PD Z22, Z0, Z1; VFMADD213PD Z23, Z0, Z1; VFMADD213PD Z24, Z0, Z1; \
	VFMADD213PD Z25, Z0, Z1; VFMADD213PD Z11, Z0, Z1; VMULPD Z1, Z0, Z0; \
	VADDPD Z10, Z0, Z1; VMULPD Z1, Z0, Z0; VADDPD Z10, Z0, Z1; VMULPD Z1, Z0, Z0; \
	VADDPD Z10, Z0, Z1; VMULPD Z1, Z0, Z0; VADDPD Z10, Z0, Z1; VFMADD213PD Z11, Z1, Z0; \
	VPMOVSXDQ Y2, Z2; VPADDQ Z26, Z2, Z2; VPSLLQ $52, Z2, Z2; VMULPD Z2, Z0, Z0; \
	VADDPD Z11, Z0, Z0; VDIVPD Z0, Z11, Z0

// SIG512_TEST sets ZF when every lane stayed in range (K7), for SETEQ.
#define SIG512_TEST \
	KMOVW K7, AX; ANDQ $0xff, AX; CMPQ AX, $0xff

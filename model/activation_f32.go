package model

import "math"

// A Float32 layer's activation: θ and the chain rule of its three-source or
// Graetz activation evaluated in float32, eight lanes per AVX2 instruction
// instead of four, with an exp of float32 accuracy instead of math.Exp's
// float64 one. The compartments, θ and the derivatives stay float64 arrays:
// values are rounded to float32 on the way in and widened exactly on the way
// out.
//
// Every product and sum below is rounded to float32 on its own (no fused
// multiply-add; the explicit conversions forbid the compiler to fuse), in
// the order the AVX2 kernels (activation_f32_amd64.s) perform them, so the
// kernels and this Go code give the same bits and a run does not depend on
// the machine or the thread count.

// Constants of the float32 exp (Cephes' expf): the argument is clamped to
// ±expF32Lim so that 2^n stays a normal float32, split as n·ln2 + x with
// ln2 = ln2Hi + ln2Lo, and e^x ≈ 1 + x + x²·P(x).
const (
	expF32Lim = 86
	log2eF32  = float32(math.Log2E)
	ln2HiF32  = float32(0.693359375)
	ln2LoF32  = float32(-2.12194440e-4)
)

var expF32Poly = [6]float32{1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1}

// sigmoidF32 is 1/(1+e^(−x)) in float32 (relative error below 1e-6); NaN
// gives NaN.
func sigmoidF32(x float32) float32 {
	z := -x
	if z != z {
		return z
	}
	z = max(min(z, expF32Lim), -expF32Lim)
	n := float32(math.RoundToEven(float64(float32(z * log2eF32))))
	z -= float32(n * ln2HiF32)
	z -= float32(n * ln2LoF32)
	p := float32(expF32Poly[0] * z)
	for _, c := range expF32Poly[1:] {
		p = float32(float32(p+c) * z)
	}
	// p = P(z)·z·z, rounded step by step as the kernel does.
	p = float32(p * z)
	p = p + z
	p = p + 1
	e := math.Float32frombits(math.Float32bits(p) + uint32(int32(n))<<23)
	return 1 / (1 + e)
}

// actF32 holds a Float32 layer's activation constants rounded to float32,
// each repeated over the kernels' 8 lanes: k[0..2] are C1, C2, 1−C1−C2 (three
// source) or K2, K1, 2(1−K1) (Graetz); k[3], k[4] are ThetaMin, ThetaMax.
type actF32 [5][8]float32

// actF32Scratch is a worker's scratch for the kernels' first pass: four rows
// of up to tileNeurons values.
type actF32Scratch [4 * tileNeurons]float32

func newActF32(act Activation) *actF32 {
	var v [5]float64
	if act.Kind == ThreeSource {
		v = [5]float64{act.C1, act.C2, 1 - act.C1 - act.C2, ThetaMin, ThetaMax}
	} else {
		v = [5]float64{act.K2, act.K1, 2 * (1 - act.K1), ThetaMin, ThetaMax}
	}
	var k actF32
	for i, x := range v {
		for j := range k[i] {
			k[i][j] = float32(x)
		}
	}
	return &k
}

// usesF32Act reports whether the layer evaluates its activation in float32:
// a Float32 layer with a three-source or Graetz activation and sigmoid
// firing (Heaviside firing reads A itself).
func (l *Layer) usesF32Act() bool {
	k := l.Spec.Act.Kind
	return l.Spec.Float32 && l.Spec.Firing != Heaviside && (k == ThreeSource || k == Graetz)
}

// clampF32 is clampTheta's clamp in float32.
func clampF32(t float32, k *actF32) float32 { return min(max(t, k[3][0]), k[4][0]) }

// dThetaF32 is D = d·θ(1−θ), 0·d where θ is outside [ThetaMin, ThetaMax].
func dThetaF32(th float32, d float64, k *actF32) float32 {
	dth := float32(th * (1 - th))
	if th < k[3][0] || th > k[4][0] {
		dth = 0
	}
	return float32(float32(d) * dth)
}

// threeF32 returns s1 = σ(2rc), s2 = σ(2rl), P = (1−C1−C2) + C1·s1 + C2·s2
// and the unclamped θ = σ(r·P) of one three-source element.
func threeF32(r, c, l float32, k *actF32) (s1, s2, P, th float32) {
	s1 = sigmoidF32(float32(float32(2*r) * c))
	s2 = sigmoidF32(float32(float32(2*r) * l))
	P = float32(float32(k[0][0]*s1)+k[2][0]) + float32(k[1][0]*s2)
	return s1, s2, P, sigmoidF32(float32(r * P))
}

// graetzF32 returns s = σ(K2·r·c), Q = K1 + 2(1−K1)·s and the unclamped
// θ = σ(r·Q) of one Graetz element.
func graetzF32(r, c float32, k *actF32) (s, Q, th float32) {
	s = sigmoidF32(float32(float32(k[0][0]*r) * c))
	Q = k[1][0] + float32(k[2][0]*s)
	return s, Q, sigmoidF32(float32(r * Q))
}

// threeThetaF32Go sets theta to the clamped θ of the three-source elements
// r, c, l.
func threeThetaF32Go(k *actF32, theta, r, c, l []float64) {
	for i := range theta {
		_, _, _, th := threeF32(float32(r[i]), float32(c[i]), float32(l[i]), k)
		theta[i] = float64(clampF32(th, k))
	}
}

// graetzThetaF32Go is threeThetaF32Go for Graetz elements r, c.
func graetzThetaF32Go(k *actF32, theta, r, c []float64) {
	for i := range theta {
		_, _, th := graetzF32(float32(r[i]), float32(c[i]), k)
		theta[i] = float64(clampF32(th, k))
	}
}

// threeDerivsF32Go sets dr, dc, dl to ∂G/∂(r, c, l) of three-source
// elements from ∂G/∂θ (d): with g = ((C·s)·(1−s))·2,
// dr = (P + r·(g1·c + g2·l))·D, dc = ((r·g1)·r)·D, dl = ((r·g2)·r)·D.
func threeDerivsF32Go(k *actF32, dr, dc, dl, r, c, l, d []float64) {
	for i := range d {
		ri, ci, li := float32(r[i]), float32(c[i]), float32(l[i])
		s1, s2, P, th := threeF32(ri, ci, li, k)
		D := dThetaF32(th, d[i], k)
		g1 := float32(float32(k[0][0]*s1)*(1-s1)) * 2
		g2 := float32(float32(k[1][0]*s2)*(1-s2)) * 2
		x := float32(g1*ci) + float32(g2*li)
		dr[i] = float64(float32((P + float32(ri*x)) * D))
		dc[i] = float64(float32(float32(float32(ri*g1)*ri) * D))
		dl[i] = float64(float32(float32(float32(ri*g2)*ri) * D))
	}
}

// graetzDerivsF32Go sets dr, dc to ∂G/∂(r, c) of Graetz elements: with
// g = ((2(1−K1)·s)·(1−s))·K2, dr = (Q + (r·g)·c)·D, dc = ((r·g)·r)·D.
func graetzDerivsF32Go(k *actF32, dr, dc, r, c, d []float64) {
	for i := range d {
		ri, ci := float32(r[i]), float32(c[i])
		s, Q, th := graetzF32(ri, ci, k)
		D := dThetaF32(th, d[i], k)
		g := float32(float32(float32(k[2][0]*s)*(1-s)) * k[0][0])
		rg := float32(ri * g)
		dr[i] = float64(float32((Q + float32(rg*ci)) * D))
		dc[i] = float64(float32(float32(rg*ri) * D))
	}
}

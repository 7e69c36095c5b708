package model

import (
	"fmt"
	"math"
)

// ActKind names an activation function A(r, c, l) of the compartments.
type ActKind int

const (
	// Graetz is r·(k1 + (1−k1)·2σ(k2·r·c)); with k1 = 1 context does not drive.
	Graetz ActKind = iota
	// KayPhillips is r·(k1 + (1−k1)·exp(k2·r·c)).
	KayPhillips
	// ThreeSource is r·((1−c1−c2) + c1·σ(2rc) + c2·σ(2rl)).
	ThreeSource
	// Sum is β·(r + c).
	Sum
)

var actNames = map[ActKind]string{Graetz: "graetz", KayPhillips: "kay-phillips", ThreeSource: "three-source", Sum: "sum"}

func (k ActKind) String() string { return actNames[k] }

// ParseActKind maps a preset's activation name to its kind.
func ParseActKind(s string) (ActKind, error) {
	for k, n := range actNames {
		if n == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q (want graetz, kay-phillips, three-source or sum)", s)
}

// Activation is an activation kind with its constants: K1, K2 for Graetz and
// Kay–Phillips, C1, C2 for ThreeSource, Beta for Sum.
type Activation struct {
	Kind   ActKind
	K1, K2 float64
	C1, C2 float64
	Beta   float64
}

// Sources is the number of compartments the activation reads.
func (a Activation) Sources() int {
	if a.Kind == ThreeSource {
		return 3
	}
	return 2
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Eval returns A and its partial derivatives with respect to r, c and l.
func (a Activation) Eval(r, c, l float64) (A, dr, dc, dl float64) {
	switch a.Kind {
	case Graetz:
		s := sigmoid(a.K2 * r * c)
		g := 2 * (1 - a.K1) * s * (1 - s) * a.K2 // ∂/∂(rc) of (1−k1)·2σ(k2·r·c)
		A = r * (a.K1 + (1-a.K1)*2*s)
		dr = a.K1 + (1-a.K1)*2*s + r*g*c
		dc = r * g * r
	case KayPhillips:
		e := math.Exp(a.K2 * r * c)
		A = r * (a.K1 + (1-a.K1)*e)
		dr = a.K1 + (1-a.K1)*e + r*(1-a.K1)*e*a.K2*c
		dc = r * (1 - a.K1) * e * a.K2 * r
	case ThreeSource:
		s1, s2 := sigmoid(2*r*c), sigmoid(2*r*l)
		g1, g2 := a.C1*s1*(1-s1)*2, a.C2*s2*(1-s2)*2
		A = r * ((1 - a.C1 - a.C2) + a.C1*s1 + a.C2*s2)
		dr = (1 - a.C1 - a.C2) + a.C1*s1 + a.C2*s2 + r*(g1*c+g2*l)
		dc = r * g1 * r
		dl = r * g2 * r
	case Sum:
		A = a.Beta * (r + c)
		dr, dc = a.Beta, a.Beta
	}
	return
}

// Theta bounds: θ = σ(A) is clamped so that no cell has p = 0 or 1 exactly.
const (
	ThetaMin = 1e-6
	ThetaMax = 1 - 1e-6
)

// Fire returns θ = σ(A) clamped to [ThetaMin, ThetaMax] and dθ/dA (zero where
// the clamp is active, as in torch.clamp).
func Fire(A float64) (theta, dtheta float64) {
	theta = sigmoid(A)
	if theta < ThetaMin {
		return ThetaMin, 0
	}
	if theta > ThetaMax {
		return ThetaMax, 0
	}
	return theta, theta * (1 - theta)
}

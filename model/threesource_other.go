//go:build !amd64

package model

// threeSourceTheta is the vector kernel's entry point; without one the
// caller computes every element.
func threeSourceTheta(act Activation, theta, r, c, l []float64) int { return 0 }

// threeSourceDerivs is likewise a no-op without a vector kernel.
func threeSourceDerivs(act Activation, dr, dc, dl, r, c, l, d []float64) int { return 0 }

// threeLanes is the vector width the tests expect (they skip without one).
func threeLanes() int { return 8 }

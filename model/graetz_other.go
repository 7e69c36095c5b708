//go:build !amd64

package model

func graetzKernels(act Activation) bool { return false }

// graetzTheta is the vector kernel's entry point; without one the caller
// computes every element.
func graetzTheta(act Activation, theta, r, c []float64) int { return 0 }

// graetzDerivs is likewise a no-op without a vector kernel.
func graetzDerivs(act Activation, dr, dc, r, c, d []float64) int { return 0 }

//go:build !amd64

package model

// addToKernel does nothing without a vector kernel: addTo's loop does all.
func addToKernel(dst, src []float64) int { return 0 }

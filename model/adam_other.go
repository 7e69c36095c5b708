//go:build !amd64

package model

// adamKernel does nothing without a vector kernel: Ascend's loop does all.
func adamKernel(a *Adam, w, dG, m, v []float64, step, sq float64) int { return 0 }

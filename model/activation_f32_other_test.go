//go:build !amd64

package model

// kernelRuns: there are no kernels to run.
func kernelRuns(act Activation, k *actF32, r, c, l, d []float64) bool { return false }

// kernelRefuses: there are no kernels to refuse.
func kernelRefuses(act Activation, k *actF32, r, c, l, d []float64) bool { return true }

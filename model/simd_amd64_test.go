//go:build amd64

package model

import "testing"

// TestPortablePaths reruns the bit-identity tests with the AVX-512 kernels
// off (AVX2 only) and with every vector kernel off (portable Go), as on
// machines without those instruction sets.
func TestPortablePaths(t *testing.T) {
	avx2, avx512 := useAVX2, useAVX512
	defer func() { useAVX2, useAVX512 = avx2, avx512 }()
	for _, c := range []struct {
		name         string
		avx2, avx512 bool
	}{{"avx2", avx2, false}, {"portable", false, false}} {
		useAVX2, useAVX512 = c.avx2, c.avx512
		t.Run(c.name, func(t *testing.T) {
			TestSigmoidsBitIdentical(t)
			TestBinIntoBitIdentical(t)
			testSparseMatchesMaskedDense(t, 75, true, 13)
			TestSparseLayerMatchesDense(t)
			TestCompartmentReference(t)
			TestCompartmentWorkers(t)
			TestTiledMatchesRowLoop(t)
		})
	}
}

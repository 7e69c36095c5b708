//go:build amd64

package model

import "testing"

// TestPortablePaths reruns the bit-identity tests with the AVX-512 kernels
// off (AVX2 only) and with every vector kernel off (portable Go), as on
// machines without those instruction sets. Each test is a subtest, so that
// the vector-against-scalar ones can skip where no vector kernel runs.
func TestPortablePaths(t *testing.T) {
	avx2, avx512 := useAVX2, useAVX512
	defer func() { useAVX2, useAVX512 = avx2, avx512 }()
	for _, c := range []struct {
		name         string
		avx2, avx512 bool
	}{{"avx2", avx2, false}, {"portable", false, false}} {
		useAVX2, useAVX512 = c.avx2, c.avx512
		t.Run(c.name, func(t *testing.T) {
			t.Run("Sigmoids", TestSigmoidsBitIdentical)
			t.Run("ThreeSourceKernels", TestThreeSourceKernels)
			t.Run("Narrow10", TestNarrow10BitIdentical)
			t.Run("BinInto", TestBinIntoBitIdentical)
			t.Run("SparseMatchesMaskedDense", func(t *testing.T) { testSparseMatchesMaskedDense(t, 75, true, 13) })
			t.Run("SparseLayer", TestSparseLayerMatchesDense)
			t.Run("CompartmentReference", TestCompartmentReference)
			t.Run("CompartmentWorkers", TestCompartmentWorkers)
			t.Run("TiledMatchesRowLoop", TestTiledMatchesRowLoop)
			t.Run("SpmmQuad", TestSpmmQuad)
			t.Run("AdamKernel", TestAdamKernelBitIdentical)
			t.Run("AddTo", TestAddToBitIdentical)
			t.Run("LateralF32Kernels", TestLateralF32Kernels)
			t.Run("SparseF32", TestSparseF32)
			t.Run("DenseF32", TestDenseF32)
			t.Run("Float32Layer", TestFloat32Layer)
			t.Run("PairKernel", TestPairKernel)
			t.Run("PairGradientExact", TestPairGradientExact)
			t.Run("ActivationF32Kernels", TestActivationF32Kernels)
			t.Run("SampleHash", TestSampleHash)
		})
	}
}

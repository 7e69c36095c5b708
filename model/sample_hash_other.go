//go:build !amd64

package model

func sampleHash(out, th []float64, keys []uint32, w uint32, vals *[2]float64) {
	sampleHashGo(out, th, keys, w, vals)
}

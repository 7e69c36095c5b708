package mnisttest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Grid10Spec is a 10×10-pixel, 4-class idx data set: class k is a 4×4
// square in its own quadrant. 1 500 training images (300 of them for
// validation) and 200 test images: small enough to train end to end in a
// test, learnable enough that a readout beats chance.
func Grid10Spec() Spec {
	return Spec{Seed: [2]uint64{10, 4}, NTrain: 1500, NTest: 200, Side: 10, Classes: 4,
		Bars: Bars{Top: 1, Left: 1, RowStep: 5, ColStep: 5, PerRow: 2, Height: 4, Width: 4,
			DropOneIn: 6, Min: 128, Span: 128, Noise: 2}}
}

// CIFARNames are the CIFAR-10 binary file names, training files first.
var CIFARNames = []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}

// CIFARRecord is one 3073-byte CIFAR-10 record: the label, then the red,
// green and blue 32×32 planes, each filled with its own value.
func CIFARRecord(label, r, g, b uint8) []byte {
	rec := make([]byte, 1+3*1024)
	rec[0] = label
	for k := range 1024 {
		rec[1+k], rec[1+1024+k], rec[1+2048+k] = r, g, b
	}
	return rec
}

// WriteCIFAR writes the six CIFAR-10 binary files into dir, n records
// each: record i of a file has label i%10, and its planes hold
// (25·label, 255 − 25·label, 7·i mod 256) before a seeded noise pixel.
func WriteCIFAR(t testing.TB, dir string, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3073, 10))
	for _, name := range CIFARNames {
		var data []byte
		for i := range n {
			l := uint8(i % 10)
			rec := CIFARRecord(l, 25*l, 255-25*l, uint8(7*i))
			rec[1+rng.IntN(3072)] = uint8(rng.IntN(256))
			data = append(data, rec...)
		}
		WriteFile(t, dir, name, data)
	}
}

// CSVText is a CSV table of rows examples of dim features and a label:
// label i%classes, feature k = label + k/10 + a little seeded noise; with
// header, a first line naming the columns.
func CSVText(rows, dim, classes int, header bool, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 5))
	var b strings.Builder
	if header {
		for k := range dim {
			fmt.Fprintf(&b, "x%d,", k+1)
		}
		b.WriteString("label\n")
	}
	for i := range rows {
		l := i % classes
		for k := range dim {
			fmt.Fprintf(&b, "%.4f,", float64(l)+float64(k)/10+0.2*rng.NormFloat64())
		}
		fmt.Fprintf(&b, "%d\n", l)
	}
	return b.String()
}

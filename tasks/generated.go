package tasks

import (
	"fmt"
	"math/rand/v2"
)

// Generated tasks need no files: they are drawn in code from a fixed seed
// (GeneratedSeed), so every machine trains on the same examples. Their
// inputs are ±1: bytes 0 and 255 normalised with mean = s.d. = 0.5.

// GeneratedSeed seeds the generator of every generated task's examples.
const GeneratedSeed uint64 = 20250214

// Bars task geometry: BarsSide×BarsSide images; BarsSide horizontal and
// BarsSide vertical bars, each on with probability BarsP.
const (
	BarsSide  = 8
	BarsCount = 2 * BarsSide
	BarsP     = 0.5
	barsTrain = 10000 // the authors' BarsHVDataset default num_samples
	barsTest  = 2000
)

// Bars class labels: which orientation has more bars on.
const (
	BarsMoreHorizontal = iota
	BarsMoreVertical
	BarsTie
)

// GeneratedNames lists the generated tasks, by preset dataset name.
var GeneratedNames = []string{"bars", "xor", "and", "parity3"}

// Generated returns a generated task by name: "bars" (NewBars), or the
// logic tasks "xor", "and" (two inputs) and "parity3" (three).
func Generated(name string) (*Dataset, error) {
	switch name {
	case "bars":
		return NewBars(), nil
	case "xor":
		return NewLogic(name, 2, func(b []bool) bool { return b[0] != b[1] }), nil
	case "and":
		return NewLogic(name, 2, func(b []bool) bool { return b[0] && b[1] }), nil
	case "parity3":
		return NewLogic(name, 3, func(b []bool) bool { return b[0] != b[1] != b[2] }), nil
	}
	return nil, fmt.Errorf("unknown generated task %q (want %s)", name, joinNames(GeneratedNames))
}

// NewBars is the unsupervised bars task of the infomorphic PNAS paper, as
// the authors' BarsHVDataset draws it (horizontal and vertical bars on): an
// 8×8 image in which each of the 8 rows and 8 columns is, independently with
// probability ½, a bar that is on; a pixel is +1 when its row or its column
// is on, −1 otherwise. 10 000 training images (2 000 of them validation)
// and 2 000 test images.
//
// The task itself has no labels: a layer learns it unsupervised (context:
// its lateral neighbours). So that the readout and the accuracy curves have
// something to report, each image is labelled by which orientation has
// more bars on (BarsMoreHorizontal, BarsMoreVertical, BarsTie); the hidden
// layer never sees this label.
func NewBars() *Dataset {
	rng := rand.New(rand.NewPCG(GeneratedSeed, 0xba75))
	draw := func(n int) (pix, lab []uint8) {
		pix, lab = make([]uint8, n*BarsSide*BarsSide), make([]uint8, n)
		var on [BarsCount]bool
		for i := range n {
			h, v := 0, 0
			for b := range on {
				on[b] = rng.Float64() < BarsP
				if on[b] && b < BarsSide {
					h++
				} else if on[b] {
					v++
				}
			}
			img := pix[i*BarsSide*BarsSide : (i+1)*BarsSide*BarsSide]
			for r := range BarsSide {
				for c := range BarsSide {
					if on[r] || on[BarsSide+c] {
						img[r*BarsSide+c] = 255
					}
				}
			}
			switch {
			case h > v:
				lab[i] = BarsMoreHorizontal
			case v > h:
				lab[i] = BarsMoreVertical
			default:
				lab[i] = BarsTie
			}
		}
		return pix, lab
	}
	s := byteSet{name: "bars", rows: BarsSide, cols: BarsSide, channels: 1, classes: 3}
	s.trainPix, s.trainLab = draw(barsTrain)
	s.testPix, s.testLab = draw(barsTest)
	return plusMinusOne(newByteDataset(s, ValSize(barsTrain), true))
}

// Logic task sizes: examples are drawn, so the four (or eight) input
// patterns appear about equally often.
const (
	logicTrain = 4096
	logicTest  = 1024
)

// NewLogic is a logic task of n binary inputs (±1, each ±1 with probability
// ½, independently) whose label is f of them (1 true, 0 false): XOR, AND
// and 3-bit parity are the classic cases of synergy and redundancy whose
// PID has closed forms. 4 096 training examples (819 of them validation)
// and 1 024 test examples, drawn with GeneratedSeed.
func NewLogic(name string, n int, f func([]bool) bool) *Dataset {
	rng := rand.New(rand.NewPCG(GeneratedSeed, uint64(n))) // xor and and share their inputs
	draw := func(count int) (pix, lab []uint8) {
		pix, lab = make([]uint8, count*n), make([]uint8, count)
		bits := make([]bool, n)
		for i := range count {
			for k := range bits {
				bits[k] = rng.IntN(2) == 1
				if bits[k] {
					pix[i*n+k] = 255
				}
			}
			if f(bits) {
				lab[i] = 1
			}
		}
		return pix, lab
	}
	s := byteSet{name: name, rows: 1, cols: n, channels: 1, classes: 2}
	s.trainPix, s.trainLab = draw(logicTrain)
	s.testPix, s.testLab = draw(logicTest)
	return plusMinusOne(newByteDataset(s, ValSize(logicTrain), true))
}

// plusMinusOne sets a 0/255 data set's normalisation so that its inputs
// are exactly −1 and +1.
func plusMinusOne(d *Dataset) *Dataset {
	d.Mean, d.Std = 0.5, 0.5
	return d
}

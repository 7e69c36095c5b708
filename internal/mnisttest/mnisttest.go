// Package mnisttest makes MNIST-shaped data for tests: a seeded synthetic
// data set in memory (Generate) and the four idx files that tasks.LoadMNIST
// and tasks.FindMNISTDir accept (Set.Write, Set.TempDir), plus the raw idx
// encoders tests use to build valid or broken files (IDXImages, IDXLabels,
// Gzip, WriteFile); and, for the other data formats, a 10×10 4-class idx
// spec (Grid10Spec), CIFAR-10 binary files (WriteCIFAR, CIFARRecord) and
// CSV tables (CSVText).
//
// The package imports only the standard library, not tasks: the tests of
// package tasks are internal (package tasks) and could not import a package
// that imports tasks. So Generate returns plain byte slices in the layout of
// tasks.MNIST (image after image, row-major, one byte a pixel; one label byte
// an image) and each caller copies them into its own type:
//
//	s := mnisttest.Generate(spec)
//	m := &tasks.MNIST{TrainImages: s.TrainImages, TrainLabels: s.TrainLabels,
//		TestImages: s.TestImages, TestLabels: s.TestLabels}
//
// Invariants: Generate is a pure function of its Spec (same Spec, same bytes,
// on every platform: math/rand/v2's PCG); the training split is drawn before
// the test split from one generator; class k's image holds a bar at its own
// place in the grid, so a readout can learn the classes. Tests pick their
// sizes and seeds because their thresholds depend on them: changing a Spec
// field changes the data.
package mnisttest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// IDX magic numbers of image and label files.
const (
	ImagesMagic = 0x00000803
	LabelsMagic = 0x00000801
)

// The file base names tasks.LoadMNIST looks for (each also with ".gz").
const (
	TrainImagesFile = "train-images-idx3-ubyte"
	TrainLabelsFile = "train-labels-idx1-ubyte"
	TestImagesFile  = "t10k-images-idx3-ubyte"
	TestLabelsFile  = "t10k-labels-idx1-ubyte"
)

// Bars places class k's bar: grid cell (k/PerRow, k%PerRow), whose top-left
// pixel is (Top + row·RowStep, Left + col·ColStep), Height rows by Width
// columns.
//
// A bar pixel is dropped (stays 0) with probability 1/DropOneIn; with
// DropOneIn 0 every bar pixel is drawn. A drawn pixel is Min + U{0..Span-1}.
// After the bar, Noise random pixels are set to U{1..255} (they may land on
// the bar).
type Bars struct {
	Top, Left        int
	RowStep, ColStep int
	PerRow           int
	Height, Width    int
	DropOneIn        int
	Min, Span        int
	Noise            int
}

// Spec describes a synthetic data set.
type Spec struct {
	// Seed seeds the PCG generator (rand.NewPCG(Seed[0], Seed[1])).
	Seed [2]uint64
	// NTrain and NTest are the image counts of the two splits.
	NTrain, NTest int
	// Side is the image side in pixels; 0 means 28 (MNIST).
	Side int
	// Classes is the number of labels 0..Classes-1; 0 means 10.
	Classes int
	// Bars is the class pattern.
	Bars Bars
}

// Set is a generated data set. Images are Side·Side bytes each, image after
// image; labels are one byte an image.
type Set struct {
	Side                     int
	TrainImages, TrainLabels []uint8
	TestImages, TestLabels   []uint8
}

// Generate draws the data set s describes. It panics on a Spec whose bars
// leave the image or whose values do not fit a byte (a programmer error).
//
// Per image, in this order: the label k = U{0..Classes-1}; for each bar pixel
// row by row, the drop draw (if DropOneIn > 0) and the value; then for each
// noise pixel its index and its value.
func Generate(s Spec) *Set {
	side, classes := s.Side, s.Classes
	if side == 0 {
		side = 28
	}
	if classes == 0 {
		classes = 10
	}
	check(s, side, classes)
	b := s.Bars
	pixels := side * side
	rng := rand.New(rand.NewPCG(s.Seed[0], s.Seed[1]))
	gen := func(n int) ([]uint8, []uint8) {
		pix := make([]uint8, n*pixels)
		lab := make([]uint8, n)
		for i := range lab {
			k := rng.IntN(classes)
			lab[i] = uint8(k)
			img := pix[i*pixels : (i+1)*pixels]
			r0, c0 := b.Top+(k/b.PerRow)*b.RowStep, b.Left+(k%b.PerRow)*b.ColStep
			for r := r0; r < r0+b.Height; r++ {
				for c := c0; c < c0+b.Width; c++ {
					if b.DropOneIn == 0 || rng.IntN(b.DropOneIn) > 0 {
						img[r*side+c] = uint8(b.Min + rng.IntN(b.Span))
					}
				}
			}
			for range b.Noise {
				img[rng.IntN(pixels)] = uint8(1 + rng.IntN(255))
			}
		}
		return pix, lab
	}
	set := &Set{Side: side}
	set.TrainImages, set.TrainLabels = gen(s.NTrain)
	set.TestImages, set.TestLabels = gen(s.NTest)
	return set
}

// check panics unless every bar fits the image and every value fits a byte.
func check(s Spec, side, classes int) {
	b := s.Bars
	last := classes - 1
	switch {
	case side < 1 || classes < 1 || classes > 256 || s.NTrain < 0 || s.NTest < 0:
		panic(fmt.Sprintf("mnisttest: bad sizes: side %d, %d classes, %d/%d images", side, classes, s.NTrain, s.NTest))
	case b.PerRow < 1 || b.Height < 1 || b.Width < 1 || b.DropOneIn < 0 || b.Noise < 0:
		panic(fmt.Sprintf("mnisttest: bad bars %+v", b))
	case b.Top < 0 || b.Left < 0 || b.RowStep < 0 || b.ColStep < 0 ||
		b.Top+(last/b.PerRow)*b.RowStep+b.Height > side ||
		b.Left+min(last, b.PerRow-1)*b.ColStep+b.Width > side:
		panic(fmt.Sprintf("mnisttest: bars %+v leave the %d×%d image", b, side, side))
	case b.Span < 1 || b.Min < 0 || b.Min+b.Span > 256:
		panic(fmt.Sprintf("mnisttest: bar values %d + U{0..%d} do not fit a byte", b.Min, b.Span-1))
	}
}

// Write writes s as the four idx files into dir, gzip-compressed (with the
// ".gz" suffix) if gz is set.
func (s *Set) Write(t testing.TB, dir string, gz bool) {
	t.Helper()
	side := uint32(s.Side)
	for _, f := range []struct {
		name string
		data []byte
	}{
		{TrainImagesFile, IDXImages(ImagesMagic, uint32(len(s.TrainLabels)), side, side, s.TrainImages)},
		{TrainLabelsFile, IDXLabels(LabelsMagic, uint32(len(s.TrainLabels)), s.TrainLabels)},
		{TestImagesFile, IDXImages(ImagesMagic, uint32(len(s.TestLabels)), side, side, s.TestImages)},
		{TestLabelsFile, IDXLabels(LabelsMagic, uint32(len(s.TestLabels)), s.TestLabels)},
	} {
		if gz {
			WriteFile(t, dir, f.name+".gz", Gzip(t, f.data))
		} else {
			WriteFile(t, dir, f.name, f.data)
		}
	}
}

// TempDir writes s as raw idx files into a new t.TempDir() and returns it,
// for tests that pass `--data DIR`.
func (s *Set) TempDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	s.Write(t, dir, false)
	return dir
}

// IDXImages encodes an idx image file with the given header values and
// payload; the payload length need not match, so tests can build broken
// files.
func IDXImages(magic, n, rows, cols uint32, pix []uint8) []byte {
	return idx(pix, magic, n, rows, cols)
}

// IDXLabels encodes an idx label file; like IDXImages it checks nothing.
func IDXLabels(magic, n uint32, labels []uint8) []byte {
	return idx(labels, magic, n)
}

// idx is the big-endian header words followed by payload.
func idx(payload []byte, header ...uint32) []byte {
	b := make([]byte, 4*len(header), 4*len(header)+len(payload))
	for i, v := range header {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return append(b, payload...)
}

// Gzip compresses data.
func Gzip(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// WriteFile writes data to dir/name and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TinySpec is the small 28×28 set of the command and lab tests: 12 000
// validation images (the protocol's split) plus 1 100 training images (two
// batches), 300 test images; digit k is a 6×2 bar in a 2×5 grid.
func TinySpec() Spec {
	return Spec{Seed: [2]uint64{1, 2}, NTrain: 12000 + 1100, NTest: 300,
		Bars: Bars{Top: 4, Left: 2, RowStep: 12, ColStep: 5, PerRow: 5, Height: 6, Width: 2,
			DropOneIn: 4, Min: 128, Span: 128, Noise: 1}}
}

// TinyDir writes TinySpec's idx files into a new temporary folder and returns it.
func TinyDir(t testing.TB) string {
	t.Helper()
	return Generate(TinySpec()).TempDir(t)
}

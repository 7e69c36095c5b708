package tasks

import (
	"fmt"
	"math"
	"os"

	"infomorph-tui/model"
)

// Dataset is a labelled data set prepared for training: images (or feature
// rows), labels, the train/validation split and the normalisation of the
// training split. MNIST is the first of them: its byte images are stored
// sparse (pixel index and raw value of each non-zero pixel), split 48k/12k
// (ValSize for smaller sets). Dense byte images (CIFAR-10, the generated
// tasks) are stored as they are, and CSV features as normalised floats.
type Dataset struct {
	Train, Val, Test []int // indices: Train/Val into the train images, Test into test
	// Mean and Std normalise byte images: x = (v/255 − Mean)/Std.
	Mean, Std    float64
	Classes, Dim int
	// Name says what the data is and where it came from (run files record
	// it); Rows×Cols×Channels is the image shape, Dim its product (a CSV
	// row of n features is 1×n×1). Channels are stored one after the other
	// (all red, then green, then blue), as CIFAR-10 stores them.
	Name                 string
	Rows, Cols, Channels int

	trainImg, testImg sparseImages
	trainRaw, testRaw []uint8   // dense byte images (nil when sparse)
	trainF, testF     []float64 // normalised float features (CSV; nil otherwise)
	trainLab, testLab []uint8
}

// maxSparseDim is the largest image dimension the sparse store can index
// (uint16 pixel indices); larger images are stored dense.
const maxSparseDim = 1 << 16

type sparseImages struct {
	off []int32
	idx []uint16
	val []uint8
}

func sparsify(pix []uint8, dim int) sparseImages {
	n := len(pix) / dim
	s := sparseImages{off: make([]int32, n+1)}
	for _, v := range pix {
		if v != 0 {
			s.off[0]++ // count first
		}
	}
	s.idx = make([]uint16, 0, s.off[0])
	s.val = make([]uint8, 0, s.off[0])
	s.off[0] = 0
	for i := 0; i < n; i++ {
		for k, v := range pix[i*dim : (i+1)*dim] {
			if v != 0 {
				s.idx = append(s.idx, uint16(k))
				s.val = append(s.val, v)
			}
		}
		s.off[i+1] = int32(len(s.idx))
	}
	return s
}

// NewDataset splits and normalises MNIST per the protocol: ValSize(n) of the
// n training images are held out for validation (12 000 of MNIST's 60 000).
// m needs at least two training images (see CheckSize).
func NewDataset(m *MNIST) *Dataset { return NewDatasetSplit(m, ValSize(m.NTrain())) }

// ValSize is how many of n training images the protocol holds out for
// validation: NVal (12 000) whenever more than NVal images remain, so that
// MNIST splits 48 000 / 12 000 and every set that could be split before
// splits exactly as before; a set of at most NVal images holds out a fifth
// (rounded down, at least one image) instead of failing.
func ValSize(n int) int {
	if n > NVal {
		return NVal
	}
	return min(max(1, n/5), n)
}

// CheckSize reports whether m has enough training images to split: at least
// two, one to train on and one to validate with.
func CheckSize(m *MNIST) error {
	if n := m.NTrain(); n < 2 {
		return fmt.Errorf("mnist: %s: %d training images; at least 2 are needed (one to train on, one to validate with)", m.Dir, n)
	}
	return nil
}

// NewDatasetSplit is NewDataset with nVal validation images instead of the
// protocol's NVal, for data sets smaller than MNIST (tests, demos).
func NewDatasetSplit(m *MNIST, nVal int) *Dataset {
	rows, cols, classes := m.Shape()
	name := "mnist"
	if m.Dir != "" {
		name = "idx " + m.Dir
	}
	return newByteDataset(byteSet{name: name, rows: rows, cols: cols, channels: 1, classes: classes,
		trainPix: m.TrainImages, trainLab: m.TrainLabels, testPix: m.TestImages, testLab: m.TestLabels}, nVal, false)
}

// byteSet is a labelled image set of bytes before it is split: images one
// after the other, rows×cols×channels bytes each.
type byteSet struct {
	name                          string
	rows, cols, channels, classes int
	trainPix, trainLab            []uint8
	testPix, testLab              []uint8
}

// newByteDataset splits s (nVal training images held out for validation,
// SplitSeed) and normalises it by its training split. dense stores the
// images as they are instead of sparse: for data with few zero bytes, and
// always for images of more than maxSparseDim pixels.
func newByteDataset(s byteSet, nVal int, dense bool) *Dataset {
	dim := s.rows * s.cols * s.channels
	d := &Dataset{Classes: s.classes, Dim: dim, Name: s.name, Rows: s.rows, Cols: s.cols, Channels: s.channels}
	d.Train, d.Val = Split(len(s.trainLab), nVal, SplitSeed)
	d.Test = make([]int, len(s.testLab))
	for i := range d.Test {
		d.Test[i] = i
	}
	d.Mean, d.Std = normalization(s.trainPix, dim, d.Train)
	if d.Std == 0 { // every training pixel alike: only centre
		d.Std = 1
	}
	if dense || dim > maxSparseDim {
		d.trainRaw, d.testRaw = s.trainPix, s.testPix
	} else {
		d.trainImg = sparsify(s.trainPix, dim)
		d.testImg = sparsify(s.testPix, dim)
	}
	d.trainLab, d.testLab = s.trainLab, s.testLab
	return d
}

// Set selects which image set indices refer to.
type Set int

const (
	TrainSet Set = iota // the 60k training images (train and validation splits)
	TestSet
)

// Fill builds the normalised image batch and the labels of the given indices:
// x = (pix/255 − mean)/std, kept sparse through the affine form.
func (d *Dataset) Fill(set Set, ids []int, img *model.Input, labels []uint8) []uint8 {
	if d.trainRaw != nil || d.trainF != nil {
		return d.fillDense(set, ids, img, labels)
	}
	src, lab := &d.trainImg, d.trainLab
	if set == TestSet {
		src, lab = &d.testImg, d.testLab
	}
	img.Rows, img.Dim, img.Dense, img.T = len(ids), d.Dim, nil, nil
	img.Scale, img.Shift = 1/d.Std, -d.Mean/d.Std
	if cap(img.Ptr) < len(ids)+1 {
		img.Ptr = make([]int32, len(ids)+1)
	}
	img.Ptr = img.Ptr[:len(ids)+1]
	n := 0
	for _, id := range ids {
		n += int(src.off[id+1] - src.off[id])
	}
	if cap(img.Idx) < n || cap(img.Val) < n {
		img.Idx, img.Val = make([]int32, n), make([]float64, n)
	}
	img.Idx, img.Val = img.Idx[:n], img.Val[:n]
	labels = labels[:0]
	p := 0
	for b, id := range ids {
		lo, hi := src.off[id], src.off[id+1]
		idx, val := img.Idx[p:p+int(hi-lo)], img.Val[p:p+int(hi-lo)]
		for k, v := range src.val[lo:hi] {
			idx[k] = int32(src.idx[int(lo)+k])
			val[k] = pixelValue[v]
		}
		p += int(hi - lo)
		img.Ptr[b+1] = int32(p)
		labels = append(labels, lab[id])
	}
	return labels
}

// fillDense is Fill for dense data: byte images normalised as the sparse
// ones are, or CSV rows already normalised.
func (d *Dataset) fillDense(set Set, ids []int, img *model.Input, labels []uint8) []uint8 {
	raw, f, lab := d.trainRaw, d.trainF, d.trainLab
	if set == TestSet {
		raw, f, lab = d.testRaw, d.testF, d.testLab
	}
	n, D := len(ids), d.Dim
	x := img.Dense
	if cap(x) < n*D {
		x = make([]float64, n*D)
	}
	x = x[:n*D]
	*img = model.Input{Rows: n, Dim: D, Dense: x, Ptr: img.Ptr[:0], Idx: img.Idx[:0], Val: img.Val[:0]}
	labels = labels[:0]
	scale, shift := 1/d.Std, -d.Mean/d.Std
	for b, id := range ids {
		row := x[b*D : (b+1)*D]
		if f != nil {
			copy(row, f[id*D:(id+1)*D])
		} else {
			for k, v := range raw[id*D : (id+1)*D] {
				row[k] = pixelValue[v]*scale + shift
			}
		}
		labels = append(labels, lab[id])
	}
	return labels
}

// pixelValue[v] is v/255, the raw value of a pixel byte.
var pixelValue = func() (t [256]float64) {
	for v := range t {
		t[v] = float64(v) / 255
	}
	return t
}()

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// LoadDataset finds MNIST (flagDir, $INFOMORPH_DATA or the GoMNIST module,
// see FindMNISTDir), reads it and prepares the protocol's split.
func LoadDataset(flagDir string) (*Dataset, error) {
	dir, err := FindMNISTDir(flagDir)
	if err != nil {
		return nil, err
	}
	m, err := LoadMNIST(dir)
	if err != nil {
		return nil, err
	}
	if err := CheckSize(m); err != nil {
		return nil, err
	}
	d := NewDataset(m)
	if flagDir == "" && os.Getenv("INFOMORPH_DATA") == "" {
		d.Name = "mnist" // the GoMNIST module's files
	}
	return d, nil
}

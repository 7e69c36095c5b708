package tasks

import (
	"fmt"
	"math"

	"infomorph-tui/model"
)

// Dataset is MNIST prepared for training: sparse images (pixel index and raw
// value of each non-zero pixel), labels, the 48k/12k split (ValSize for
// smaller sets) and the normalisation of the training split.
type Dataset struct {
	Train, Val, Test []int // indices: Train/Val into the train images, Test into test
	Mean, Std        float64
	Classes, Dim     int

	trainImg, testImg sparseImages
	trainLab, testLab []uint8
}

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
	d := &Dataset{Classes: 10, Dim: MNISTPixels}
	d.Train, d.Val = Split(m.NTrain(), nVal, SplitSeed)
	d.Test = make([]int, m.NTest())
	for i := range d.Test {
		d.Test[i] = i
	}
	d.Mean, d.Std = Normalization(m.TrainImages, d.Train)
	d.trainImg = sparsify(m.TrainImages, d.Dim)
	d.testImg = sparsify(m.TestImages, d.Dim)
	d.trainLab, d.testLab = m.TrainLabels, m.TestLabels
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
	src, lab := &d.trainImg, d.trainLab
	if set == TestSet {
		src, lab = &d.testImg, d.testLab
	}
	img.Rows, img.Dim, img.Dense = len(ids), d.Dim, nil
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
	return NewDataset(m), nil
}

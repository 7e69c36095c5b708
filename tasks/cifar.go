package tasks

// Reader for CIFAR-10's binary distribution (cifar-10-binary.tar.gz, which
// unpacks to the folder cifar-10-batches-bin): five training files
// data_batch_1.bin … data_batch_5.bin and test_batch.bin, each a sequence of
// 3073-byte records: one label byte 0..9, then the 32×32 red, green and blue
// planes (1024 bytes each, row-major). The official files hold 10 000
// records each; any positive whole number of records is accepted, so tests
// can use small files.

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// CIFAR-10 geometry.
const (
	CIFARSide    = 32
	CIFARPixels  = CIFARSide * CIFARSide // one channel
	cifarRecord  = 1 + 3*CIFARPixels     // 3073 bytes
	cifarClasses = 10
	// cifarMaxFile bounds one file's size: the official ones are 30 730 000 bytes.
	cifarMaxFile = 1 << 28
)

// CIFARFiles are the file names the loader reads, training files first.
var CIFARFiles = []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}

// CIFARDirName is the folder cifar-10-binary.tar.gz unpacks to.
const CIFARDirName = "cifar-10-batches-bin"

// cifarMissing reports which of CIFARFiles dir lacks (nil when none).
func cifarMissing(dir string) error {
	var missing []string
	for _, f := range CIFARFiles {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || !st.Mode().IsRegular() {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("cifar10: %s lacks %s (place data_batch_1.bin … data_batch_5.bin and test_batch.bin from cifar-10-binary.tar.gz there)", dir, joinNames(missing))
}

func joinNames(names []string) string { return strings.Join(names, ", ") }

// readCIFARFile reads one CIFAR-10 binary file: its labels and its images
// (3072 bytes each, channel planes one after the other), or in grey its
// images as 1024 luminance bytes each.
func readCIFARFile(path string, grey bool) (pix, lab []uint8, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cifar10: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("cifar10: %w", err)
	}
	switch size := st.Size(); {
	case !st.Mode().IsRegular():
		return nil, nil, fmt.Errorf("cifar10: %s: not a regular file", path)
	case size == 0:
		return nil, nil, fmt.Errorf("cifar10: %s: empty file", path)
	case size > cifarMaxFile:
		return nil, nil, fmt.Errorf("cifar10: %s: %d bytes, more than a CIFAR-10 file can be (limit %d)", path, size, cifarMaxFile)
	case size%cifarRecord != 0:
		return nil, nil, fmt.Errorf("cifar10: %s: truncated or not a CIFAR-10 binary file: %d bytes is not a whole number of %d-byte records (%d whole, %d bytes left over)",
			path, size, cifarRecord, size/cifarRecord, size%cifarRecord)
	}
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("cifar10: %s: truncated while reading", path)
		}
		return nil, nil, fmt.Errorf("cifar10: %s: %v", path, err)
	}
	n := len(data) / cifarRecord
	dim := 3 * CIFARPixels
	if grey {
		dim = CIFARPixels
	}
	pix, lab = make([]uint8, n*dim), make([]uint8, n)
	for i := range n {
		rec := data[i*cifarRecord : (i+1)*cifarRecord]
		if rec[0] >= cifarClasses {
			return nil, nil, fmt.Errorf("cifar10: %s: record %d: label %d out of range 0..9 (not a CIFAR-10 binary file?)", path, i+1, rec[0])
		}
		lab[i] = rec[0]
		img := rec[1:]
		if !grey {
			copy(pix[i*dim:], img)
			continue
		}
		out := pix[i*dim : (i+1)*dim]
		for k := range out {
			out[k] = Luma(img[k], img[CIFARPixels+k], img[2*CIFARPixels+k])
		}
	}
	return pix, lab, nil
}

// Luma is the grey value of a colour pixel by ITU-R BT.601 weights, as
// PIL's convert("L") computes it: (299·R + 587·G + 114·B)/1000, rounded.
func Luma(r, g, b uint8) uint8 {
	return uint8(math.Round((299*float64(r) + 587*float64(g) + 114*float64(b)) / 1000))
}

// LoadCIFAR10 reads CIFAR-10's binary files from dir and prepares the
// authors' split: a fifth of the training images (rounded up) held out for
// validation (their frac_val 0.2: 10 000 of 50 000), normalised by the
// training split's mean and s.d. over all pixels and channels. grey turns
// every image into 32×32 luminance bytes (1024 inputs instead of 3072).
func LoadCIFAR10(dir string, grey bool) (*Dataset, error) {
	if err := cifarMissing(dir); err != nil {
		return nil, err
	}
	var trainPix, trainLab []uint8
	var testPix, testLab []uint8
	for i, name := range CIFARFiles {
		pix, lab, err := readCIFARFile(filepath.Join(dir, name), grey)
		if err != nil {
			return nil, err
		}
		if i < len(CIFARFiles)-1 {
			trainPix, trainLab = append(trainPix, pix...), append(trainLab, lab...)
		} else {
			testPix, testLab = pix, lab
		}
	}
	if len(trainLab) < 2 {
		return nil, fmt.Errorf("cifar10: %s: %d training images; at least 2 are needed (one to train on, one to validate with)", dir, len(trainLab))
	}
	s := byteSet{name: "cifar10 " + dir, rows: CIFARSide, cols: CIFARSide, channels: 3, classes: cifarClasses,
		trainPix: trainPix, trainLab: trainLab, testPix: testPix, testLab: testLab}
	if grey {
		s.channels, s.name = 1, "cifar10-grey "+dir
	}
	n := len(trainLab)
	return newByteDataset(s, min(max(1, (n+4)/5), n-1), true), nil
}

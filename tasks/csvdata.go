package tasks

// Reader for small tabular problems as plain CSV: a folder holding
// train.csv and test.csv, one example a line, its features (numbers) then
// its label (a class 0..MaxClasses−1) last. A first line with no number in
// it is a header and is skipped; every other line must have as many fields
// as the first data line. Errors name the file and the line.

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CSV file names in a CSV data folder, and the bound on a file's size.
const (
	CSVTrainFile = "train.csv"
	CSVTestFile  = "test.csv"
	csvMaxFile   = 1 << 28
	csvMaxCols   = 1 << 14
)

// csvTable is one CSV file's examples: n rows of dim features, labels.
type csvTable struct {
	feat []float64
	lab  []uint8
	dim  int
}

// readCSV reads one CSV file of features and labels.
func readCSV(path string) (csvTable, error) {
	var t csvTable
	f, err := os.Open(path)
	if err != nil {
		return t, fmt.Errorf("csv: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return t, fmt.Errorf("csv: %s: not a regular file", path)
	} else if st.Size() > csvMaxFile {
		return t, fmt.Errorf("csv: %s: %d bytes is more than the %d a small tabular problem may have", path, st.Size(), csvMaxFile)
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	r.TrimLeadingSpace = true
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return t, fmt.Errorf("csv: %s:%d: %v", path, pe.Line, pe.Err)
			}
			return t, fmt.Errorf("csv: %s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			if isHeader(rec) {
				continue
			}
		}
		if t.dim == 0 {
			if len(rec) < 2 || len(rec) > csvMaxCols {
				return t, fmt.Errorf("csv: %s:%d: %d fields; want 2..%d (features…, label)", path, line, len(rec), csvMaxCols)
			}
			t.dim = len(rec) - 1
		}
		if len(rec) != t.dim+1 {
			return t, fmt.Errorf("csv: %s:%d: %d fields, the first data line has %d", path, line, len(rec), t.dim+1)
		}
		for k, s := range rec[:t.dim] {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return t, fmt.Errorf("csv: %s:%d: field %d: %q is not a finite number", path, line, k+1, s)
			}
			t.feat = append(t.feat, v)
		}
		s := strings.TrimSpace(rec[t.dim])
		l, err := strconv.Atoi(s)
		if err != nil || l < 0 || l >= MaxClasses {
			return t, fmt.Errorf("csv: %s:%d: label %q is not a class 0..%d", path, line, s, MaxClasses-1)
		}
		t.lab = append(t.lab, uint8(l))
	}
	if len(t.lab) == 0 {
		return t, fmt.Errorf("csv: %s: no examples", path)
	}
	return t, nil
}

// isHeader reports whether a first line is a header: none of its fields is a number.
func isHeader(rec []string) bool {
	for _, s := range rec {
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return false
		}
	}
	return true
}

// csvMissing says which CSV file dir lacks (nil when it has both).
func csvMissing(dir string) error {
	for _, name := range []string{CSVTrainFile, CSVTestFile} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("csv: %s lacks %s (a CSV data folder holds %s and %s: features…, label)", dir, name, CSVTrainFile, CSVTestFile)
		}
	}
	return nil
}

// LoadCSV reads train.csv and test.csv from dir. A fifth of the training
// rows (at least one) is held out for validation (SplitSeed); every feature
// is standardised by the training split's mean and s.d. (a constant feature
// is only centred). The class count is the largest label + 1 (at least 2).
func LoadCSV(dir string) (*Dataset, error) {
	if err := csvMissing(dir); err != nil {
		return nil, err
	}
	trainPath, testPath := filepath.Join(dir, CSVTrainFile), filepath.Join(dir, CSVTestFile)
	tr, err := readCSV(trainPath)
	if err != nil {
		return nil, err
	}
	te, err := readCSV(testPath)
	if err != nil {
		return nil, err
	}
	if te.dim != tr.dim {
		return nil, fmt.Errorf("csv: %s: %d features, but %s has %d", testPath, te.dim, trainPath, tr.dim)
	}
	n := len(tr.lab)
	if n < 2 {
		return nil, fmt.Errorf("csv: %s: %d training rows; at least 2 are needed (one to train on, one to validate with)", trainPath, n)
	}
	classes := 2
	for _, l := range append(append([]uint8(nil), tr.lab...), te.lab...) {
		classes = max(classes, int(l)+1)
	}
	D := tr.dim
	d := &Dataset{Classes: classes, Dim: D, Name: "csv " + dir, Rows: 1, Cols: D, Channels: 1, Mean: 0, Std: 1}
	d.Train, d.Val = Split(n, min(max(1, n/5), n-1), SplitSeed)
	d.Test = make([]int, len(te.lab))
	for i := range d.Test {
		d.Test[i] = i
	}
	mean, sd := make([]float64, D), make([]float64, D)
	for _, i := range d.Train {
		for k := range D {
			mean[k] += tr.feat[i*D+k]
		}
	}
	for k := range mean {
		mean[k] /= float64(len(d.Train))
	}
	for _, i := range d.Train {
		for k := range D {
			v := tr.feat[i*D+k] - mean[k]
			sd[k] += v * v
		}
	}
	for k := range sd {
		sd[k] = math.Sqrt(sd[k] / float64(len(d.Train)))
		if sd[k] == 0 {
			sd[k] = 1
		}
	}
	norm := func(x []float64) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = (v - mean[i%D]) / sd[i%D]
		}
		return out
	}
	d.trainF, d.testF = norm(tr.feat), norm(te.feat)
	d.trainLab, d.testLab = tr.lab, te.lab
	return d, nil
}

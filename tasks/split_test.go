package tasks

import (
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
)

// TestSmallSetSplit: a valid MNIST-format set with fewer training images than
// the protocol's 12 000 validation images loads with a fifth held out for
// validation instead of panicking in Split; larger sets keep the protocol's
// split exactly (MNIST: 48 000 / 12 000).
func TestSmallSetSplit(t *testing.T) {
	for _, tc := range []struct{ n, val int }{
		{1000, 200}, {12000, 2400}, {7, 1}, {2, 1},
		{NVal + 1, NVal}, {NVal + 150, NVal}, {13100, NVal}, {60000, NVal},
	} {
		if got := ValSize(tc.n); got != tc.val {
			t.Errorf("ValSize(%d) = %d, want %d", tc.n, got, tc.val)
		}
	}
	spec := mnisttest.TinySpec()
	spec.NTrain, spec.NTest = 1000, 100
	dir := mnisttest.Generate(spec).TempDir(t)
	d, err := LoadDataset(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Train) != 800 || len(d.Val) != 200 || len(d.Test) != 100 {
		t.Errorf("split %d/%d/%d, want 800/200/100", len(d.Train), len(d.Val), len(d.Test))
	}
	seen := map[int]bool{}
	for _, i := range append(append([]int(nil), d.Train...), d.Val...) {
		if i < 0 || i >= 1000 || seen[i] {
			t.Fatalf("index %d repeated or out of range", i)
		}
		seen[i] = true
	}
	// The real protocol: the same permutation as before, cut at 48 000.
	train, val := Split(60000, ValSize(60000), SplitSeed)
	if len(train) != 48000 || len(val) != 12000 {
		t.Errorf("60k split %d/%d", len(train), len(val))
	}

	spec.NTrain = 1
	one := mnisttest.Generate(spec).TempDir(t)
	if _, err := LoadDataset(one); err == nil || !strings.Contains(err.Error(), "at least 2") {
		t.Errorf("one training image: %v", err)
	}
}

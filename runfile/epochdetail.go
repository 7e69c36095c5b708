package runfile

// Checks of the optional per-epoch details: the readout's confusion matrix
// on the test set and each layer's atom distribution over its neurons. Both
// were added to schema 2 as optional fields (like the preset definition
// before them), so files written before them still load; an epoch either
// has a detail or not, and an old run continued by a newer build has them
// from some epoch on.

import (
	"fmt"
	"math"

	"infomorph-tui/tasks"
)

// checkEpochDetails validates every epoch's confusion matrix and atom
// spreads; errors name the field, e.g. "epochs[3].confusion[12]".
func checkEpochDetails(epochs []tasks.EpochStats) error {
	k0, n0, first := 0, 0, -1 // classes and images of the first epoch with a matrix
	for i, e := range epochs {
		if e.Confusion != nil {
			k, n, err := checkConfusion(fmt.Sprintf("epochs[%d].confusion", i), e.Confusion, e.TestAcc)
			if err != nil {
				return err
			}
			switch {
			case first < 0:
				k0, n0, first = k, n, i
			case k != k0:
				return fmt.Errorf("epochs[%d].confusion: %d classes, epochs[%d] has %d (the test set does not change)", i, k, first, k0)
			case n != n0:
				return fmt.Errorf("epochs[%d].confusion: %d test images, epochs[%d] has %d (the test set does not change)", i, n, first, n0)
			}
		}
		for l, ls := range e.Layers {
			if err := checkSpread(fmt.Sprintf("epochs[%d].layers[%d].spread", i, l), ls); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkConfusion: counts form a square matrix of at least two classes, none
// negative, and the diagonal (the images classified correctly) agrees with
// the epoch's test accuracy. It returns the classes and the images counted.
func checkConfusion(at string, c []int, testAcc float64) (classes, images int, err error) {
	k := int(math.Round(math.Sqrt(float64(len(c)))))
	if k < 2 || k*k != len(c) {
		return 0, 0, fmt.Errorf("%s: %d counts, want classes × classes (a square matrix of at least 2 classes)", at, len(c))
	}
	n, diag := 0, 0
	for j, v := range c {
		if v < 0 {
			return 0, 0, fmt.Errorf("%s[%d]: count %d is negative", at, j, v)
		}
		if v > math.MaxInt/2-n {
			return 0, 0, fmt.Errorf("%s[%d]: count %d is too large", at, j, v)
		}
		n += v
		if j/k == j%k {
			diag += v
		}
	}
	if n == 0 {
		return 0, 0, fmt.Errorf("%s: no image counted", at)
	}
	if want := testAcc * float64(n); math.Abs(float64(diag)-want) > 0.5 {
		return 0, 0, fmt.Errorf("%s: %d of %d images on the diagonal (%.4f), but test_acc is %.4f: the matrix is not the test set's",
			at, diag, n, float64(diag)/float64(n), testAcc)
	}
	return k, n, nil
}

// checkSpread: a layer's atom spread, when recorded, has one finite
// p10 ≤ median ≤ p90 per atom name.
func checkSpread(at string, l tasks.LayerStats) error {
	if l.Spread == nil {
		return nil
	}
	if len(l.Spread) != len(l.AtomNames) {
		return fmt.Errorf("%s: %d entries for %d atom names", at, len(l.Spread), len(l.AtomNames))
	}
	for k, s := range l.Spread {
		switch {
		case !finite(s.P10, s.Median, s.P90):
			return fmt.Errorf("%s[%d] (%s): percentiles must be finite", at, k, l.AtomNames[k])
		case !(s.P10 <= s.Median && s.Median <= s.P90):
			return fmt.Errorf("%s[%d] (%s): want p10 ≤ median ≤ p90, got %g, %g, %g", at, k, l.AtomNames[k], s.P10, s.Median, s.P90)
		}
	}
	return nil
}

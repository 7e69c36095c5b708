package runfile

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"infomorph-tui/tasks"
)

// TestDetailsRoundTrip: every epoch of a run file carries the test set's
// confusion matrix and each layer's atom spread over its neurons, and both
// come back from the file exactly.
func TestDetailsRoundTrip(t *testing.T) {
	rec, run := trained(t)
	path := filepath.Join(t.TempDir(), "run.json")
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range got.Epochs {
		want := run.Snapshot().History[i]
		if len(e.Confusion) != 100 || !reflect.DeepEqual(e.Confusion, want.Confusion) {
			t.Errorf("epoch %d: confusion %v, want %v", i+1, e.Confusion, want.Confusion)
		}
		n, diag := 0, 0
		for j, v := range e.Confusion {
			n += v
			if j/10 == j%10 {
				diag += v
			}
		}
		if n != len(smallData.Test) || float64(diag)/float64(n) != e.TestAcc {
			t.Errorf("epoch %d: %d of %d on the diagonal, test set %d, test acc %v", i+1, diag, n, len(smallData.Test), e.TestAcc)
		}
		l := e.Layers[0]
		if len(l.Spread) != len(l.AtomNames) || !reflect.DeepEqual(l.Spread, want.Layers[0].Spread) {
			t.Errorf("epoch %d: spread %+v, want %+v", i+1, l.Spread, want.Layers[0].Spread)
		}
		for k, s := range l.Spread {
			if !(s.P10 <= s.Median && s.Median <= s.P90) || s.P10 == s.P90 && k < 4 {
				t.Errorf("epoch %d, %s: spread %+v (10 neurons should differ)", i+1, l.AtomNames[k], s)
			}
		}
	}
}

// TestDetailsOptional: files written before the details existed (no
// confusion, no spread), or with them in some epochs only, still load.
func TestDetailsOptional(t *testing.T) {
	m := goodFile(t)
	for _, tc := range []struct {
		name string
		drop func(i int) bool
	}{{"none", func(int) bool { return true }}, {"from epoch 2 on", func(i int) bool { return i == 0 }}} {
		data := edited(t, m, "epochs", func(v any) any {
			for i, e := range arr(v) {
				if tc.drop(i) {
					delete(obj(e), "confusion")
					for _, l := range arr(obj(e)["layers"]) {
						delete(obj(l), "spread")
					}
				}
			}
			return v
		})
		r, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if (r.Epochs[0].Confusion == nil) != tc.drop(0) || r.Epochs[1].Confusion == nil != tc.drop(1) ||
			(r.Epochs[0].Layers[0].Spread == nil) != tc.drop(0) {
			t.Errorf("%s: details %v %v", tc.name, r.Epochs[0].Confusion, r.Epochs[0].Layers[0].Spread)
		}
	}
}

// TestDetailsRejected: a broken confusion matrix or spread is refused with
// one line naming the field.
func TestDetailsRejected(t *testing.T) {
	m := goodFile(t)
	conf := func(v any, i int) []any { return arr(obj(arr(v)[i])["confusion"]) }
	spread := func(v any, i, k int) map[string]any {
		return obj(arr(obj(arr(obj(arr(v)[i])["layers"])[0])["spread"])[k])
	}
	// offDiag is the index of an off-diagonal count of epoch i that is > 0.
	offDiag := func(v any, i int) int {
		for j, x := range conf(v, i) {
			if j/10 != j%10 && x.(float64) > 0 {
				return j
			}
		}
		t.Fatal("no misclassified image in the test run")
		return 0
	}
	for _, tc := range []struct {
		name string
		f    func(v any) any
		want string
	}{
		{"not square", func(v any) any {
			e := obj(arr(v)[0])
			e["confusion"] = conf(v, 0)[:99]
			return v
		}, "epochs[0].confusion: 99 counts"},
		{"one class", func(v any) any {
			obj(arr(v)[1])["confusion"] = []any{100}
			return v
		}, "epochs[1].confusion: 1 counts"},
		{"empty", func(v any) any {
			obj(arr(v)[1])["confusion"] = []any{}
			return v
		}, "epochs[1].confusion: 0 counts"},
		{"negative count", func(v any) any {
			conf(v, 1)[3] = -1
			return v
		}, "epochs[1].confusion[3]: count -1 is negative"},
		{"huge count", func(v any) any {
			conf(v, 1)[3] = 9.2e18
			return v
		}, "epochs[1].confusion[3]"},
		{"not a count", func(v any) any {
			conf(v, 0)[5] = 1.5
			return v
		}, `field "epochs"`},
		{"all zero", func(v any) any {
			c := conf(v, 0)
			for j := range c {
				c[j] = 0
			}
			return v
		}, "epochs[0].confusion: no image counted"},
		{"diagonal disagrees with test_acc", func(v any) any {
			c := conf(v, 0)
			j := offDiag(v, 0)
			c[j] = c[j].(float64) - 1
			c[(j/10)*11] = c[(j/10)*11].(float64) + 1 // the same image, now correct
			return v
		}, "epochs[0].confusion: "},
		{"another test set size", func(v any) any {
			c := conf(v, 1)
			for j := range c {
				c[j] = 2 * c[j].(float64) // same accuracy, twice the images
			}
			return v
		}, "epochs[1].confusion: 200 test images, epochs[0] has 100"},
		{"spread too short", func(v any) any {
			l := obj(arr(obj(arr(v)[0])["layers"])[0])
			l["spread"] = arr(l["spread"])[:4]
			return v
		}, "epochs[0].layers[0].spread: 4 entries for 5 atom names"},
		{"spread out of order", func(v any) any {
			s := spread(v, 1, 2)
			s["p10"] = s["p90"].(float64) + 0.1
			return v
		}, "epochs[1].layers[0].spread[2] ({1}{2}): want p10 ≤ median ≤ p90"},
		{"spread median above p90", func(v any) any {
			s := spread(v, 0, 4)
			s["median"] = s["p90"].(float64) + 1
			return v
		}, "epochs[0].layers[0].spread[4] (h_res)"},
		{"spread unknown field", func(v any) any {
			spread(v, 0, 0)["p95"] = 1
			return v
		}, `field "epochs"`},
		{"spread not finite", func(v any) any {
			spread(v, 0, 1)["p90"] = "NaN"
			return v
		}, `field "epochs"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkRejected(t, edited(t, m, "epochs", tc.f), tc.want)
		})
	}
	// The checks themselves, for values JSON cannot carry.
	if err := checkSpread("s", trainedLayerWithNaN(t)); err == nil {
		t.Error("NaN percentile accepted")
	}
}

// trainedLayerWithNaN is a trained layer whose first spread entry is NaN.
func trainedLayerWithNaN(t *testing.T) tasks.LayerStats {
	rec, _ := trained(t)
	l := rec.Epochs[0].Layers[0]
	l.Spread = append([]tasks.AtomSpread(nil), l.Spread...)
	l.Spread[0].Median = math.NaN()
	return l
}

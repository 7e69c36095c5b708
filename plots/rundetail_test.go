package plots

import (
	"image"
	"math"
	"testing"

	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// withDetails adds made-up atom spreads around every layer's means and a
// 10-class confusion matrix to the epochs from first on (1-based).
func withDetails(rec runfile.Record, first int) runfile.Record {
	for i := range rec.Epochs {
		e := &rec.Epochs[i]
		if e.Epoch < first {
			continue
		}
		for li := range e.Layers {
			l := &e.Layers[li]
			l.Spread = make([]tasks.AtomSpread, len(l.Atoms))
			for k, m := range l.Atoms {
				w := 0.02 * float64(k%4+1)
				l.Spread[k] = tasks.AtomSpread{P10: m - w, Median: m + 0.2*w, P90: m + 1.5*w}
			}
		}
		e.Confusion = make([]int, 100)
		for c := range 10 {
			e.Confusion[c*11] = 900 + 10*e.Epoch + c
			e.Confusion[c*10+(c+3)%10] = 40 - c
			e.Confusion[c*10+(c+7)%10] = 5
		}
	}
	return rec
}

// viridisYellow counts pixels near viridis' top colour (a row share near 1).
func viridisYellow(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if math.Abs(float64(r>>8)-0xFD) < 24 && math.Abs(float64(g>>8)-0xE7) < 24 && float64(bl>>8) < 0x60 {
				n++
			}
		}
	}
	return n
}

// TestRunFigureDetails: with spreads, each layer gets a second panel; with
// a confusion matrix, a 6-inch heatmap goes below; files without either
// draw as before (TestRunFigure); epochs without details (an old run
// continued by a newer build) are left out of the detail panels.
func TestRunFigureDetails(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rec    runfile.Record
		panels int
	}{
		{"readout", withDetails(fakeRecord(5, 4), 1), 3},
		{"trivariate", withDetails(fakeRecord(6, 18, 4), 1), 5},
		{"details from epoch 3", withDetails(fakeRecord(6, 18, 4), 3), 5},
		{"one epoch", withDetails(fakeRecord(1, 4), 1), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Run(tc.rec)
			if err != nil {
				t.Fatal(err)
			}
			img := decode(t, f)
			checkImage(t, img, 7, 3*float64(tc.panels)+6)
			// The diagonal's cells (about 95% of each class) are viridis yellow:
			// ten cells of ≈ 0.5 × 0.45 inch.
			if y := viridisYellow(img); y < 10*testDPI*testDPI/8 {
				t.Errorf("%d yellow pixels: no diagonal drawn?", y)
			}
		})
	}
	plain, err := Run(fakeRecord(5, 4))
	if err != nil {
		t.Fatal(err)
	}
	if img := decode(t, plain); viridisYellow(img) > 0 {
		t.Error("a run without a confusion matrix has a heatmap")
	}
}

// TestAtomOrder: the spread panel shows the atoms the mean panel shows.
func TestAtomOrder(t *testing.T) {
	rec := fakeRecord(4, 18)
	l := rec.Epochs[0].Layers[0]
	order := atomOrder(rec, l.Name, l.AtomNames)
	if len(order) != maxAtomLines {
		t.Fatalf("%d atoms shown", len(order))
	}
	// Every atom left out is no larger than every atom shown.
	shown := map[int]bool{}
	for _, k := range order {
		shown[k] = true
	}
	size := func(k int) float64 {
		m := 0.0
		for _, e := range rec.Epochs {
			m = math.Max(m, math.Abs(e.Layers[0].Atoms[k]/e.Layers[0].HY))
		}
		return m
	}
	for k := range l.AtomNames {
		for _, s := range order {
			if !shown[k] && size(k) > size(s) {
				t.Errorf("%s (%.3f) left out, %s (%.3f) shown", l.AtomNames[k], size(k), l.AtomNames[s], size(s))
			}
		}
	}
	if l := fakeRecord(3, 4).Epochs[0].Layers[0]; len(atomOrder(fakeRecord(3, 4), l.Name, l.AtomNames)) != 5 {
		t.Error("bivariate: not all 5 atoms shown")
	}
}

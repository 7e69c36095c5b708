package plots

import (
	"testing"
)

// TestRunTitlesNotClipped: a layer panel's title is longer than its plot
// (the legend column takes the right of the figure); centred on the plot it
// ran off the figure's left edge ("dden layer · …"). Nothing may touch the
// figure's leftmost or rightmost pixel columns (PadLeft and the legend's
// margin keep them white).
func TestRunTitlesNotClipped(t *testing.T) {
	for _, rec := range []struct {
		name  string
		atoms []int
	}{{"hidden+readout", []int{4, 4}}, {"trivariate", []int{18, 4}}} {
		t.Run(rec.name, func(t *testing.T) {
			f, err := Run(fakeRecord(12, rec.atoms...))
			if err != nil {
				t.Fatal(err)
			}
			img := decode(t, f)
			b := img.Bounds()
			for _, x := range []int{b.Min.X, b.Max.X - 1} {
				ink := 0
				for y := b.Min.Y; y < b.Max.Y; y++ {
					if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 < 200 || g>>8 < 200 || bl>>8 < 200 {
						ink++
					}
				}
				if ink > 0 {
					t.Errorf("pixel column %d has %d inked pixels: a title runs off the figure", x, ink)
				}
			}
		})
	}
}

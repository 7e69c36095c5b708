package plots

import (
	"testing"

	"infomorph-tui/pid"
)

// TestAtomLabel pins the legend words: short meanings for the bivariate
// atoms and h_res, bare names otherwise.
func TestAtomLabel(t *testing.T) {
	want := map[int]map[string]string{
		1: {"{1}": "{1}", "h_res": "h_res residual"},
		2: {"{1}": "{1} unique F", "{2}": "{2} unique C", "{1}{2}": "{1}{2} shared", "{12}": "{12} synergy", "h_res": "h_res residual"},
		3: {"h_res": "h_res residual"},
	}
	for n := 1; n <= pid.MaxSources; n++ {
		for _, name := range pid.GammaNames(n) {
			w, ok := want[n][name]
			if !ok {
				w = name
			}
			if got := atomLabel(name, n); got != w {
				t.Errorf("%d sources: atomLabel(%q) = %q, want %q", n, name, got, w)
			}
		}
	}
	if got := atomLabel("h_y", 2); got != "h_y" {
		t.Errorf("atomLabel(h_y) = %q", got)
	}
}

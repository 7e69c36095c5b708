package runfile

import (
	"bytes"
	"testing"

	"infomorph-tui/internal/printable"
)

// FuzzParse: no input makes the run-file loader panic, and whatever it
// accepts can be written again (no NaN, no unencodable value) and reads
// back to the same bytes, with printable names. Seeds: testdata/fuzz/FuzzParse.
//
//	go test ./runfile -run '^$' -fuzz FuzzParse -fuzztime 90s
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"schema": 2}`))
	f.Add([]byte(`{"schema": 2, "version": "v", "preset": "mnist-readout", "seed": 1, "gamma": [{"step": 0, "layer": "readout", "gamma": [-0.2, 0.1, 1, 0.1, 0]}], "epochs": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			return
		}
		out, err := Marshal(r)
		if err != nil {
			t.Fatalf("accepted a record it cannot write: %v", err)
		}
		r2, err := Parse(out)
		if err != nil {
			t.Fatalf("cannot read back what it wrote: %v\n%s", err, out)
		}
		out2, err := Marshal(r2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("second round trip differs (%v)", err)
		}
		for _, s := range []string{r.Version, r.SavedAt, r.Preset, r.Diverged} {
			if !printable.Is(s) {
				t.Fatalf("accepted a name that is not printable: %q", s)
			}
		}
		for _, e := range r.Epochs {
			for _, l := range e.Layers {
				for _, n := range append([]string{l.Name}, l.AtomNames...) {
					if !printable.Is(n) {
						t.Fatalf("accepted a layer or atom name that is not printable: %q", n)
					}
				}
			}
		}
	})
}

package presets

import (
	"embed"
	"encoding/json"
	"reflect"
	"testing"

	"infomorph-tui/internal/printable"
)

// FuzzParse: no input makes the preset loader panic; whatever it accepts
// has printable names, a network within the size bounds, and survives a
// JSON round trip unchanged. Seeds: the built-in presets and
// testdata/fuzz/FuzzParse.
//
//	go test ./presets -run '^$' -fuzz FuzzParse -fuzztime 90s
func FuzzParse(f *testing.F) {
	for _, d := range []struct {
		fs   embed.FS
		name string
	}{{builtin, "builtin"}, {memoryFS, "memory"}} {
		entries, err := d.fs.ReadDir(d.name)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			data, err := d.fs.ReadFile(d.name + "/" + e.Name())
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(good))
	f.Add([]byte(goodMemory))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.json")
		if err != nil {
			return
		}
		if !printable.Is(p.Name) || !printable.Is(p.Description) {
			t.Fatalf("accepted a name or description that is not printable: %q %q", p.Name, p.Description)
		}
		for _, l := range p.Layers {
			if !ValidLayerName(l.Name) {
				t.Fatalf("accepted layer name %q", l.Name)
			}
		}
		if p.Task == "mnist" {
			spec, err := p.NetSpec()
			if err != nil {
				t.Fatalf("accepted a preset without a network: %v", err)
			}
			if b := TrainingBytes(spec); b > MaxTrainingBytes {
				t.Fatalf("accepted a network of %d bytes", b)
			}
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("cannot write an accepted preset: %v", err)
		}
		p2, err := Parse(out, "fuzz.json")
		if err != nil {
			t.Fatalf("cannot read back an accepted preset: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("round trip changed the preset:\n%+v\n%+v", p, p2)
		}
	})
}

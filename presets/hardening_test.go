package presets

import (
	"strings"
	"testing"
	"unicode"
)

// hidden returns the two-layer base preset with a hidden layer of the given
// units and extra fields ("partners": …), c the hidden layer's context.
func hidden(units int, c, extra string) string {
	act := `{"kind": "graetz", "k1": 0.9, "k2": 2}`
	gamma := `[0, 0, 1, 0, 0]`
	return strings.Replace(strings.Replace(good, `"layers": [`, `"layers": [
    {"name": "hidden", "units": `+itoa(units)+`, "f": "image", "c": "`+c+`"`+extra+`,
      "activation": `+act+`, "binning": "fixed",
      "gamma": `+gamma+`, "lr": 2e-3, "wd": 3.5e-4},`, 1), `"units": 10, "f": "image"`, `"units": 10, "f": "below"`, 1)
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// TestSizeLimits: a preset (from a user file or a run file's preset_def)
// cannot ask for a network larger than this program trains: the bound is
// checked before anything is allocated and the error says why.
func TestSizeLimits(t *testing.T) {
	for _, ok := range []string{hidden(2000, "label", ""), hidden(MaxUnits, "label", ""), hidden(2000, "lateral", `, "partners": 100`)} {
		if _, err := Parse([]byte(ok), "ok.json"); err != nil {
			t.Errorf("a network of the paper's size: %v", err)
		}
	}
	for _, tc := range []struct{ name, json, want string }{
		{"units", hidden(20000, "label", ""), "layers[0].units: 20000 is out of range 1..10000"},
		{"huge units", hidden(100000, "label", ""), "layers[0].units"},
		{"dense lateral", hidden(9000, "lateral", ""), "GiB of memory to train"},
		{"partners", hidden(9000, "lateral", `, "partners": 8999`), "GiB of memory to train"},
		{"memory neurons×patterns", strings.Replace(strings.Replace(goodMemory, `"neurons": 64`, `"neurons": 4096`, 1), `"alpha": 1.2`, `"alpha": 20`, 1), "GiB of memory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json), "big.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "big.json: ") {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
	spec, err := Builtin()[0].NetSpec()
	if err != nil {
		t.Fatal(err)
	}
	if b := TrainingBytes(spec); b < 1<<20 || b > 64<<20 {
		t.Errorf("readout network estimate %d bytes", b)
	}
}

// TestNames: names and descriptions are short and printable, so that no
// file can put control characters or terminal escapes into output.
func TestNames(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"escape in name", strings.Replace(good, `"my-readout"`, `"my-\u001b[2Jreadout"`, 1), "name:"},
		{"bidi in name", strings.Replace(good, `"my-readout"`, `"my-\u202ereadout"`, 1), "name:"},
		{"long name", strings.Replace(good, `"my-readout"`, `"`+strings.Repeat("x", 65)+`"`, 1), "name:"},
		{"newline in description", strings.Replace(good, `"test"`, `"two\nlines"`, 1), "description:"},
		{"escape in description", strings.Replace(good, `"test"`, `"\u001b]0;owned\u0007"`, 1), "description:"},
		{"long description", strings.Replace(good, `"test"`, `"`+strings.Repeat("x", 1001)+`"`, 1), "description:"},
		{"escape in layer name", strings.Replace(good, `"name": "readout"`, `"name": "read\u001bout"`, 1), "layers[0].name"},
		{"comma in layer name", strings.Replace(good, `"name": "readout"`, `"name": "read,out"`, 1), "layers[0].name"},
		{"long layer name", strings.Replace(good, `"name": "readout"`, `"name": "`+strings.Repeat("r", 33)+`"`, 1), "layers[0].name"},
		{"escape in memory name", strings.Replace(goodMemory, `"name": "my-memory"`, `"name": "m\u0000"`, 1), "name:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json), "bad.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
			for _, r := range err.Error() {
				if !unicode.IsPrint(r) {
					t.Errorf("the error carries %U: %q", r, err)
				}
			}
		})
	}
	ok := strings.Replace(strings.Replace(good, `"name": "readout"`, `"name": "réadout_2.b-c"`, 1), `"test"`, `"γ sweep — “quoted” · 10 units"`, 1)
	if _, err := Parse([]byte(ok), "ok.json"); err != nil {
		t.Errorf("printable names: %v", err)
	}
}

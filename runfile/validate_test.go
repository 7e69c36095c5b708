package runfile

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode"
)

// goodFile is a valid run file (2 epochs, state included) as a map of its
// fields, for tests to break one at a time.
func goodFile(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	rec, _ := trained(t)
	data, err := Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// edited is m with one field's JSON text changed by f.
func edited(t *testing.T, m map[string]json.RawMessage, key string, f func(v any) any) []byte {
	t.Helper()
	var v any
	if raw, ok := m[key]; ok {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
	}
	c := map[string]json.RawMessage{}
	for k, x := range m {
		c[k] = x
	}
	raw, err := json.Marshal(f(v))
	if err != nil {
		t.Fatal(err)
	}
	c[key] = raw
	data, _ := json.Marshal(c)
	return data
}

// obj and arr walk a decoded JSON value.
func obj(v any) map[string]any { return v.(map[string]any) }
func arr(v any) []any          { return v.([]any) }

// params encodes float64 values as the state's base64 parameters.
func params(v ...float64) string {
	raw := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(raw[8*i:], math.Float64bits(x))
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// checkRejected: Parse refuses data with a one-line, printable error naming want.
func checkRejected(t *testing.T, data []byte, want string) {
	t.Helper()
	_, err := Parse(data)
	if err == nil {
		t.Fatalf("accepted; want an error naming %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
	for _, r := range err.Error() {
		if !unicode.IsPrint(r) {
			t.Errorf("error carries %U: %q", r, err)
			break
		}
	}
}

// TestShapes: every epoch records the same layers with the same atoms, the
// atoms of a PID lattice, and those of the preset when the file has its
// definition (item 9: plot panicked on mixed atom counts, resume made them).
func TestShapes(t *testing.T) {
	m := goodFile(t)
	for _, tc := range []struct {
		name string
		f    func(v any) any
		want string
	}{
		{"fewer atoms in epoch 2", func(v any) any {
			l := obj(arr(obj(arr(v)[1])["layers"])[0])
			l["atom_names"], l["atoms"] = arr(l["atom_names"])[:1], arr(l["atoms"])[:1]
			return v
		}, "epochs[1].layers[0]"},
		{"short atoms everywhere", func(v any) any {
			for _, e := range arr(v) {
				l := obj(arr(obj(e)["layers"])[0])
				l["atom_names"], l["atoms"] = arr(l["atom_names"])[:2], arr(l["atoms"])[:2]
			}
			return v
		}, "atom_names"},
		{"other layer name in epoch 2", func(v any) any {
			obj(arr(obj(arr(v)[1])["layers"])[0])["name"] = "other"
			return v
		}, "epochs[1].layers[0]"},
		{"unknown atom names", func(v any) any {
			for _, e := range arr(v) {
				l := obj(arr(obj(e)["layers"])[0])
				arr(l["atom_names"])[0] = "{9}"
			}
			return v
		}, "atom_names"},
		{"layer not in the preset", func(v any) any {
			for _, e := range arr(v) {
				obj(arr(obj(e)["layers"])[0])["name"] = "other"
			}
			return v
		}, "epochs[0].layers[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkRejected(t, edited(t, m, "epochs", tc.f), tc.want) })
	}
}

// TestSizeBounds: a small file cannot make Parse (or a later resume) build a
// huge network: preset_def is bounded before anything is allocated.
func TestSizeBounds(t *testing.T) {
	m := goodFile(t)
	for _, units := range []float64{20000, 100000} {
		data := edited(t, m, "preset_def", func(v any) any {
			obj(arr(obj(v)["layers"])[0])["units"] = units
			return v
		})
		checkRejected(t, data, "units")
	}
	data := edited(t, m, "preset_def", func(v any) any {
		p := obj(v)
		hidden := map[string]any{"name": "hidden", "units": 9000, "f": "image", "c": "lateral",
			"activation": map[string]any{"kind": "graetz", "k1": 0.9, "k2": 2}, "binning": "fixed",
			"gamma": []float64{0, 0, 1, 0, 0}, "lr": 2e-3, "wd": 3.5e-4}
		ro := obj(arr(p["layers"])[0])
		ro["f"] = "below"
		p["layers"] = []any{hidden, ro}
		return v
	})
	checkRejected(t, data, "GiB of memory")
}

// TestNamesInFiles: names that reach output are short and printable (item 11).
func TestNamesInFiles(t *testing.T) {
	m := goodFile(t)
	set := func(key string, v any) []byte { return edited(t, m, key, func(any) any { return v }) }
	epochs := func(f func(l map[string]any)) []byte {
		return edited(t, m, "epochs", func(v any) any {
			for _, e := range arr(v) {
				f(obj(arr(obj(e)["layers"])[0]))
			}
			return v
		})
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"version", set("version", "1.0\x1b[2J"), "version"},
		{"saved_at", set("saved_at", "\x1b]0;x\x07"), "saved_at"},
		{"long version", set("version", strings.Repeat("v", 200)), "version"},
		{"preset", set("preset", "mnist\x1b-readout"), "preset"},
		{"diverged", set("diverged", "NaN\x1b[31m"), "diverged"},
		{"gamma layer", edited(t, m, "gamma", func(v any) any {
			obj(arr(v)[0])["layer"] = "read\x1bout"
			return v
		}), "gamma[0]"},
		{"epoch layer", epochs(func(l map[string]any) { l["name"] = "read\x1bout" }), "epochs[0].layers[0]"},
		{"atom name", epochs(func(l map[string]any) { arr(l["atom_names"])[1] = "{2}\x1b" }), "epochs[0].layers[0]"},
		{"state layer", edited(t, m, "state", func(v any) any {
			obj(arr(obj(obj(v)["net"])["layers"])[0])["name"] = "read\u202eout"
			return v
		}), "state"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkRejected(t, tc.data, tc.want) })
	}
}

// TestStateValues: the training state's values are checked on load, not
// after a whole resumed training (item 12: NaN atoms sums passed).
func TestStateValues(t *testing.T) {
	m := goodFile(t)
	state := func(f func(s map[string]any)) []byte {
		return edited(t, m, "state", func(v any) any { f(obj(v)); return v })
	}
	win := func(f func(w map[string]any)) []byte {
		return state(func(s map[string]any) { f(obj(arr(s["windows"])[0])) })
	}
	comp := func(f func(c map[string]any)) []byte {
		return state(func(s map[string]any) { f(obj(obj(arr(obj(s["net"])["layers"])[0])["f"])) })
	}
	n := func(s map[string]any, key string) int {
		raw, _ := base64.StdEncoding.DecodeString(s[key].(string))
		return len(raw) / 8
	}
	filled := func(k int, x float64) string {
		v := make([]float64, k)
		v[k/2] = x
		return params(v...)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"NaN atoms", win(func(w map[string]any) { w["atoms"] = filled(n(w, "atoms"), math.NaN()) }), "windows[0].atoms"},
		{"Inf theta", win(func(w map[string]any) { w["theta"] = filled(n(w, "theta"), math.Inf(1)) }), "windows[0].theta"},
		{"negative theta", win(func(w map[string]any) { w["theta"] = filled(n(w, "theta"), -1) }), "windows[0].theta"},
		{"NaN last neurons", win(func(w map[string]any) { w["last_neurons"] = filled(n(w, "last_neurons"), math.NaN()) }), "windows[0].last_neurons"},
		{"NaN last theta", win(func(w map[string]any) { w["last_theta"] = filled(n(w, "last_theta"), math.NaN()) }), "windows[0].last_theta"},
		{"negative count", win(func(w map[string]any) { w["n"] = -1 }), "windows[0].n"},
		{"NaN weights", comp(func(c map[string]any) { c["w"] = filled(n(c, "w"), math.NaN()) }), "w"},
		{"NaN adam", comp(func(c map[string]any) { c["opt_w"].(map[string]any)["v"] = filled(n(c, "w"), math.NaN()) }), "opt_w.v"},
		{"NaN γ", state(func(s map[string]any) {
			arr(obj(arr(obj(s["net"])["layers"])[0])["gamma"])[0] = "x"
		}), "state"},
		{"negative step", state(func(s map[string]any) { s["step"] = -1 }), "step"},
		{"NaN seconds", state(func(s map[string]any) { s["train_seconds"] = -5 }), "seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkRejected(t, tc.data, tc.want) })
	}
}

// TestSaveKeeps: saving over a run file keeps its mode and a symbolic link
// (item 14: --resume rewrote 0600 as 0644 and replaced links).
func TestSaveKeeps(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes and symlinks")
	}
	rec, _ := trained(t)
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	if err := Save(real, rec); err != nil {
		t.Fatal(err)
	}
	os.Chmod(real, 0o600)
	link := filepath.Join(dir, "link.json")
	os.Symlink("real.json", link)
	rec.Seed = 77
	if err := Save(link, rec); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}
	if got, err := Load(real); err != nil || got.Seed != 77 {
		t.Errorf("target: seed %d, %v", got.Seed, err)
	}
}

// TestCheckDest: a destination that cannot be written is found before any
// training (item 8).
func TestCheckDest(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, tc := range []struct{ path, want string }{
		{dir, "is a folder"},
		{filepath.Join(file, "run.json"), "not a folder"},
		{filepath.Join(file, "deeper", "run.json"), "not a folder"},
	} {
		if err := CheckDest(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckDest(%s) = %v, want %q", tc.path, err, tc.want)
		}
	}
	for _, ok := range []string{filepath.Join(dir, "new.json"), file, filepath.Join(dir, "a", "b", "c.json")} {
		if err := CheckDest(ok); err != nil {
			t.Errorf("CheckDest(%s): %v", ok, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("CheckDest left files or folders: %v", entries)
	}
	if os.Geteuid() != 0 && runtime.GOOS != "windows" {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o500)
		if err := CheckDest(filepath.Join(ro, "run.json")); err == nil {
			t.Error("read-only folder accepted")
		}
	}
}

package engines

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"infomorph-tui/presets"
	"infomorph-tui/tui"
)

func newTestBuilder(t *testing.T) (*Builder, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "presets")
	all := append(presets.Builtin(), presets.MemoryBuiltin()...)
	return NewBuilder(all, dir, nil), dir
}

func set(t *testing.T, f tui.Form, key, v string) tui.Form {
	t.Helper()
	for i := range f.Fields {
		if f.Fields[i].Key == key {
			f.Fields[i].Value = v
			return f
		}
	}
	t.Fatalf("the form has no field %q", key)
	return f
}

func get(f tui.Form, key string) (string, bool) {
	for _, fd := range f.Fields {
		if fd.Key == key {
			return fd.Value, true
		}
	}
	return "", false
}

// TestFormRoundTrip: every built-in layered preset comes back from its own
// form unchanged (but for its name), so an untouched form builds exactly the
// preset it shows.
func TestFormRoundTrip(t *testing.T) {
	for _, p := range presets.Builtin() {
		t.Run(p.Name, func(t *testing.T) {
			got, err := fromForm(p, formOf(p.Name, p))
			if err != nil {
				t.Fatal(err)
			}
			want := p
			want.Source = ""
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round trip changed the preset:\n got %+v\nwant %+v", got, want)
			}
			if err := got.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestFormFields(t *testing.T) {
	b, _ := newTestBuilder(t)
	f, err := b.Form("mnist-trivariate-2000-sparse")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"name": "mnist-trivariate-2000-sparse-custom", "layers": "1", "dataset": "mnist",
		"layers[0].units": "2000", "layers[0].partners": "100", "layers[0].activation.c1": "0.1",
		"layers[0].bins": "20", "layers[0].lr": "0.002", "layers[1].activation.k1": "1",
		"layers[1].binning": "adaptive", "layers[0].precision": "float32", "layers[0].firing": "sample",
	} {
		if got, ok := get(f, key); got != want {
			t.Errorf("%s = %q (present %v), want %q", key, got, ok, want)
		}
	}
	if _, ok := get(f, "layers[1].units"); ok {
		t.Error("the readout's width is the data's, not a field")
	}
	if _, ok := get(f, "layers[1].partners"); ok {
		t.Error("a layer without a lateral source has no partners field")
	}
	if _, ok := get(f, "layers[1].precision"); ok {
		t.Error("the readout has a precision field")
	}
	if _, ok := get(f, "layers[1].firing"); ok {
		t.Error("the readout has a firing field (its θ is its output)")
	}
	f = set(t, f, "layers[0].precision", "float64")
	info, err := b.Use(f)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := b.Find(info.Name); err != nil || p.Layers[0].Float32 {
		t.Fatalf("precision float64: %+v, %v", p, err)
	}
	if _, err := b.Use(set(t, f, "layers[0].precision", "float16")); err == nil || !strings.HasPrefix(err.Error(), "layers[0].precision:") {
		t.Errorf("precision float16: %v", err)
	}
	f = set(t, f, "layers[0].precision", "float64")
	info, err = b.Use(set(t, f, "layers[0].firing", "sample01"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := b.Find(info.Name); err != nil || p.Layers[0].Firing != "sample01" {
		t.Fatalf("firing sample01: %+v, %v", p, err)
	}
	if _, err := b.Use(set(t, f, "layers[0].firing", "spiking")); err == nil || !strings.HasPrefix(err.Error(), "layers[0].firing:") {
		t.Errorf("firing spiking: %v", err)
	}
	if _, err := b.Use(set(t, f, "layers[0].firing", "heaviside")); err == nil || !strings.Contains(err.Error(), "lr 0") {
		t.Errorf("heaviside firing with lr 0.002: %v", err)
	}
	if _, err := b.Form("memory-mi"); err == nil || !strings.Contains(err.Error(), "memory preset") {
		t.Fatalf("memory preset: %v", err)
	}
	if _, err := b.Form("nope"); err == nil {
		t.Fatal("an unknown preset gave a form")
	}
}

// TestBuilderUse: the acceptance edit (hidden units 50) builds a preset the
// factory then finds; a second Use of the same name replaces it.
func TestBuilderUse(t *testing.T) {
	b, _ := newTestBuilder(t)
	f, _ := b.Form("mnist-context")
	f = set(t, f, "layers[0].units", "50")
	info, err := b.Use(f)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "mnist-context-custom" || !info.Available {
		t.Fatalf("info %+v", info)
	}
	p, err := b.Find("mnist-context-custom")
	if err != nil || p.Layers[0].Units != 50 || p.Source != "builder" {
		t.Fatalf("found %+v, %v", p, err)
	}
	if q, _ := b.Find("mnist-context"); q.Layers[0].Units != 100 {
		t.Fatal("building changed the base preset")
	}
	f = set(t, f, "layers[0].units", "60")
	if _, err := b.Use(f); err != nil {
		t.Fatal(err)
	}
	if p, _ := b.Find("mnist-context-custom"); p.Layers[0].Units != 60 {
		t.Fatalf("second Use: units %d", p.Layers[0].Units)
	}
	n := 0
	for _, q := range b.all {
		if q.Name == "mnist-context-custom" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d presets of the name", n)
	}
	// the availability of a built preset is the data's
	b.avail = func(presets.Preset) error { return errors.New("no MNIST here") }
	if info, _ := b.Use(f); info.Available || info.Reason != "no MNIST here" {
		t.Fatalf("info %+v", info)
	}
}

// TestBuilderErrorsNameFields: bad values are refused with the preset
// files' field-named errors.
func TestBuilderErrorsNameFields(t *testing.T) {
	b, _ := newTestBuilder(t)
	for _, tc := range []struct{ key, value, want string }{
		{"layers[0].units", "abc", `layers[0].units: "abc" is not a whole number`},
		{"layers[0].units", "0", "layers[0].units: 0 is out of range 1..10000"},
		{"layers[0].lr", "x", `layers[0].lr: "x" is not a number`},
		{"layers[0].lr", "-1", "layers[0].lr: -1 must be in [0, 10)"},
		{"layers[0].bins", "1", "layers[0].bins: 1 must be in 2..64"},
		{"layers[0].binning", "wide", `layers[0].binning: unknown binning "wide"`},
		{"layers[1].activation.k1", "?", `layers[1].activation.k1: "?" is not a number`},
		{"layers", "9", "layers: 9 hidden layers, want 0..8"},
		{"name", "a b", "name: must be a printable word"},
		{"name", "mnist-trivariate", `name: "mnist-trivariate" is a built-in preset`},
		{"dataset", "imagenet", `dataset: unknown dataset "imagenet"`},
	} {
		f, _ := b.Form("mnist-context")
		_, err := b.Use(set(t, f, tc.key, tc.value))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s = %q: error %v, want %q…", tc.key, tc.value, err, tc.want)
		}
	}
	f, _ := b.Form("mnist-lateral")
	if _, err := b.Use(set(t, f, "layers[0].partners", "100")); err == nil || !strings.HasPrefix(err.Error(), "layers[0].partners:") {
		t.Errorf("partners 100 of 100 units: %v", err)
	}
}

// TestReshape: adding a layer stacks a copy of the last hidden layer that
// reads the one below (the authors' multilayer wiring); removing every
// hidden layer leaves a readout on the image.
func TestReshape(t *testing.T) {
	b, _ := newTestBuilder(t)
	f, _ := b.Form("mnist-trivariate-feedback")
	f = set(t, f, "layers[0].units", "40")
	f = set(t, f, "layers", "3")
	g, err := b.Reshape(f)
	if err != nil {
		t.Fatal(err)
	}
	p, err := fromForm(presets.Preset{}, g)
	if err == nil {
		t.Fatal("fromForm without its base worked")
	}
	base, _ := b.Find("mnist-trivariate-feedback")
	p, err = fromForm(base, g)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range p.Layers {
		names = append(names, l.Name+":"+l.F+","+l.C)
	}
	want := "hidden:image,feedback hidden2:below,label hidden3:below,label readout:below,label"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("layers %s, want %s", got, want)
	}
	if p.Layers[2].Units != 40 || p.Layers[2].Partners != p.Layers[0].Partners {
		t.Fatalf("the copies do not carry the edited layer: %+v", p.Layers[2])
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	// down to none: the readout reads the image
	f = set(t, g, "layers", "0")
	if _, err := b.Use(f); err != nil {
		t.Fatal(err)
	}
	q, _ := b.Find("mnist-trivariate-feedback-custom")
	if len(q.Layers) != 1 || q.Layers[0].F != "image" {
		t.Fatalf("no hidden layers: %+v", q.Layers)
	}
	// and from none up: mnist-readout gets mnist-context's hidden layer
	f, _ = b.Form("mnist-readout")
	if _, err := b.Use(set(t, f, "layers", "1")); err != nil {
		t.Fatal(err)
	}
	r, _ := b.Find("mnist-readout-custom")
	if len(r.Layers) != 2 || r.Layers[0].F != "image" || r.Layers[1].F != "below" {
		t.Fatalf("one hidden layer under mnist-readout: %+v", r.Layers)
	}
}

// TestBuilderSave: the preset file is written where the lab reads user
// presets and loads back as the same preset.
func TestBuilderSave(t *testing.T) {
	b, dir := newTestBuilder(t)
	f, _ := b.Form("mnist-trivariate-2layer")
	f = set(t, f, "layers[1].units", "50")
	f = set(t, f, "layers[0].bins", "16")
	path, err := b.Save(f)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "mnist-trivariate-2layer-custom.json") {
		t.Fatalf("saved to %s", path)
	}
	user, errs := presets.LoadUser(dir)
	if len(errs) > 0 || len(user) != 1 {
		t.Fatalf("loaded %d presets, errors %v", len(user), errs)
	}
	got := user[0]
	if got.Layers[1].Units != 50 || got.Layers[0].Bins != 16 || got.Layers[1].Bins != 0 || got.Source != path {
		t.Fatalf("loaded %+v", got)
	}
	if p, _ := b.Find(got.Name); p.Source != path {
		t.Fatalf("the built preset's source is %q", p.Source)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), `"bins": 20`) {
		t.Fatal("the default bin count was written out")
	}
	// saving again replaces the file
	if _, err := b.Save(set(t, f, "layers[1].units", "70")); err != nil {
		t.Fatal(err)
	}
	if user, _ := presets.LoadUser(dir); user[0].Layers[1].Units != 70 {
		t.Fatal("the second save did not replace the file")
	}
	// nothing is written for a refused network, nor without a folder
	if _, err := b.Save(set(t, f, "name", "mnist-context")); err == nil {
		t.Fatal("saved under a built-in's name")
	}
	if _, err := os.Stat(filepath.Join(dir, "mnist-context.json")); err == nil {
		t.Fatal("a refused save wrote a file")
	}
	b.dir = ""
	if _, err := b.Save(f); err == nil {
		t.Fatal("saved without a folder")
	}
}

// TestBuilderDataset: the dataset field names the data (as a preset's
// "dataset"), and the readout follows its classes.
func TestBuilderDataset(t *testing.T) {
	b, _ := newTestBuilder(t)
	f, _ := b.Form("mnist-context")
	if _, err := b.Use(set(t, f, "dataset", "xor")); err != nil {
		t.Fatal(err)
	}
	p, _ := b.Find("mnist-context-custom")
	spec, err := p.NetSpec()
	if err != nil {
		t.Fatal(err)
	}
	if p.Dataset != "xor" || spec.InputDim != 2 || spec.Classes != 2 || spec.Layers[1].Units != 2 {
		t.Fatalf("dataset %q: %d inputs, %d classes, readout %d", p.Dataset, spec.InputDim, spec.Classes, spec.Layers[1].Units)
	}
	// an untouched "mnist" stays absent, as in the built-in file
	f, _ = b.Form("mnist-context")
	if _, err := b.Use(f); err != nil {
		t.Fatal(err)
	}
	if p, _ := b.Find("mnist-context-custom"); p.Dataset != "" || p.Layers[1].Units != 10 {
		t.Fatalf("dataset %q, readout %d", p.Dataset, p.Layers[1].Units)
	}
}

// TestReshapeReadsOnly: laying the form out needs readable values, not a
// valid network (Use says what is wrong); the readout follows the dataset.
func TestReshapeReadsOnly(t *testing.T) {
	b, _ := newTestBuilder(t)
	f, _ := b.Form("mnist-context")
	f = set(t, f, "layers[0].units", "0")
	f = set(t, f, "dataset", "xor")
	g, err := b.Reshape(set(t, f, "layers", "2"))
	if err != nil {
		t.Fatalf("an invalid but readable form: %v", err)
	}
	if v, _ := get(g, "layers[1].units"); v != "0" {
		t.Fatalf("the added layer has %q units", v)
	}
	if g.Fields[len(g.Fields)-1].Group != "readout · below, label · 2 units" {
		t.Fatalf("readout heading %q", g.Fields[len(g.Fields)-1].Group)
	}
	if _, err := b.Use(g); err == nil || !strings.HasPrefix(err.Error(), "layers[0].units: 0 is out of range") {
		t.Fatalf("Use: %v", err)
	}
	if _, err := b.Reshape(set(t, g, "layers[0].units", "abc")); err == nil || !strings.HasPrefix(err.Error(), "layers[0].units:") {
		t.Fatalf("unreadable units: %v", err)
	}
}

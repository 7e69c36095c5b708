package engines

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// MaxHiddenLayers bounds the builder's "layers" field: deeper stacks are
// possible in a preset file, but a form of more than this is no longer a
// form one edits by hand.
const MaxHiddenLayers = 8

// formOf lays a preset out as the builder's fields: name, description,
// dataset and the number of hidden layers, then per layer (the readout
// last, its width fixed by the data) the values one tunes: units, lateral
// partners, the activation's constants, binning, bins, precision and
// firing (hidden layers), learning rate and weight decay. Sources and γ
// stay as the preset has them (γ is edited in the lab's goal pane, and a
// change of sources would change γ's atoms).
func formOf(base string, p presets.Preset) tui.Form {
	f := tui.Form{Base: base}
	add := func(group, key, label, value, help string) {
		f.Fields = append(f.Fields, tui.FormField{Group: group, Key: key, Label: label, Value: value, Help: help})
	}
	add("network", "name", "name", p.Name, "the new preset's name (ctrl+s saves it as NAME.json in the user presets)")
	add("network", "description", "description", p.Description, "one line shown in the preset list")
	add("network", "dataset", "dataset", p.DatasetName(), "the data: "+strings.Join(tasks.SourceNames, ", "))
	add("network", "layers", "hidden layers", strconv.Itoa(len(p.Layers)-1),
		fmt.Sprintf("0..%d; added layers copy the last hidden layer and read the one below", MaxHiddenLayers))
	last := len(p.Layers) - 1
	for i, l := range p.Layers {
		key := func(s string) string { return fmt.Sprintf("layers[%d].%s", i, s) }
		group := l.Name + " · " + sourcesText(l)
		if i == last {
			group = l.Name + " · " + sourcesText(l) + " · " + strconv.Itoa(l.Units) + " units"
		} else {
			add(group, key("units"), "units", strconv.Itoa(l.Units), "neurons in this layer")
		}
		if l.C == "lateral" || l.L == "lateral" {
			add(group, key("partners"), "partners", strconv.Itoa(l.Partners), "random lateral partners per neuron (0: all others)")
		}
		for _, c := range actConsts(l.Activation.Kind) {
			add(group, key("activation."+c.name), c.name, num(*c.get(&l.Activation)), l.Activation.Kind+" activation constant "+c.name)
		}
		add(group, key("binning"), "binning", l.Binning, "fixed (20 bins on [−20, 20]) or adaptive (per neuron, on [−max, max])")
		add(group, key("bins"), "bins", strconv.Itoa(binsOf(l)), fmt.Sprintf("bins per compartment axis, 2..%d", presets.MaxBins))
		if i != last {
			add(group, key("precision"), "precision", precisionOf(l), "float64, or float32: products and activation in float32, a faster step")
			add(group, key("firing"), "firing", firingOf(l), "sample (±1 samples), sample01 (0/1 samples) or heaviside (deterministic 0/1, only with lr 0)")
		}
		add(group, key("lr"), "lr", num(l.LR), "learning rate (0: a fixed layer)")
		add(group, key("wd"), "wd", num(l.WD), "weight decay")
	}
	return f
}

func sourcesText(l presets.Layer) string {
	s := l.F + ", " + l.C
	if l.L != "" && l.L != "none" {
		s += ", " + l.L
	}
	return s
}

func precisionOf(l presets.Layer) string {
	if l.Float32 {
		return "float32"
	}
	return "float64"
}

// firingOf is the layer's firing as the form shows it (absent: sample).
func firingOf(l presets.Layer) string {
	if l.Firing == "" {
		return "sample"
	}
	return l.Firing
}

func binsOf(l presets.Layer) int {
	if l.Bins != 0 {
		return l.Bins
	}
	return 20
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

type actConst struct {
	name string
	get  func(*presets.Activation) *float64
}

// actConsts are the constants an activation kind reads.
func actConsts(kind string) []actConst {
	k1 := actConst{"k1", func(a *presets.Activation) *float64 { return &a.K1 }}
	k2 := actConst{"k2", func(a *presets.Activation) *float64 { return &a.K2 }}
	switch kind {
	case "graetz", "kay-phillips":
		return []actConst{k1, k2}
	case "three-source":
		return []actConst{{"c1", func(a *presets.Activation) *float64 { return &a.C1 }}, {"c2", func(a *presets.Activation) *float64 { return &a.C2 }}}
	case "sum":
		return []actConst{{"beta", func(a *presets.Activation) *float64 { return &a.Beta }}}
	}
	return nil
}

var layerKey = regexp.MustCompile(`^layers\[(\d+)\]\.(.+)$`)

// fromForm applies a form's values to its base preset. The form's fields
// describe the base reshaped to as many hidden layers as the fields have
// (the readout is the highest layer index); its "layers" value then
// reshapes that. A value that is not a number where one is needed is an
// error naming the field, as the preset's own validation names them.
func fromForm(base presets.Preset, f tui.Form) (presets.Preset, error) {
	top := -1
	for _, fd := range f.Fields {
		if m := layerKey.FindStringSubmatch(fd.Key); m != nil {
			i, _ := strconv.Atoi(m[1])
			top = max(top, i)
		}
	}
	if top < 0 {
		top = len(base.Layers) - 1
	}
	p := reshape(base, top)
	p.Source = "" // the caller says where it comes from
	want := len(p.Layers) - 1
	for _, fd := range f.Fields {
		v := strings.TrimSpace(fd.Value)
		var err error
		switch fd.Key {
		case "name":
			p.Name = v
		case "description":
			p.Description = v
		case "dataset":
			if v != base.DatasetName() {
				p.Dataset = v
			}
		case "layers":
			want, err = atoi(fd.Key, v)
			if err == nil && (want < 0 || want > MaxHiddenLayers) {
				err = fmt.Errorf("layers: %d hidden layers, want 0..%d", want, MaxHiddenLayers)
			}
		default:
			err = setLayerField(&p, fd.Key, v)
		}
		if err != nil {
			return p, err
		}
	}
	p = reshape(p, want)
	if err := tasks.CheckSourceName(p.Dataset); err == nil && len(p.Layers) > 0 {
		_, classes := tasks.SourceShape(p.Dataset)
		p.Layers[len(p.Layers)-1].Units = classes // the readout: one unit per class of the data
	}
	return p, nil
}

// setLayerField sets one "layers[i].x" value.
func setLayerField(p *presets.Preset, key, v string) error {
	m := layerKey.FindStringSubmatch(key)
	if m == nil {
		return fmt.Errorf("%s: not a field of a preset", key)
	}
	i, _ := strconv.Atoi(m[1])
	if i >= len(p.Layers) {
		return fmt.Errorf("%s: the network has %d layers", key, len(p.Layers))
	}
	l := &p.Layers[i]
	var err error
	switch name := m[2]; name {
	case "units":
		l.Units, err = atoi(key, v)
	case "partners":
		l.Partners, err = atoi(key, v)
	case "bins":
		l.Bins, err = atoi(key, v)
		if err == nil && l.Bins == 20 && l.Bins != 0 {
			l.Bins = 0 // the default stays absent: the file reads as the paper's
		}
	case "binning":
		l.Binning = v
	case "firing":
		if v != "sample" || l.Firing != "" { // absent stays absent: the file reads as before
			l.Firing = v
		}
	case "precision":
		switch v {
		case "float64":
			l.Float32 = false
		case "float32":
			l.Float32 = true
		default:
			return fmt.Errorf("%s: %q is not float64 or float32", key, v)
		}
	case "lr":
		l.LR, err = atof(key, v)
	case "wd":
		l.WD, err = atof(key, v)
	default:
		c, ok := strings.CutPrefix(name, "activation.")
		if !ok {
			return fmt.Errorf("%s: not a field of a preset", key)
		}
		for _, k := range actConsts(l.Activation.Kind) {
			if k.name == c {
				*k.get(&l.Activation), err = atof(key, v)
				return err
			}
		}
		return fmt.Errorf("%s: the %s activation has no constant %s", key, l.Activation.Kind, c)
	}
	return err
}

func atoi(key, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a whole number", key, v)
	}
	return n, nil
}

func atof(key, v string) (float64, error) {
	x, err := strconv.ParseFloat(strings.ReplaceAll(v, "−", "-"), 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number", key, v)
	}
	return x, nil
}

// templateHidden is the hidden layer a network without one gets when the
// builder adds one: mnist-context's (bivariate, image and label).
func templateHidden() presets.Layer {
	for _, p := range presets.Builtin() {
		if p.Name == presets.Default && len(p.Layers) > 1 {
			return p.Layers[0]
		}
	}
	return presets.Layer{Name: "hidden", Units: 100, F: "image", C: "label",
		Activation: presets.Activation{Kind: "graetz", K1: 0.9, K2: 2}, Binning: "fixed",
		Gamma: []float64{0.1, 0.1, 1, 0.1, 0}, LR: 2e-3, WD: 3.5e-4}
}

// reshape gives p hidden hidden layers under its readout (the last layer).
// Removed layers go from the top; an added layer copies the last hidden
// layer (or templateHidden) as the authors' multilayer model stacks its
// second trivariate layer: it reads the layer below as its receptive input
// and keeps the copied context (the label) and lateral input; a copied
// feedback context becomes the label, since only the first layer reads
// feedback. The readout reads the image when no hidden layer is left, else
// the layer below.
func reshape(p presets.Preset, hidden int) presets.Preset {
	if len(p.Layers) == 0 || hidden < 0 {
		return p
	}
	ro := p.Layers[len(p.Layers)-1]
	hid := append([]presets.Layer(nil), p.Layers[:len(p.Layers)-1]...)
	if hidden < len(hid) {
		hid = hid[:hidden]
	}
	for len(hid) < hidden {
		var l presets.Layer
		if len(hid) == 0 {
			l = templateHidden()
		} else {
			l = hid[len(hid)-1]
			l.F = "below"
			if l.C == "feedback" {
				l.C = "label"
			}
		}
		l.Gamma = append([]float64(nil), l.Gamma...)
		l.Name = freeName(append(hid, ro), len(hid)+1)
		hid = append(hid, l)
	}
	switch {
	case len(hid) == 0:
		ro.F = "image"
	case ro.F == "image":
		ro.F = "below"
	}
	p.Layers = append(hid, ro)
	return p
}

// freeName is "hidden" for the first layer, else "hiddenK", K from k up,
// the first not used by another layer.
func freeName(layers []presets.Layer, k int) string {
	used := map[string]bool{}
	for _, l := range layers {
		used[l.Name] = true
	}
	name := "hidden"
	for k > 1 || used[name] {
		name = "hidden" + strconv.Itoa(k)
		if !used[name] {
			break
		}
		k++
	}
	return name
}

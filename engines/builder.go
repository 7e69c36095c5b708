package engines

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"infomorph-tui/internal/atomicfile"
	"infomorph-tui/presets"
	"infomorph-tui/tui"
)

// Builder is the lab's network builder (tui.Builder) over a preset list it
// shares with the lab's factory: it turns a preset into a form whose fields
// are named as the preset file's ("layers[0].units"), and a form back into a
// preset validated exactly as a preset file is, so the lab shows the same
// field-named errors. Presets it builds join the list (the factory then
// builds them by name); Save also writes them to the user preset folder.
// Its methods may be called from any goroutine.
type Builder struct {
	mu    sync.Mutex
	all   []presets.Preset
	dir   string                     // user presets; "" when there is no home folder
	avail func(presets.Preset) error // why a preset's data cannot be loaded (nil: it can)
}

var _ tui.Builder = (*Builder)(nil)

// NewBuilder builds over the preset list all (copied), saving into dir
// (presets.UserDir()); avail (Data.AvailableFor) says whether a built
// preset's data can be loaded, as the preset list shows it.
func NewBuilder(all []presets.Preset, dir string, avail func(presets.Preset) error) *Builder {
	return &Builder{all: append([]presets.Preset(nil), all...), dir: dir, avail: avail}
}

// Find is presets.Find over the builder's list (built presets included).
func (b *Builder) Find(name string) (presets.Preset, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return presets.Find(b.all, name)
}

// Form is the named preset as a form; memory presets have no layers to edit.
func (b *Builder) Form(name string) (tui.Form, error) {
	p, err := b.Find(name)
	if err != nil {
		return tui.Form{}, err
	}
	if p.IsMemory() {
		return tui.Form{}, fmt.Errorf("%s is a memory preset: the builder edits layered networks", name)
	}
	out := p
	if p.Source == "builtin" || p.Source == "" {
		out.Name = p.Name + "-custom"
		if len(out.Name) > presets.MaxNameLen {
			out.Name = p.Name
		}
	}
	return formOf(name, out), nil
}

// Reshape applies the form's values and lays its fields out again, with as
// many hidden layers as its "layers" field asks (and the readout as wide as
// the dataset's classes). It fails only on a value it cannot read: whether
// the network is valid is for Use and Save to say.
func (b *Builder) Reshape(f tui.Form) (tui.Form, error) {
	base, err := b.Find(f.Base)
	if err != nil {
		return f, err
	}
	p, err := fromForm(base, f)
	if err != nil {
		return f, err
	}
	return formOf(f.Base, p), nil
}

// Use validates the form's preset and adds it to the list (replacing a
// preset of the same name that is not built in), so that the factory can
// build it.
func (b *Builder) Use(f tui.Form) (tui.PresetInfo, error) {
	p, err := b.preset(f)
	if err != nil {
		return tui.PresetInfo{}, err
	}
	p.Source = "builder"
	return b.add(p)
}

// Save is Use, then writes the preset to the user preset folder as
// NAME.json (atomically; an existing file of that name is replaced) and
// returns its path.
func (b *Builder) Save(f tui.Form) (string, error) {
	p, err := b.preset(f)
	if err != nil {
		return "", err
	}
	if b.dir == "" {
		return "", errors.New("no folder for user presets (no home folder)")
	}
	if err := b.taken(p.Name); err != nil {
		return "", err
	}
	path := filepath.Join(b.dir, p.Name+".json")
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return "", err
	}
	data = append(data, '\n')
	if _, err := presets.Parse(data, path); err != nil { // what LoadUser will read back
		return "", err
	}
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return "", err
	}
	if err := atomicfile.Replace(path, data, 0o644); err != nil {
		return "", err
	}
	p.Source = path
	_, err = b.add(p)
	return path, err
}

// preset converts a form into a validated preset.
func (b *Builder) preset(f tui.Form) (presets.Preset, error) {
	base, err := b.Find(f.Base)
	if err != nil {
		return presets.Preset{}, err
	}
	p, err := fromForm(base, f)
	if err != nil {
		return p, err
	}
	return p, p.Validate()
}

// taken refuses the name of a built-in preset.
func (b *Builder) taken(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if q, err := presets.Find(b.all, name); err == nil && q.Source == "builtin" {
		return fmt.Errorf("name: %q is a built-in preset; give the network another name", name)
	}
	return nil
}

func (b *Builder) add(p presets.Preset) (tui.PresetInfo, error) {
	if err := b.taken(p.Name); err != nil {
		return tui.PresetInfo{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	replaced := false
	for i, q := range b.all {
		if q.Name == p.Name {
			b.all[i], replaced = p, true
		}
	}
	if !replaced {
		b.all = append(b.all, p)
	}
	info := tui.PresetInfo{Name: p.Name, Description: p.Description, Available: true}
	if b.avail != nil {
		if err := b.avail(p); err != nil {
			info.Available, info.Reason = false, err.Error()
		}
	}
	return info, nil
}

// Factory builds the lab's engines from the builder's list.
func (b *Builder) Factory(data *Data) tui.Factory {
	return func(name string, seed uint64) (tui.Engine, error) {
		p, err := b.Find(name)
		if err != nil {
			return nil, err
		}
		return For(p, seed, data)
	}
}

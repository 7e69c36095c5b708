package engines

import (
	"sync"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
)

// Data is the data of a lab, per data source (a preset's dataset, see
// tasks.SourceNames): each is loaded once on first use (by the first engine
// that needs it, off the UI goroutine) and then shared read-only by every
// engine, including the served labs of all users.
type Data struct {
	dir   string
	mu    sync.Mutex
	slots map[string]*dataSlot
}

type dataSlot struct {
	once sync.Once
	data *tasks.Dataset
	err  error
}

// NewData is the data found from dir (--data; "" searches as
// tasks.FindMNISTDir does). Nothing is read until Load.
func NewData(dir string) *Data { return &Data{dir: dir} }

// Dir is the --data folder the data is looked for in ("" for the default search).
func (d *Data) Dir() string { return d.dir }

// Available says why the default data (the --data folder's, else MNIST)
// cannot be found (nil when it can), without reading it.
func (d *Data) Available() error { return tasks.CheckSource("", d.dir) }

// AvailableFor is Available for a preset's data source; memory presets need none.
func (d *Data) AvailableFor(p presets.Preset) error {
	if p.IsMemory() {
		return nil
	}
	return tasks.CheckSource(p.Dataset, d.dir)
}

// Load reads the default data on the first call and returns the same result on every call.
func (d *Data) Load() (*tasks.Dataset, error) { return d.load("") }

// LoadFor is Load for a preset's data source.
func (d *Data) LoadFor(p presets.Preset) (*tasks.Dataset, error) { return d.load(p.Dataset) }

func (d *Data) load(source string) (*tasks.Dataset, error) {
	if source == "mnist" {
		source = ""
	}
	d.mu.Lock()
	if d.slots == nil {
		d.slots = map[string]*dataSlot{}
	}
	s := d.slots[source]
	if s == nil {
		s = &dataSlot{}
		d.slots[source] = s
	}
	d.mu.Unlock()
	s.once.Do(func() { s.data, s.err = tasks.LoadSource(source, d.dir) })
	return s.data, s.err
}

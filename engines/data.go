package engines

import (
	"sync"

	"infomorph-tui/tasks"
)

// Data is the MNIST data set of a lab, loaded once on first use (by the
// first engine that needs it, off the UI goroutine) and then shared read-only
// by every engine, including the served labs of all users.
type Data struct {
	dir  string
	once sync.Once
	data *tasks.Dataset
	err  error
}

// NewData is the data found from dir (--data; "" searches as
// tasks.FindMNISTDir does). Nothing is read until Load.
func NewData(dir string) *Data { return &Data{dir: dir} }

// Dir is the --data folder the data is looked for in ("" for the default search).
func (d *Data) Dir() string { return d.dir }

// Available says why the data cannot be found (nil when it can), without reading it.
func (d *Data) Available() error {
	_, err := tasks.FindMNISTDir(d.dir)
	return err
}

// Load reads the data on the first call and returns the same result on every call.
func (d *Data) Load() (*tasks.Dataset, error) {
	d.once.Do(func() { d.data, d.err = tasks.LoadDataset(d.dir) })
	return d.data, d.err
}

package main

import (
	"flag"
	"fmt"
	"io"
	"sync"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// cmdLab opens the terminal lab.
func cmdLab(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("infomorph-tui", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	preset := fs.String("preset", presets.Default, "preset to open")
	seed := fs.Uint64("seed", 1, "random seed")
	dataDir := fs.String("data", "", "folder with the MNIST idx files")
	color := fs.String("color", "auto", "colour: auto, always or never")
	mouse := fs.Bool("mouse", false, "enable mouse support")
	demo := fs.Bool("demo", false, "reproducible recordings: one batch per 100 ms, every batch shown, no wall-clock figures")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "infomorph-tui: %v (try \"infomorph-tui help\")\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "infomorph-tui: unknown command %q (try \"infomorph-tui help\")\n", fs.Arg(0))
		return exitUsage
	}
	switch *color {
	case "auto", "always", "never":
	default:
		fmt.Fprintf(stderr, "infomorph-tui: --color must be auto, always or never\n")
		return exitUsage
	}
	all, errs := presets.Everything()
	for _, err := range errs {
		fmt.Fprintf(stderr, "infomorph-tui: skipped %v\n", err)
	}
	if _, err := presets.Find(all, *preset); err != nil {
		fmt.Fprintf(stderr, "infomorph-tui: %v\n", err)
		return exitUsage
	}
	src := &labData{dir: *dataDir}
	infos := make([]tui.PresetInfo, len(all))
	_, dataErr := tasks.FindMNISTDir(*dataDir)
	for i, p := range all {
		infos[i] = tui.PresetInfo{Name: p.Name, Description: p.Description, Available: dataErr == nil || p.IsMemory()}
		if !infos[i].Available {
			infos[i].Reason = dataErr.Error()
		}
	}
	factory := func(name string, seed uint64) (tui.Engine, error) {
		p, err := presets.Find(all, name)
		if err != nil {
			return nil, err
		}
		if p.IsMemory() {
			return newMemoryEngine(p, seed)
		}
		data, err := src.load()
		if err != nil {
			return nil, err
		}
		run, err := newRun(p, seed, data)
		if err != nil {
			return nil, err
		}
		return labEngine{run}, nil
	}
	err := tui.Run(tui.Options{Presets: infos, Factory: factory, Preset: *preset, Seed: *seed,
		Color: *color, Mouse: *mouse, RunsDir: "runs", Demo: *demo})
	if err != nil {
		fmt.Fprintf(stderr, "infomorph-tui: %v\n", err)
		return 1
	}
	return 0
}

// labData loads MNIST once, on first use, off the UI goroutine.
type labData struct {
	dir  string
	once sync.Once
	data *tasks.Dataset
	err  error
}

func (d *labData) load() (*tasks.Dataset, error) {
	d.once.Do(func() { d.data, d.err = loadDataset(d.dir) })
	return d.data, d.err
}

// labEngine adapts *tasks.Run to the lab's Engine interface.
type labEngine struct{ *tasks.Run }

func (e labEngine) Layers() []tui.LayerInfo {
	out := make([]tui.LayerInfo, e.Run.Layers())
	for i := range out {
		name, atoms := e.LayerName(i)
		out[i] = tui.LayerInfo{Name: name, AtomNames: atoms, Units: e.Units(i)}
	}
	return out
}

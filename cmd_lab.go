package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"

	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
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
	open := fs.String("open", "", "a saved run file (w, run --out) to look at and continue training")
	sweepDir := fs.String("sweep", "", "a sweep folder to show as a heatmap of final test accuracy")
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
	if *sweepDir != "" {
		if *open != "" {
			fmt.Fprintf(stderr, "infomorph-tui: --sweep and --open do not go together\n")
			return exitUsage
		}
		res, err := sweep.Load(*sweepDir)
		if err == nil {
			var h tui.Heatmap
			if h, err = sweepHeatmap(res); err == nil {
				err = tui.RunHeatmap(h, *color)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "infomorph-tui: %v\n", err)
			return 1
		}
		return 0
	}
	all, errs := presets.Everything()
	for _, err := range errs {
		fmt.Fprintf(stderr, "infomorph-tui: skipped %v\n", err)
	}
	var opened *openedRun
	if *open != "" {
		if flagGiven(fs, "preset") || flagGiven(fs, "seed") {
			fmt.Fprintf(stderr, "infomorph-tui: --open takes the preset and seed from the run file; drop --preset and --seed\n")
			return exitUsage
		}
		rec, err := runfile.Load(*open)
		if err != nil {
			fmt.Fprintf(stderr, "infomorph-tui: %v\n", err)
			return 1
		}
		if _, err := rec.PresetDef(); err != nil {
			fmt.Fprintf(stderr, "infomorph-tui: %s: %v\n", *open, err)
			return 1
		}
		opened = &openedRun{rec: rec}
		*preset, *seed = rec.Preset, rec.Seed
	} else if _, err := presets.Find(all, *preset); err != nil {
		fmt.Fprintf(stderr, "infomorph-tui: %v\n", err)
		return exitUsage
	}
	src := &labData{dir: *dataDir}
	_, dataErr := tasks.FindMNISTDir(*dataDir)
	infos := presetInfos(all, dataErr)
	if opened != nil {
		if _, err := presets.Find(all, *preset); err != nil { // a preset that no longer exists: list the file's
			infos = append(infos, tui.PresetInfo{Name: *preset, Description: "from " + *open, Available: dataErr == nil})
			if dataErr != nil {
				infos[len(infos)-1].Reason = dataErr.Error()
			}
		}
		if cannotContinue(opened.rec) != nil { // shown read-only: no data needed
			for i := range infos {
				if infos[i].Name == *preset {
					infos[i].Available, infos[i].Reason = true, ""
				}
			}
		}
	}
	factory := func(name string, seed uint64) (tui.Engine, error) {
		if rec, ok := opened.take(name); ok {
			return openEngine(rec, src)
		}
		p, err := presets.Find(all, name)
		if err != nil && opened != nil && name == opened.rec.Preset {
			p, err = opened.rec.PresetDef()
		}
		if err != nil {
			return nil, err
		}
		return engineFor(p, seed, src)
	}
	err := tui.Run(tui.Options{Presets: infos, Factory: factory, Preset: *preset, Seed: *seed,
		Color: *color, Mouse: *mouse, RunsDir: "runs", Demo: *demo, Opened: *open})
	if err != nil {
		fmt.Fprintf(stderr, "infomorph-tui: %v\n", err)
		return 1
	}
	return 0
}

// openedRun is the run file given with --open: the lab's first engine for its
// preset continues it; later loads of the preset start afresh.
type openedRun struct {
	mu   sync.Mutex
	rec  runfile.Record
	used bool
}

// take returns the record once, for the first engine of its preset.
func (o *openedRun) take(preset string) (runfile.Record, bool) {
	if o == nil {
		return runfile.Record{}, false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.used || preset != o.rec.Preset {
		return runfile.Record{}, false
	}
	o.used = true
	return o.rec, true
}

// cannotContinue says why a record cannot be continued (nil when it can).
func cannotContinue(rec runfile.Record) error {
	switch {
	case rec.Diverged != "":
		return fmt.Errorf("the run diverged (%s); it cannot be continued", rec.Diverged)
	case rec.State == nil:
		return errors.New("saved without its training state; it can be looked at, not continued")
	}
	return nil
}

// openEngine is --open's engine: the saved run continued, or shown
// read-only when it cannot be continued (that needs no data).
func openEngine(rec runfile.Record, src *labData) (tui.Engine, error) {
	if why := cannotContinue(rec); why != nil {
		return newRecordEngine(rec, why)
	}
	return resumeLabEngine(rec, src)
}

// resumeLabEngine rebuilds a saved run in its saved state, ready to continue.
func resumeLabEngine(rec runfile.Record, src *labData) (*labEngine, error) {
	p, err := rec.PresetDef()
	if err != nil {
		return nil, err
	}
	if p.IsMemory() {
		return nil, fmt.Errorf("%s is a memory preset: its runs are not saved in run files", p.Name)
	}
	data, err := src.load()
	if err != nil {
		return nil, err
	}
	run, p, err := rec.Resume(data)
	if err != nil {
		return nil, err
	}
	return &labEngine{Run: run, preset: p, rec: rec}, nil
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

// labEngine adapts *tasks.Run to the lab's Engine interface. It keeps the
// run's record (γ history and finished epochs) so that the lab's `w` writes
// the shared run file of `run --out`, which `--open` and `run --resume` can
// continue.
type labEngine struct {
	*tasks.Run
	preset presets.Preset
	rec    runfile.Record
}

var (
	_ tui.Engine       = (*labEngine)(nil)
	_ tui.RunSaver     = (*labEngine)(nil)
	_ tui.GammaHistory = (*labEngine)(nil)
)

// newLabEngine wraps a fresh run of preset p.
func newLabEngine(p presets.Preset, run *tasks.Run) *labEngine {
	return &labEngine{Run: run, preset: p, rec: runfile.New(codeVersion(), p, run)}
}

// SetGamma changes a layer's γ and logs it in the record.
func (e *labEngine) SetGamma(layer int, g []float64) error {
	if err := e.Run.SetGamma(layer, g); err != nil {
		return err
	}
	e.rec.NoteGamma(e.Run, layer)
	return nil
}

// Reset starts the run over; its record starts over with it.
func (e *labEngine) Reset() error {
	if err := e.Run.Reset(); err != nil {
		return err
	}
	e.rec = runfile.New(codeVersion(), e.preset, e.Run)
	return nil
}

// GammaHistory is the record's γ log (a resumed run's changes included), for
// the lab's chart markers.
func (e *labEngine) GammaHistory() []tui.GammaChange {
	index := map[string]int{}
	for i := 0; i < e.Run.Layers(); i++ {
		name, _ := e.LayerName(i)
		index[name] = i
	}
	var out []tui.GammaChange
	for _, c := range e.rec.Gamma {
		if l, ok := index[c.Layer]; ok {
			out = append(out, tui.GammaChange{Step: c.Step, Layer: l, Gamma: c.Gamma})
		}
	}
	return out
}

// SaveRun writes the run file (schema 2, with the training state unless the
// run diverged) atomically to path.
func (e *labEngine) SaveRun(path string) error {
	e.rec.Update(e.Run, true)
	return runfile.Save(path, e.rec)
}

func (e *labEngine) Layers() []tui.LayerInfo {
	out := make([]tui.LayerInfo, e.Run.Layers())
	for i := range out {
		name, atoms := e.LayerName(i)
		out[i] = tui.LayerInfo{Name: name, AtomNames: atoms, Units: e.Units(i)}
	}
	return out
}

package tui

import (
	"math"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// Bubble Tea v2 writes diff frames, so these tests never read the output
// bytes: they wait on observations of the model taken inside Update and
// assert on the final model.

type observation struct {
	status  loadStatus
	total   int
	epoch   int
	running bool
	gamma0  float64
	dialog  bool
}

func observe(m Model) observation {
	o := observation{status: m.run.status, running: m.run.running, dialog: m.dialog != nil}
	o.total, o.epoch = m.run.data.snap.TotalSteps, m.run.data.snap.Epoch
	if len(m.goal.gamma) > 0 {
		o.gamma0 = m.goal.gamma[0][0]
	}
	return o
}

// probed wraps the lab and publishes an observation after every Update.
type probed struct {
	Model
	obs chan observation
}

func (p probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := p.Model.Update(msg)
	p.Model = next.(Model)
	o := observe(p.Model)
	select { // keep only the latest
	case <-p.obs:
	default:
	}
	p.obs <- o
	return p, cmd
}

func waitObs(t *testing.T, obs <-chan observation, what string, cond func(observation) bool) observation {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case o := <-obs:
			if cond(o) {
				return o
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func startProgram(t *testing.T, opts Options, tune func(*fakeEngine)) (*teatest.TestModel, chan observation, *fakes) {
	t.Helper()
	fs := &fakes{tune: tune}
	opts.Factory, opts.Presets, opts.Seed, opts.Now = fs.factory, testPresets, 1, fixedNow
	if opts.RunsDir == "" {
		opts.RunsDir = t.TempDir()
	}
	obs := make(chan observation, 1)
	tm := teatest.NewTestModel(t, probed{New(opts), obs}, teatest.WithInitialTermSize(160, 48))
	waitObs(t, obs, "engine", func(o observation) bool { return o.status == statusReady })
	return tm, obs, fs
}

func TestProgramRunStepSliderQuit(t *testing.T) {
	tm, obs, fs := startProgram(t, Options{Preset: "mnist-context"}, func(f *fakeEngine) { f.delay = time.Millisecond })

	tm.Send(keyMsg("s"))
	waitObs(t, obs, "one step", func(o observation) bool { return o.total == 1 && !o.running })

	tm.Send(keyMsg("right"))
	tm.Send(keyMsg("right"))
	tm.Send(keyMsg("shift+right"))
	waitObs(t, obs, "γ 0.12", func(o observation) bool { return math.Abs(o.gamma0-0.12) < 1e-9 })

	tm.Send(keyMsg("space"))
	waitObs(t, obs, "training", func(o observation) bool { return o.running && o.epoch >= 2 })
	tm.Send(keyMsg("space"))
	waitObs(t, obs, "pause", func(o observation) bool { return !o.running })

	tm.Send(keyMsg("q"))
	waitObs(t, obs, "save question", func(o observation) bool { return o.dialog })
	tm.Send(keyMsg("n"))

	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(probed).Model
	if !fm.quitting {
		t.Error("final model did not quit")
	}
	if fm.run.running || fm.run.data.snap.Epoch < 2 {
		t.Errorf("final run: running %v epoch %d", fm.run.running, fm.run.data.snap.Epoch)
	}
	if g := fm.goal.gamma[0][0]; math.Abs(g-0.12) > 1e-9 {
		t.Errorf("final γ %v", g)
	}
	if log := fm.run.gammaLog; len(log) != 3 || log[2].Step != 1 { // one entry per applied batch
		t.Errorf("γ history %+v", log)
	}
	fm.w.idle() // synchronises with the worker's last writes to the engine
	if fs.last.Load().gamma[0][0] != 0.12 {
		t.Error("engine γ not applied")
	}
	if len(fm.run.data.marks) != 1 {
		t.Errorf("markers %+v", fm.run.data.marks)
	}
}

func TestProgramSaveBeforeQuit(t *testing.T) {
	dir := t.TempDir()
	tm, obs, _ := startProgram(t, Options{Preset: "mnist-trivariate", RunsDir: dir}, nil)
	tm.Send(keyMsg("e"))
	waitObs(t, obs, "an epoch", func(o observation) bool { return o.epoch == 1 })
	tm.Send(keyMsg("q"))
	waitObs(t, obs, "save question", func(o observation) bool { return o.dialog })
	tm.Send(keyMsg("y"))

	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(probed).Model
	if !fm.quitting || !fm.run.saved || fm.run.unsaved() != 0 {
		t.Errorf("quit %v saved %v unsaved %d", fm.quitting, fm.run.saved, fm.run.unsaved())
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Errorf("runs: %v", files)
	}
}

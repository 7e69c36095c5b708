package tune

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"infomorph-tui/presets"
)

// fake is an objective without training: a run's accuracies follow from
// its γ, seed and epoch (value(γ) − 0.5/epoch, so later epochs are better
// and the final value is value(γ) − 0.5/E), it "saves" partial and
// finished runs as small files like the real one, and it counts (and
// optionally logs to a file shared by processes) every epoch it trains.
type fake struct {
	dir   string
	value func(gamma []float64, seed uint64) float64
	delay time.Duration
	log   string // append "trial seed epoch pid" per trained epoch

	mu    sync.Mutex
	calls map[string]int // "trial/seed/epoch" → times trained
}

func newFake(dir string, value func([]float64, uint64) float64) *fake {
	return &fake{dir: dir, value: value, calls: map[string]int{}}
}

func (f *fake) acc(gamma []float64, seed uint64, e int) EpochResult {
	v := f.value(gamma, seed) - 0.5/float64(e)
	return EpochResult{Train: v + 0.01, Val: v, Test: v - 0.01}
}

type fakeRun struct {
	f     *fake
	n     int
	gamma []float64
	seed  uint64
	hist  []EpochResult
}

func (f *fake) Open(n int, gamma []float64, seed uint64) (Run, error) {
	r := &fakeRun{f: f, n: n, gamma: gamma, seed: seed}
	if data, err := os.ReadFile(filepath.Join(f.dir, PartFile(n, seed))); err == nil {
		var e int
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, err
		}
		for k := 1; k <= e; k++ {
			r.hist = append(r.hist, f.acc(gamma, seed, k))
		}
	}
	return r, nil
}

func (r *fakeRun) History() []EpochResult { return append([]EpochResult(nil), r.hist...) }

func (r *fakeRun) Epoch(ctx context.Context) (EpochResult, error) {
	if r.f.delay > 0 {
		select {
		case <-ctx.Done():
			return EpochResult{}, ctx.Err()
		case <-time.After(r.f.delay):
		}
	} else if err := ctx.Err(); err != nil {
		return EpochResult{}, err
	}
	e := len(r.hist) + 1
	res := r.f.acc(r.gamma, r.seed, e)
	r.hist = append(r.hist, res)
	r.f.mu.Lock()
	r.f.calls[fmt.Sprintf("%d/%d/%d", r.n, r.seed, e)]++
	r.f.mu.Unlock()
	if r.f.log != "" {
		lf, err := os.OpenFile(r.f.log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return res, err
		}
		fmt.Fprintf(lf, "%d %d %d %d\n", r.n, r.seed, e, os.Getpid())
		lf.Close()
	}
	return res, nil
}

func (r *fakeRun) Suspend() error {
	data, _ := json.Marshal(len(r.hist))
	return os.WriteFile(filepath.Join(r.f.dir, PartFile(r.n, r.seed)), data, 0o644)
}

func (r *fakeRun) Finish() (string, error) {
	os.Remove(filepath.Join(r.f.dir, PartFile(r.n, r.seed)))
	data, _ := json.Marshal(len(r.hist))
	return RunFile(r.n, r.seed), os.WriteFile(filepath.Join(r.f.dir, RunFile(r.n, r.seed)), data, 0o644)
}

// trained reads a fake log: how often each "trial seed epoch" was trained.
func trained(t *testing.T, path string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(l)
		if len(f) == 4 {
			out[f[0]+" "+f[1]+" "+f[2]]++
		}
	}
	return out
}

// testPreset is mnist-lateral (5 γ entries) or mnist-trivariate (18 + h_res).
func testPreset(t *testing.T, name string) presets.Preset {
	t.Helper()
	p, err := presets.Find(presets.Builtin(), name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// quadValue is the synthetic objective on the searched entries of s: the
// shifted quadratic over the entries, plus a small seed effect.
func quadValue(s Spec) func([]float64, uint64) float64 {
	free := s.Space.free()
	c := quadCentre(len(free))
	return func(g []float64, seed uint64) float64 {
		x := make([]float64, len(free))
		for k, i := range free {
			x[k] = g[i]
		}
		return quad(x, c) + 0.001*float64(seed)
	}
}

func newTestSpec(t *testing.T, preset, sampler string, trials, epochs, seeds int, prune string) Spec {
	t.Helper()
	pr, err := ParsePrune(prune)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSpec(testPreset(t, preset), Options{Sampler: sampler, SamplerSeed: 1, Trials: trials, Epochs: epochs,
		Seeds: seeds, FirstSeed: 1, Prune: pr})
	if err != nil {
		t.Fatal(err)
	}
	s.Data = "fake"
	return s
}

func math0(v float64) bool { return math.Abs(v) < 1e-12 }

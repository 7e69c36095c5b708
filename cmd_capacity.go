package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

const capacityUsage = `usage: infomorph-tui capacity --preset NAME [--seeds 20] [--seed 1] [--jobs J] [--epochs E]
                             [--stride 5] [--json] [--noise-sweep [--alpha A]]

Measures the memory capacity α_c (stored patterns per neuron) of a memory
preset: per seed, M = 1, 6, 11, … patterns are stored in fresh networks
(trained up to the epoch budget, recall tested at log-spaced epochs, early
stop when the recall score reaches 0.95) until the first failure after a
success; α_c = last stored M / N (--stride sets the M step). The literal rule (first failure of all,
which ends infomorphic scans at M = 1) is reported as alpha_c_strict.
Seeds run in parallel, --jobs at a time, each single-threaded.

--noise-sweep instead measures recall from corrupted cues (0, 0.05, …, 0.5
of the bits flipped) at the preset's α (or --alpha) for both rules, the
infomorphic network trained for the full epoch budget.
`

// capacityReport is the JSON output of a capacity sweep.
type capacityReport struct {
	Preset       string                 `json:"preset"`
	Rule         string                 `json:"rule"`
	Neurons      int                    `json:"neurons"`
	Epochs       int                    `json:"epochs"`
	Stride       int                    `json:"stride"`
	Seeds        []uint64               `json:"seeds"`
	AlphaC       []float64              `json:"alpha_c"`
	Mean         float64                `json:"mean"`
	SD           float64                `json:"sd"`
	AlphaCStrict []float64              `json:"alpha_c_strict"`
	MeanStrict   float64                `json:"mean_strict"`
	SDStrict     float64                `json:"sd_strict"`
	Seconds      float64                `json:"seconds"`
	Details      []tasks.CapacityResult `json:"details"`
}

// noiseReport is the JSON output of a noise sweep.
type noiseReport struct {
	Preset   string             `json:"preset"`
	Neurons  int                `json:"neurons"`
	Alpha    float64            `json:"alpha"`
	Patterns int                `json:"patterns"`
	Epochs   int                `json:"epochs"`
	Seeds    []uint64           `json:"seeds"`
	Flips    []float64          `json:"flips"`
	Curves   []tasks.NoiseCurve `json:"curves"`
	Seconds  float64            `json:"seconds"`
}

// cmdCapacity runs a memory-capacity sweep or a cue-noise sweep of a memory preset.
func cmdCapacity(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("capacity", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	preset := fs.String("preset", "", "memory preset (memory-redundancy, memory-mi, memory-optimized, memory-hebbian or a user preset)")
	nSeeds := fs.Int("seeds", 20, "number of seeds")
	seed0 := fs.Uint64("seed", 1, "first seed; the seeds are seed, seed+1, …")
	jobs := fs.Int("jobs", runtime.GOMAXPROCS(0), "seeds run in parallel")
	epochs := fs.Int("epochs", 0, "epoch budget per trial (default: the preset's)")
	stride := fs.Int("stride", 5, "step between stored-pattern counts M of the scan")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	noise := fs.Bool("noise-sweep", false, "measure recall from corrupted cues for both rules instead")
	alpha := fs.Float64("alpha", 0, "with --noise-sweep: stored patterns per neuron (default: the preset's)")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "infomorph-tui capacity: "+format+"\n", a...)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, capacityUsage)
			return 0
		}
		return fail("%v", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case *preset == "":
		return fail("--preset is required (a memory preset, e.g. memory-redundancy)")
	case *nSeeds < 1 || *nSeeds > 10000:
		return fail("--seeds must be between 1 and 10000")
	case *jobs < 1 || *jobs > 1024:
		return fail("--jobs must be between 1 and 1024")
	case set["epochs"] && (*epochs < 1 || *epochs > 1000000):
		return fail("--epochs must be between 1 and 1000000")
	case *stride < 1 || *stride > 1000:
		return fail("--stride must be between 1 and 1000")
	case set["stride"] && *noise:
		return fail("--stride applies only to the capacity scan, not --noise-sweep")
	case set["alpha"] && !*noise:
		return fail("--alpha applies only to --noise-sweep (the capacity scan sets M itself)")
	case set["alpha"] && !(*alpha > 0 && *alpha <= 20):
		return fail("--alpha must be in (0, 20]")
	}
	all, _ := presets.Everything()
	p, err := presets.Find(all, *preset)
	if err != nil {
		return fail("%v", err)
	}
	if !p.IsMemory() {
		return fail("preset %s is not a memory preset (try memory-redundancy or memory-hebbian)", p.Name)
	}
	cfg, err := p.MemoryConfig(*seed0)
	if err != nil {
		return fail("%s: %v", p.Name, err)
	}
	if set["epochs"] {
		cfg.Epochs = *epochs
	}
	if set["alpha"] {
		cfg.Alpha = *alpha
	}
	seeds := make([]uint64, *nSeeds)
	for i := range seeds {
		seeds[i] = *seed0 + uint64(i)
	}
	if *noise {
		return capacityNoise(p.Name, cfg, seeds, *jobs, *asJSON, stdout, stderr)
	}
	return capacitySweep(p.Name, cfg, *stride, seeds, *jobs, *asJSON, stdout, stderr)
}

func capacitySweep(name string, cfg tasks.MemoryConfig, stride int, seeds []uint64, jobs int, asJSON bool, stdout, stderr io.Writer) int {
	fmt.Fprintf(stderr, "capacity %s: %s rule, N = %d, M = 1, %d, %d, …, budget %d epochs, %d seeds, %d at a time\n",
		name, cfg.Rule, cfg.N, 1+stride, 1+2*stride, cfg.Epochs, len(seeds), min(jobs, len(seeds)))
	start := time.Now()
	done := 0
	res, err := tasks.Capacity(cfg, tasks.CapacityOptions{Stride: stride}, seeds, jobs, func(r tasks.CapacityResult) {
		done++
		fmt.Fprintf(stderr, "  seed %d: α_c = %.2f  (%s)  %.1fs  [%d/%d]\n", r.Seed, r.AlphaC, capacityTrace(r), r.Seconds, done, len(seeds))
	})
	if err != nil {
		fmt.Fprintf(stderr, "infomorph-tui capacity: %v\n", err)
		return exitUsage
	}
	rep := capacityReport{Preset: name, Rule: cfg.Rule.String(), Neurons: cfg.N, Epochs: cfg.Epochs, Stride: stride,
		Seeds: seeds, Seconds: time.Since(start).Seconds(), Details: res}
	failed := 0
	for _, r := range res {
		rep.AlphaC = append(rep.AlphaC, r.AlphaC)
		rep.AlphaCStrict = append(rep.AlphaCStrict, r.AlphaCStrict)
		if r.Err != "" {
			failed++
			fmt.Fprintf(stderr, "infomorph-tui capacity: seed %d: %s\n", r.Seed, r.Err)
		}
	}
	rep.Mean, rep.SD = tasks.MeanSD(rep.AlphaC)
	rep.MeanStrict, rep.SDStrict = tasks.MeanSD(rep.AlphaCStrict)
	if asJSON {
		data, _ := json.Marshal(rep)
		fmt.Fprintln(stdout, string(data))
	} else {
		fmt.Fprintf(stdout, "%s · %s · N = %d · %d seeds · %s\n\n", name, rep.Rule, cfg.N, len(seeds), time.Duration(rep.Seconds*float64(time.Second)).Round(time.Second))
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "seed\tα_c\tstrict\tfirst stored M\tfailed at M\tseconds")
		for _, r := range res {
			fmt.Fprintf(tw, "%d\t%.2f\t%.2f\t%d\t%s\t%.1f\n", r.Seed, r.AlphaC, r.AlphaCStrict, r.FirstSuccess, capacityFailM(r), r.Seconds)
		}
		tw.Flush()
		fmt.Fprintf(stdout, "\nmean α_c = %.3f ± %.3f (s.d., %d seeds)\n", rep.Mean, rep.SD, len(seeds))
		fmt.Fprintf(stdout, "strict rule (first failure of all ends the scan): %.3f ± %.3f\n", rep.MeanStrict, rep.SDStrict)
	}
	fmt.Fprintf(stderr, "capacity %s: mean α_c = %.3f ± %.3f in %.1fs\n", name, rep.Mean, rep.SD, rep.Seconds)
	if failed > 0 {
		return 1
	}
	return 0
}

// capacityTrace summarises a scan for the progress line.
func capacityTrace(r tasks.CapacityResult) string {
	if r.Err != "" {
		return "error: " + r.Err
	}
	var b strings.Builder
	if r.FirstSuccess > 1 {
		fmt.Fprintf(&b, "first stored M = %d; ", r.FirstSuccess)
	}
	n := len(r.Trials)
	if n == 0 {
		return "no trials"
	}
	last := r.Trials[n-1]
	switch {
	case r.Capped:
		fmt.Fprintf(&b, "no failure up to M = %d: lower bound", last.M)
	case last.Success:
		fmt.Fprintf(&b, "stored up to M = %d", last.M)
	case r.FirstSuccess == 0:
		fmt.Fprintf(&b, "nothing stored up to M = %d", last.M)
	case last.Epochs == 0: // Hebbian: built, not trained
		fmt.Fprintf(&b, "M = %d stored, M = %d failed at score %.3f", capacityLastStored(r), last.M, last.Score)
	default:
		fmt.Fprintf(&b, "M = %d stored, M = %d failed at score %.3f after %d epochs", capacityLastStored(r), last.M, last.Score, last.Epochs)
	}
	return b.String()
}

// n1 is the last successful M before the final trial.
func capacityLastStored(r tasks.CapacityResult) int {
	for i := len(r.Trials) - 2; i >= 0; i-- {
		if r.Trials[i].Success {
			return r.Trials[i].M
		}
	}
	return 0
}

func capacityFailM(r tasks.CapacityResult) string {
	if n := len(r.Trials); n > 0 && !r.Trials[n-1].Success {
		return fmt.Sprint(r.Trials[n-1].M)
	}
	return "–"
}

func capacityNoise(name string, cfg tasks.MemoryConfig, seeds []uint64, jobs int, asJSON bool, stdout, stderr io.Writer) int {
	flips := tasks.NoiseFlips()
	M := cfg.Patterns()
	fmt.Fprintf(stderr, "noise sweep %s: α = %g (M = %d), N = %d, infomorphic trained %d epochs, %d seeds × 2 rules, %d at a time\n",
		name, cfg.Alpha, M, cfg.N, cfg.Epochs, len(seeds), min(jobs, 2*len(seeds)))
	start := time.Now()
	done := 0
	curves, err := tasks.NoiseSweep(cfg, seeds, flips, jobs, func(rule tasks.MemoryRule, s tasks.NoiseSeed) {
		done++
		if s.Err != "" {
			fmt.Fprintf(stderr, "  %s seed %d: error: %s  [%d/%d]\n", rule, s.Seed, s.Err, done, 2*len(seeds))
			return
		}
		fmt.Fprintf(stderr, "  %s seed %d: clean %.3f, 10%% flipped %.3f, 30%% flipped %.3f  [%d/%d]\n",
			rule, s.Seed, s.Scores[0], s.Scores[2], s.Scores[6], done, 2*len(seeds))
	})
	if err != nil {
		fmt.Fprintf(stderr, "infomorph-tui capacity: %v\n", err)
		return exitUsage
	}
	rep := noiseReport{Preset: name, Neurons: cfg.N, Alpha: cfg.Alpha, Patterns: M, Epochs: cfg.Epochs, Seeds: seeds,
		Flips: flips, Curves: curves, Seconds: time.Since(start).Seconds()}
	failed := 0
	for _, c := range curves {
		for _, s := range c.Seeds {
			if s.Err != "" {
				failed++
			}
		}
	}
	if asJSON {
		data, _ := json.Marshal(rep)
		fmt.Fprintln(stdout, string(data))
	} else {
		fmt.Fprintf(stdout, "recall from corrupted cues · %s · α = %g (M = %d) · N = %d · %d seeds · score ≥ %.2f counts as recalled\n\n",
			name, cfg.Alpha, M, cfg.N, len(seeds), tasks.MemorySuccess)
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprint(tw, "flipped")
		for _, c := range curves {
			fmt.Fprintf(tw, "\t%s score\trecalled", c.Rule)
		}
		fmt.Fprintln(tw)
		for i, f := range flips {
			fmt.Fprintf(tw, "%.2f", f)
			for _, c := range curves {
				fmt.Fprintf(tw, "\t%.3f\t%d/%d", c.Mean[i], c.Success[i], len(seeds))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	fmt.Fprintf(stderr, "noise sweep %s: done in %.1fs\n", name, rep.Seconds)
	if failed > 0 {
		return 1
	}
	return 0
}

// memoryEngine adapts *tasks.MemoryRun to the lab's Engine interface, as
// labEngine does for *tasks.Run; the lab's factory can build one with
// newMemoryEngine for presets with IsMemory() (no MNIST needed).
type memoryEngine struct{ *tasks.MemoryRun }

var (
	_ tui.Engine     = memoryEngine{}
	_ tui.MemoryView = memoryEngine{}
)

// ScoreLabels names the memory run's scores (Snapshot's TrainAcc, ValAcc,
// TestAcc) for the lab's recall chart.
func (e memoryEngine) ScoreLabels() [3]string {
	return [3]string{"recall (clean cues)", "perfect recalls", fmt.Sprintf("recall (%g%% flipped)", 100*e.Config().CueNoise)}
}

func (e memoryEngine) Layers() []tui.LayerInfo {
	name, atoms := e.LayerName(0)
	return []tui.LayerInfo{{Name: name, AtomNames: atoms, Units: e.Units(0)}}
}

// newMemoryEngine builds a lab engine for a memory preset and seed.
func newMemoryEngine(p presets.Preset, seed uint64) (tui.Engine, error) {
	cfg, err := p.MemoryConfig(seed)
	if err != nil {
		return nil, err
	}
	run, err := tasks.NewMemoryRun(cfg)
	if err != nil {
		return nil, err
	}
	return memoryEngine{run}, nil
}

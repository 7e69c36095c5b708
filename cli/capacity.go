package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
)

// capacityOptions are the flags of `capacity`.
type capacityOptions struct {
	preset string
	seeds  int
	seed   uint64
	jobs   int
	epochs int
	stride int
	json   bool
	noise  bool
	alpha  float64
	given  map[string]bool
}

func capacityCommand() *command {
	return &command{
		name: "capacity",
		synopsis: `capacity --preset NAME [--seeds 20] [--seed 1] [--jobs J] [--epochs E]
                       [--stride 5] [--json] [--noise-sweep [--alpha A]]`,
		summary: "memory capacity α_c of a memory preset (or recall from corrupted cues with --noise-sweep)",
		about: `Per seed, M = 1, 6, 11, … patterns are stored in fresh networks (trained up
to the epoch budget, recall tested at log-spaced epochs, early stop when the
recall score reaches 0.95) until the first failure after a success;
α_c = last stored M / N (--stride sets the M step). The literal rule (first
failure of all, which ends infomorphic scans at M = 1) is reported as
alpha_c_strict. Seeds run in parallel, --jobs at a time, each single-threaded.

--noise-sweep instead measures recall from corrupted cues (0, 0.05, …, 0.5
of the bits flipped) at the preset's α (or --alpha) for both rules, the
infomorphic network trained for the full epoch budget.`,
		bind: func(fs *flag.FlagSet) runner {
			var o capacityOptions
			fs.StringVar(&o.preset, "preset", "", "memory preset (memory-redundancy, memory-mi, memory-optimized, memory-hebbian or a user preset)")
			fs.IntVar(&o.seeds, "seeds", 20, "number of seeds")
			fs.Uint64Var(&o.seed, "seed", 1, "first seed; the seeds are seed, seed+1, …")
			fs.IntVar(&o.jobs, "jobs", runtime.GOMAXPROCS(0), "seeds run in parallel")
			fs.IntVar(&o.epochs, "epochs", 0, "epoch budget per trial (default: the preset's)")
			fs.IntVar(&o.stride, "stride", 5, "step between stored-pattern counts M of the scan")
			fs.BoolVar(&o.json, "json", false, "print the result as one JSON object")
			fs.BoolVar(&o.noise, "noise-sweep", false, "measure recall from corrupted cues for both rules instead")
			fs.Float64Var(&o.alpha, "alpha", 0, "with --noise-sweep: stored patterns per neuron (default: the preset's)")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				o.given = a.given
				return runCapacity(ctx, s, o)
			}
		},
	}
}

// check validates the options before anything is built.
func (o capacityOptions) check() error {
	set := o.given
	switch {
	case o.preset == "":
		return usagef("--preset is required (a memory preset, e.g. memory-redundancy)")
	case o.seeds < 1 || o.seeds > 10000:
		return usagef("--seeds must be between 1 and 10000")
	case o.jobs < 1 || o.jobs > 1024:
		return usagef("--jobs must be between 1 and 1024")
	case set["epochs"] && (o.epochs < 1 || o.epochs > 1000000):
		return usagef("--epochs must be between 1 and 1000000")
	case o.stride < 1 || o.stride > 1000:
		return usagef("--stride must be between 1 and 1000")
	case set["stride"] && o.noise:
		return usagef("--stride applies only to the capacity scan, not --noise-sweep")
	case set["alpha"] && !o.noise:
		return usagef("--alpha applies only to --noise-sweep (the capacity scan sets M itself)")
	case set["alpha"] && !(o.alpha > 0 && o.alpha <= 20):
		return usagef("--alpha must be in (0, 20]")
	}
	return nil
}

// runCapacity runs a memory-capacity sweep or a cue-noise sweep of a memory preset.
func runCapacity(_ context.Context, s Stdio, o capacityOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	all, _ := presets.Everything()
	p, err := presets.Find(all, o.preset)
	if err != nil {
		return badInput(err)
	}
	if !p.IsMemory() {
		return usagef("preset %s is not a memory preset (try memory-redundancy or memory-hebbian)", p.Name)
	}
	cfg, err := p.MemoryConfig(o.seed)
	if err != nil {
		return usagef("%s: %v", p.Name, err)
	}
	if o.given["epochs"] {
		cfg.Epochs = o.epochs
	}
	if o.given["alpha"] {
		cfg.Alpha = o.alpha
	}
	seeds := make([]uint64, o.seeds)
	for i := range seeds {
		seeds[i] = o.seed + uint64(i)
	}
	if o.noise {
		return capacityNoise(p.Name, cfg, seeds, o.jobs, o.json, s.Out, s.Err)
	}
	return capacitySweep(p.Name, cfg, o.stride, seeds, o.jobs, o.json, s.Out, s.Err)
}

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

// capacitySweep scans the stored-pattern count M per seed and reports α_c.
func capacitySweep(name string, cfg tasks.MemoryConfig, stride int, seeds []uint64, jobs int, asJSON bool, stdout, stderr io.Writer) error {
	fmt.Fprintf(stderr, "capacity %s: %s rule, N = %d, M = 1, %d, %d, …, budget %d epochs, %d seeds, %d at a time\n",
		name, cfg.Rule, cfg.N, 1+stride, 1+2*stride, cfg.Epochs, len(seeds), min(jobs, len(seeds)))
	start := time.Now()
	done := 0
	res, err := tasks.Capacity(cfg, tasks.CapacityOptions{Stride: stride}, seeds, jobs, func(r tasks.CapacityResult) {
		done++
		fmt.Fprintf(stderr, "  seed %d: α_c = %.2f  (%s)  %.1fs  [%d/%d]\n", r.Seed, r.AlphaC, capacityTrace(r), r.Seconds, done, len(seeds))
	})
	if err != nil {
		return badInput(err)
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
		data, err := json.Marshal(rep)
		if err != nil {
			return err
		}
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
		return fmt.Errorf("%d of %d seeds failed (see above)", failed, len(seeds))
	}
	return nil
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

// capacityLastStored is the last successful M before the final trial.
func capacityLastStored(r tasks.CapacityResult) int {
	for i := len(r.Trials) - 2; i >= 0; i-- {
		if r.Trials[i].Success {
			return r.Trials[i].M
		}
	}
	return 0
}

// capacityFailM is the M of the failed final trial, or "–" when the scan ended without one.
func capacityFailM(r tasks.CapacityResult) string {
	if n := len(r.Trials); n > 0 && !r.Trials[n-1].Success {
		return fmt.Sprint(r.Trials[n-1].M)
	}
	return "–"
}

// capacityNoise measures recall from corrupted cues for both rules.
func capacityNoise(name string, cfg tasks.MemoryConfig, seeds []uint64, jobs int, asJSON bool, stdout, stderr io.Writer) error {
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
		return badInput(err)
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
		data, err := json.Marshal(rep)
		if err != nil {
			return err
		}
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
		return fmt.Errorf("%d of %d seeds failed (see above)", failed, len(seeds))
	}
	return nil
}

package sweep

// A loaded sweep (Result) summarised: metrics of a run, mean ± s.d. per
// point, grids, the best point and the printed summary.

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"infomorph-tui/tasks"
)

// Result is a sweep folder's results: what was swept and every finished run.
type Result struct {
	Dir   string `json:"dir"`
	Spec  Spec   `json:"spec"`
	Total int    `json:"total"` // runs of the whole sweep, all shards
	Rows  []Row  `json:"rows"`  // finished runs, in the sweep's order
	// Ignored lists the *.json files in runs/ that are not runs of the
	// sweep (notes, runs of another sweep): they were skipped.
	Ignored []string `json:"ignored,omitempty"`
}

// Notes are one line for each ignored file, to show the user.
func (r Result) Notes() []string {
	var out []string
	for _, p := range r.Ignored {
		out = append(out, strayNote(p))
	}
	return out
}

// Load reads a sweep folder: sweep.json and results.csv or, when the CSV is
// missing or has fewer rows than there are finished run files (a sweep still
// running or stopped hard), the run files themselves.
func Load(dir string) (Result, error) {
	s, err := ReadSpec(dir)
	if err != nil {
		return Result{}, err
	}
	jobs, err := s.Jobs()
	if err != nil {
		return Result{}, err
	}
	res := Result{Dir: dir, Spec: s, Total: len(jobs)}
	files, strays, err := runFiles(dir, s)
	if err != nil {
		return res, err
	}
	res.Ignored = strays
	rows, err := ReadResults(filepath.Join(dir, ResultsFile), s)
	switch {
	case errors.Is(err, os.ErrNotExist):
		rows, err = Collect(dir, s)
	case err == nil && len(rows) != len(files):
		rows, err = Collect(dir, s)
	}
	if err != nil {
		if _, ok := errors.AsType[*ResultsError](err); ok {
			err = fmt.Errorf("%w (running the sweep command again rewrites it from the run files)", err)
		}
		return res, err
	}
	res.Rows = rows
	return res, nil
}

// Metric picks one number out of a run's results.
type Metric struct {
	Name  string // column-like name: test_acc, readout:{1}{2}
	Label string // axis label with unit
	Of    func(Row) float64
	// Percent marks accuracies (fractions shown as %).
	Percent bool
}

// Accuracy metrics.
var (
	TestAcc  = Metric{Name: "test_acc", Label: "final test accuracy (%)", Of: func(r Row) float64 { return r.TestAcc }, Percent: true}
	ValAcc   = Metric{Name: "val_acc", Label: "final validation accuracy (%)", Of: func(r Row) float64 { return r.ValAcc }, Percent: true}
	TrainAcc = Metric{Name: "train_acc", Label: "final train accuracy (%)", Of: func(r Row) float64 { return r.TrainAcc }, Percent: true}
)

// AtomMetric is a layer's final atom (or h_res, or h_y) in bits.
func AtomMetric(layer, atom string) Metric {
	return Metric{Name: layer + ":" + atom, Label: atom + " of " + layer + " (bits)", Of: func(r Row) float64 {
		for _, l := range r.Layers {
			if l.Name != layer {
				continue
			}
			if atom == "h_y" {
				return l.HY
			}
			if k := slices.Index(l.AtomNames, atom); k >= 0 {
				return l.Atoms[k]
			}
		}
		return math.NaN()
	}}
}

// Stat is a metric over the seeds of one point: mean, sample standard
// deviation (0 for one run) and how many runs gave a value or diverged.
type Stat struct {
	Mean, SD    float64
	N, Diverged int
}

// Point is one γ point of the sweep (the varied values, in axis order).
type Point struct {
	Gamma []float64
	Stat
}

// Points summarises a metric at every point of the sweep, in the sweep's
// order; points without finished runs have N = 0 and a NaN mean.
func (r Result) Points(m Metric) []Point {
	pts := r.Spec.Points()
	out := make([]Point, len(pts))
	vals := make([][]float64, len(pts))
	div := make([]int, len(pts))
	byID := map[string]int{}
	if jobs, err := r.Spec.Jobs(); err == nil {
		for _, j := range jobs {
			byID[j.ID] = j.Index / r.Spec.Seeds
		}
	}
	for _, row := range r.Rows {
		i, ok := byID[row.ID]
		if !ok {
			continue
		}
		if row.Diverged != "" {
			div[i]++
			continue
		}
		if v := m.Of(row); !math.IsNaN(v) {
			vals[i] = append(vals[i], v)
		}
	}
	for i, p := range pts {
		out[i] = Point{Gamma: p, Stat: stat(vals[i])}
		out[i].Diverged = div[i]
	}
	return out
}

func stat(v []float64) Stat {
	s := Stat{Mean: math.NaN(), N: len(v)}
	if len(v) > 0 {
		s.Mean, s.SD = tasks.MeanSD(v)
	}
	return s
}

// Grid is a metric over a grid sweep: one Stat per grid point, row-major
// with the last axis varying fastest (Cells[i*len(Axes[1].Values)+j] for two axes).
type Grid struct {
	Layer  string
	Axes   []Axis
	Metric Metric
	Cells  []Stat
}

// Grid summarises a metric over a grid sweep's points; random sweeps have
// no grid (use Points).
func (r Result) Grid(m Metric) (Grid, error) {
	if r.Spec.Random > 0 {
		return Grid{}, errors.New("a random sweep has no grid; use its points")
	}
	g := Grid{Layer: r.Spec.Layer, Axes: r.Spec.Axes, Metric: m}
	for _, p := range r.Points(m) {
		g.Cells = append(g.Cells, p.Stat)
	}
	return g, nil
}

// At returns the cell at one index per axis.
func (g Grid) At(idx ...int) Stat {
	k := 0
	for i, a := range g.Axes {
		k = k*len(a.Values) + idx[i]
	}
	return g.Cells[k]
}

// Best returns the point with the highest mean of m.
func (r Result) Best(m Metric) (Point, bool) {
	var best Point
	ok := false
	for _, p := range r.Points(m) {
		if p.N > 0 && (!ok || p.Mean > best.Mean) {
			best, ok = p, true
		}
	}
	return best, ok
}

// Diverged counts diverged runs.
func (r Result) Diverged() int {
	n := 0
	for _, row := range r.Rows {
		if row.Diverged != "" {
			n++
		}
	}
	return n
}

// Describe is one line naming the varied γ entries and their ranges.
func (s Spec) Describe() string {
	if len(s.Named) > 0 {
		return s.describeNamed()
	}
	var parts []string
	for _, a := range s.Axes {
		switch {
		case len(a.Values) == 1:
			parts = append(parts, fmt.Sprintf("%s = %s", a.Symbol(), fmtG(a.Values[0])))
		case len(a.Values) > 0:
			parts = append(parts, fmt.Sprintf("%s %s…%s (%d values)", a.Symbol(), fmtG(a.Lo), fmtG(a.Hi), len(a.Values)))
		case a.Lo == a.Hi:
			parts = append(parts, fmt.Sprintf("%s = %s", a.Symbol(), fmtG(a.Lo)))
		default:
			parts = append(parts, fmt.Sprintf("%s in [%s, %s]", a.Symbol(), fmtG(a.Lo), fmtG(a.Hi)))
		}
	}
	d := strings.Join(parts, " × ")
	if s.Random > 0 {
		d += fmt.Sprintf(", %d random points (sample seed %d)", s.Random, s.RandomSeed)
	}
	return d
}

func fmtG(v float64) string { return fmt.Sprintf("%.4g", v) }

// WriteSummary prints what was swept, how far it got, the best point and a
// table of every point's final test accuracy over seeds.
func (r Result) WriteSummary(w io.Writer) {
	if len(r.Spec.Named) > 0 {
		r.writeNamedSummary(w)
		return
	}
	s := r.Spec
	fmt.Fprintf(w, "sweep     %s · preset %s · layer %s · %d epochs · seeds %d…%d\n", r.Dir, s.Preset, s.Layer, s.Epochs, s.FirstSeed, s.FirstSeed+uint64(s.Seeds)-1)
	fmt.Fprintf(w, "varied    %s\n", s.Describe())
	fmt.Fprintf(w, "finished  %d of %d runs (%d diverged)\n", len(r.Rows), r.Total, r.Diverged())
	pts := r.Points(TestAcc)
	if b, ok := r.Best(TestAcc); ok {
		fmt.Fprintf(w, "best      %s: test %.2f%% ± %.2f (%d seeds)\n", pointName(s, b.Gamma), 100*b.Mean, 100*b.SD, b.N)
	}
	fmt.Fprintln(w)
	for _, a := range s.Axes {
		fmt.Fprintf(w, "%12s ", a.Symbol())
	}
	fmt.Fprintf(w, "  %-22s %4s\n", "test accuracy (mean ± sd)", "runs")
	for _, p := range pts {
		for _, g := range p.Gamma {
			fmt.Fprintf(w, "%12.5g ", g)
		}
		acc := "—"
		if p.N > 0 {
			acc = fmt.Sprintf("%.2f%% ± %.2f", 100*p.Mean, 100*p.SD)
		}
		note := ""
		if p.Diverged > 0 {
			note = fmt.Sprintf("  (%d diverged)", p.Diverged)
		}
		fmt.Fprintf(w, "  %-22s %4d%s\n", acc, p.N, note)
	}
}

func pointName(s Spec, g []float64) string {
	parts := make([]string, len(g))
	for k, v := range g {
		parts[k] = fmt.Sprintf("%s = %.4g", s.Axes[k].Symbol(), v)
	}
	return strings.Join(parts, ", ")
}

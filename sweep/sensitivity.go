package sweep

// Goal sensitivity: sweeps of named points that modify one γ entry at a
// time (or remove entries one after another) around a preset's γ, and
// their summary (baseline against each variant).

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"infomorph-tui/internal/printable"
	"infomorph-tui/pid"
	"infomorph-tui/presets"
)

// Sensitivity modes.
const (
	ModeZero  = "zero"  // set one entry to 0
	ModeScale = "scale" // multiply one entry by 0.9 and by 1.1
	ModeShift = "shift" // add −0.1 and +0.1 to one entry
)

// BaselineLabel labels the unmodified point.
const BaselineLabel = "baseline"

// Sensitivity says how a sensitivity sweep's points were built.
type Sensitivity struct {
	Mode       string `json:"mode"`
	Cumulative bool   `json:"cumulative,omitempty"`
	// Order is the removal order of a cumulative analysis (γ names).
	Order []string `json:"order,omitempty"`
	// Skipped lists variants left out because their γ equals the point
	// before (an entry that is already 0): they would repeat its runs.
	Skipped []string `json:"skipped,omitempty"`
}

// AuthorsOrder is the order in which the authors remove the trivariate
// layer's 19 γ entries (atoms in the house order, then h_res), from the
// least harmful to the most harmful single removal: ordered_gammas in
// paper_trivariate/base_model.py of Priesemann-Group/Infomorphic_Networks.
var AuthorsOrder = []int{4, 16, 10, 17, 5, 9, 8, 14, 18, 13, 12, 6, 15, 3, 7, 1, 0, 2, 11}

// DefaultOrder is the authors' removal order for a layer with these γ
// names, or nil when they give none (bivariate layers).
func DefaultOrder(names []string) []string {
	if len(names) != len(AuthorsOrder) {
		return nil
	}
	out := make([]string, len(AuthorsOrder))
	for i, k := range AuthorsOrder {
		out[i] = names[k]
	}
	return out
}

// SensitivityPoints lists the points of a sensitivity analysis of a layer
// with γ names and values base: the baseline first, then for mode zero one
// variant per entry set to 0, for scale two per entry (×0.9 and ×1.1, as
// the authors compute it: γ + γ·(∓0.1)), for shift two per entry (∓0.1).
// With cumulative (mode zero only), the k-th point after the baseline has
// the first k entries of order set to 0. A variant whose γ equals the point
// before it (the entry is already 0) is left out and named in skipped.
func SensitivityPoints(names []string, base []float64, mode string, cumulative bool, order []string) (pts []NamedPoint, skipped []string, err error) {
	if len(names) != len(base) {
		return nil, nil, fmt.Errorf("%d γ names for %d values", len(names), len(base))
	}
	pts = append(pts, NamedPoint{Label: BaselineLabel, Gamma: slices.Clone(base)})
	if cumulative {
		if mode != ModeZero {
			return nil, nil, fmt.Errorf("--cumulative removes entries (mode zero), not mode %s", mode)
		}
		if len(order) == 0 {
			return nil, nil, fmt.Errorf("--cumulative: the authors give no removal order for a layer with %d γ entries; give --order", len(names))
		}
		seen := map[string]bool{}
		g := slices.Clone(base)
		for k, n := range order {
			i := slices.Index(names, n)
			switch {
			case i < 0:
				return nil, nil, fmt.Errorf("--order: unknown γ entry %q (γ entries: %s)", n, strings.Join(names, " "))
			case seen[n]:
				return nil, nil, fmt.Errorf("--order: %s given twice", n)
			}
			seen[n] = true
			label := fmt.Sprintf("−%d %s", k+1, n)
			if g[i] == 0 {
				skipped = append(skipped, label)
				continue
			}
			g[i] = 0
			pts = append(pts, NamedPoint{Label: label, Entry: n, Removed: k + 1, Gamma: slices.Clone(g)})
		}
		return pts, skipped, nil
	}
	type change struct {
		suffix string
		apply  func(v float64) float64
	}
	var changes []change
	switch mode {
	case ModeZero:
		changes = []change{{" = 0", func(float64) float64 { return 0 }}}
	case ModeScale:
		changes = []change{{" × 0.9", func(v float64) float64 { return v + v*-0.1 }}, {" × 1.1", func(v float64) float64 { return v + v*0.1 }}}
	case ModeShift:
		changes = []change{{" − 0.1", func(v float64) float64 { return v - 0.1 }}, {" + 0.1", func(v float64) float64 { return v + 0.1 }}}
	default:
		return nil, nil, fmt.Errorf("--mode %q: want zero, scale or shift", mode)
	}
	for i, n := range names {
		for _, c := range changes {
			g := slices.Clone(base)
			g[i] = c.apply(base[i])
			if g[i] == base[i] {
				skipped = append(skipped, n+c.suffix)
				continue
			}
			pts = append(pts, NamedPoint{Label: n + c.suffix, Entry: n, Gamma: g})
		}
	}
	return pts, skipped, nil
}

// NewSensitivitySpec builds the sweep of a sensitivity analysis of preset
// p's layer (empty: the first). order is the removal order for cumulative
// analyses (nil: the authors').
func NewSensitivitySpec(p presets.Preset, layer, mode string, cumulative bool, order []string, seeds int, firstSeed uint64, epochs int) (Spec, error) {
	// Build the layer's γ through NewSpec with a dummy axis, then replace it.
	var s Spec
	netSpec, err := p.NetSpec()
	if err != nil {
		return s, fmt.Errorf("preset %s: %w", p.Name, err)
	}
	first := netSpec.Layers[0]
	if layer != "" {
		for _, l := range netSpec.Layers {
			if l.Name == layer {
				first = l
			}
		}
	}
	names := pid.GammaNames(first.Sources())
	s, err = NewSpec(p, layer, []Vary{{Atom: names[0], Lo: 0, Hi: 0, N: 1}}, 0, 0, seeds, firstSeed, epochs)
	if err != nil {
		return s, err
	}
	s.Axes = nil
	if cumulative && order == nil {
		order = DefaultOrder(s.GammaNames)
	}
	pts, skipped, err := SensitivityPoints(s.GammaNames, s.Base, mode, cumulative, order)
	if err != nil {
		return s, err
	}
	s.Named = pts
	s.Sensitivity = &Sensitivity{Mode: mode, Cumulative: cumulative, Skipped: skipped}
	if cumulative {
		s.Sensitivity.Order = order
	}
	return s, nil
}

// checkNamed validates the named points of a spec read from a file.
func (s Spec) checkNamed() error {
	if len(s.Named) == 0 {
		if s.Sensitivity != nil {
			return errors.New("a sensitivity description without points")
		}
		return nil
	}
	labels := map[string]bool{}
	for _, p := range s.Named {
		if p.Label == "" || len(p.Label) > 100 || !printable.Is(p.Label) || labels[p.Label] {
			return fmt.Errorf("point label %s: want a short printable label, distinct from the others", printable.Quote(p.Label))
		}
		labels[p.Label] = true
		if p.Entry != "" && !slices.Contains(s.GammaNames, p.Entry) || p.Removed < 0 {
			return fmt.Errorf("point %s: entry %s is not a γ entry of the layer", p.Label, printable.Quote(p.Entry))
		}
		if len(p.Gamma) != len(s.GammaNames) {
			return fmt.Errorf("point %s: %d γ values, the layer has %d", p.Label, len(p.Gamma), len(s.GammaNames))
		}
		for _, v := range p.Gamma {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("point %s: γ is not finite", p.Label)
			}
		}
	}
	if se := s.Sensitivity; se != nil {
		for _, t := range append(slices.Clone(se.Order), se.Skipped...) {
			if len(t) > 100 || !printable.Is(t) {
				return errors.New("sensitivity: order or skipped entries are not printable")
			}
		}
	}
	return nil
}

// describeNamed is Describe for a sweep of named points.
func (s Spec) describeNamed() string {
	n := len(s.Named)
	se := s.Sensitivity
	switch {
	case se == nil:
		return fmt.Sprintf("%d named γ points", n)
	case se.Cumulative:
		return fmt.Sprintf("sensitivity: cumulative removal of %d γ entries (baseline + %d points)", len(se.Order), n-1)
	default:
		d := fmt.Sprintf("sensitivity, mode %s: baseline + %d variants", se.Mode, n-1)
		if len(se.Skipped) > 0 {
			d += fmt.Sprintf(" (%d left out: same γ as the baseline)", len(se.Skipped))
		}
		return d
	}
}

// Effect is one named point of a sweep summarised over its seeds:
// validation and test accuracy (mean ± s.d. and median) and the drop of the
// mean validation accuracy from the baseline's (positive: worse).
type Effect struct {
	NamedPoint
	Val, Test       Stat
	ValMed, TestMed float64
	Drop            float64
	// ValRuns and TestRuns are the finished runs' accuracies.
	ValRuns, TestRuns []float64
}

// Effects summarises every named point, in the sweep's order.
func (r Result) Effects() []Effect {
	s := r.Spec
	idx := map[string]int{}
	if jobs, err := s.Jobs(); err == nil {
		for _, j := range jobs {
			idx[j.ID] = j.Index / s.Seeds
		}
	}
	out := make([]Effect, len(s.Named))
	div := make([]int, len(s.Named))
	for i, p := range s.Named {
		out[i].NamedPoint = p
	}
	for _, row := range r.Rows {
		i, ok := idx[row.ID]
		if !ok {
			continue
		}
		if row.Diverged != "" {
			div[i]++
			continue
		}
		out[i].ValRuns = append(out[i].ValRuns, row.ValAcc)
		out[i].TestRuns = append(out[i].TestRuns, row.TestAcc)
	}
	for i := range out {
		e := &out[i]
		e.Val, e.Test = stat(e.ValRuns), stat(e.TestRuns)
		e.Val.Diverged, e.Test.Diverged = div[i], div[i]
		e.ValMed, e.TestMed = Median(e.ValRuns), Median(e.TestRuns)
	}
	for i := range out {
		out[i].Drop = out[0].Val.Mean - out[i].Val.Mean
	}
	return out
}

// Median is the median of v (NaN when empty).
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	c := slices.Clone(v)
	slices.Sort(c)
	n := len(c)
	if n%2 == 1 {
		return c[n/2]
	}
	return (c[n/2-1] + c[n/2]) / 2
}

// PaperName writes a trivariate γ name in the authors' notation, sources
// 1, 2, 3 as F, C, L: {1}{23} → (F)(CL), h_res → res. Other names are
// returned as they are.
func PaperName(name string, sources int) string {
	if sources != 3 {
		return name
	}
	if name == pid.HRes {
		return "res"
	}
	r := strings.NewReplacer("{", "(", "}", ")", "1", "F", "2", "C", "3", "L")
	return r.Replace(name)
}

// writeNamedSummary prints a sweep of named points: the baseline and every
// variant, sorted by the drop in mean validation accuracy (cumulative
// analyses: in removal order).
func (r Result) writeNamedSummary(w io.Writer) {
	s := r.Spec
	fmt.Fprintf(w, "sensitivity %s · preset %s · layer %s · %d epochs · seeds %d…%d\n", r.Dir, s.Preset, s.Layer, s.Epochs, s.FirstSeed, s.FirstSeed+uint64(s.Seeds)-1)
	fmt.Fprintf(w, "points      %s\n", s.Describe())
	fmt.Fprintf(w, "finished    %d of %d runs (%d diverged)\n", len(r.Rows), r.Total, r.Diverged())
	if se := s.Sensitivity; se != nil && len(se.Skipped) > 0 {
		fmt.Fprintf(w, "left out    %s (γ already 0: identical to the point before)\n", strings.Join(se.Skipped, ", "))
	}
	sources := 2
	if len(s.GammaNames) > 5 {
		sources = 3
	}
	effects := r.Effects()
	cumulative := s.Sensitivity != nil && s.Sensitivity.Cumulative
	if !cumulative {
		rest := slices.Clone(effects[1:])
		slices.SortStableFunc(rest, func(a, b Effect) int {
			da, db := a.Drop, b.Drop
			switch {
			case math.IsNaN(da) && math.IsNaN(db):
				return 0
			case math.IsNaN(da):
				return 1
			case math.IsNaN(db):
				return -1
			case da > db:
				return -1
			case da < db:
				return 1
			}
			return 0
		})
		effects = append(effects[:1:1], rest...)
	}
	fmt.Fprintln(w)
	head := "sorted by the drop in mean validation accuracy (largest first)"
	if cumulative {
		head = "in removal order; error = 1 − validation accuracy"
	}
	fmt.Fprintf(w, "%s\n", head)
	fmt.Fprintf(w, "%-22s %-14s %-17s %-8s %-17s %-8s %8s %4s\n", "point", "paper", "val (mean ± sd)", "val med", "test (mean ± sd)", "test med", "Δval pp", "runs")
	pct := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf("%.2f%%", 100*v)
	}
	ms := func(st Stat) string {
		if st.N == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f%% ± %.2f", 100*st.Mean, 100*st.SD)
	}
	for _, e := range effects {
		paper := ""
		if e.Entry != "" {
			paper = PaperName(e.Entry, sources)
			if cumulative {
				paper = "−" + paper
			}
		}
		drop := "—"
		if !math.IsNaN(e.Drop) && e.Entry != "" {
			drop = fmt.Sprintf("%+.2f", -100*e.Drop)
		}
		note := ""
		if e.Val.Diverged > 0 {
			note = fmt.Sprintf("  (%d diverged)", e.Val.Diverged)
		}
		fmt.Fprintf(w, "%-22s %-14s %-17s %-8s %-17s %-8s %8s %4d%s\n", printable.Clean(e.Label), paper, ms(e.Val), pct(e.ValMed), ms(e.Test), pct(e.TestMed), drop, e.Val.N, note)
	}
}

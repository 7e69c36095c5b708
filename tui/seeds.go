package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"infomorph-tui/tasks"
)

// seedData is what the lab knows of the seed runs (K): the same setting
// trained with other seeds beside the run, so the charts can show the spread
// that comes from the seed alone — a band from the smallest to the largest
// value over the K runs (the run included) and their mean.
type seedData struct {
	k      int // runs in all, the run included
	seq    int // the command's sequence number (posts of older ones are dropped)
	seeds  []uint64
	hists  [][]tasks.EpochStats // each other seed's finished epochs
	behind int                  // batches the slowest lags behind the run (catching up)
	steps  int                  // batches the run had trained at the post
	halted string
}

// defaultSeeds is the K the prompt offers first.
const defaultSeeds = 3

// bandGlyph fills a seed band's cells: a texture no line, ghost or marker
// uses, so the band reads without colour too.
const bandGlyph = '⋮'

// dashMean draws the seeds' mean line dash-dotted: unlike train (dotted),
// val (dashed) and test (solid).
var dashMean = []int{3, 2, 1, 2}

// askSeeds opens the prompt for K, the runs trained side by side.
func (m Model) askSeeds() (tea.Model, tea.Cmd) {
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	k := defaultSeeds
	if sd := m.run.data.seeds; sd != nil {
		k = sd.k
	}
	m.ask = &prompt{kind: askSeeds, label: fmt.Sprintf("seeds side by side, this run included (2–%d; 1 stops):", maxSeeds),
		text: []rune(strconv.Itoa(k))}
	return m, nil
}

// startSeeds asks the worker for k runs in all and shows the band at once.
func (m Model) startSeeds(text string) (tea.Model, tea.Cmd) {
	k, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || k < 1 || k > maxSeeds {
		return m, m.setFlash(flashErr, fmt.Sprintf("seeds: %q is not a whole number from 1 to %d", text, maxSeeds))
	}
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	seq := m.w.send(command{kind: cmdSeeds, neuron: k})
	d := &m.run.data
	if k == 1 {
		if d.seeds == nil {
			return m, m.setFlash(flashInfo, "no seeds were training")
		}
		d.seeds = nil
		d.seedVer++
		return m, m.setFlash(flashInfo, "seeds stopped: only this run trains")
	}
	d.seeds = &seedData{k: k, seq: seq}
	d.seedVer++
	s := d.snap.Seed
	return m, m.setFlash(flashOK, fmt.Sprintf("training %d seeds side by side (this run, seeds %d–%d): every batch trains all of them; %d× the time per batch",
		k, s+1, s+uint64(k)-1, k))
}

// onSeeds takes the worker's news of the seed runs.
func (m *Model) onSeeds(st *seedState) tea.Cmd {
	d := &m.run.data
	sd := d.seeds
	if sd == nil || st.seq != sd.seq {
		return nil // stopped or replaced since
	}
	was := sd.halted
	sd.seeds, sd.behind, sd.steps, sd.halted = st.seeds, st.behind, st.steps, st.halted
	if st.hists != nil {
		sd.hists = st.hists
	}
	d.seedVer++
	if st.halted != "" && was == "" {
		return m.setFlash(flashErr, "✗ a seed run stopped: "+st.halted+" — its band ends there (K changes the seeds)")
	}
	return nil
}

// bandPoint is one epoch of a seed band: the K runs' values there.
type bandPoint struct {
	epoch    int
	x        float64
	mean, sd float64 // sample s.d. (n−1)
	lo, hi   float64
	n        int
}

// band is val over the seed runs at every epoch that all K finished
// (the run's own epochs first); nil without seeds or before one such epoch.
func (d *chartData) band(ax timeAxis, val func(tasks.EpochStats) float64) []bandPoint {
	sd := d.seeds
	if sd == nil || len(sd.hists) == 0 {
		return nil
	}
	var out []bandPoint
	vals := make([]float64, 0, len(sd.hists)+1)
	for i, e := range d.snap.History {
		ep := epochOf(e, i)
		vals = append(vals[:0], val(e))
		for _, h := range sd.hists {
			if v, ok := valueAt(h, ep, val); ok {
				vals = append(vals, v)
			}
		}
		if len(vals) < len(sd.hists)+1 {
			continue // a seed has not reached this epoch yet (or stopped)
		}
		p := bandPoint{epoch: ep, x: ax.x(float64(ep)), lo: math.Inf(1), hi: math.Inf(-1), n: len(vals)}
		ok := true
		for _, v := range vals {
			if !finite(v) {
				ok = false
				break
			}
			p.mean += v / float64(len(vals))
			p.lo, p.hi = math.Min(p.lo, v), math.Max(p.hi, v)
		}
		if !ok {
			continue
		}
		for _, v := range vals {
			p.sd += (v - p.mean) * (v - p.mean)
		}
		p.sd = math.Sqrt(p.sd / float64(len(vals)-1))
		out = append(out, p)
	}
	return out
}

// valueAt is val of a history's record of epoch ep.
func valueAt(h []tasks.EpochStats, ep int, val func(tasks.EpochStats) float64) (float64, bool) {
	for i := len(h) - 1; i >= 0; i-- {
		switch at := epochOf(h[i], i); {
		case at == ep:
			return val(h[i]), true
		case at < ep:
			return 0, false
		}
	}
	return 0, false
}

// bandSeries are the chart series of a band: the min–max fill and the mean
// line, in style (the fill faded).
func bandSeries(b []bandPoint, style lipgloss.Style) []series {
	if len(b) == 0 {
		return nil
	}
	fill := series{fill: true, style: faded(style, 0.55)}
	mean := series{style: faded(style, 0.2), dash: dashMean}
	for _, p := range b {
		fill.xs = append(fill.xs, p.x)
		fill.ys = append(fill.ys, p.lo)
		fill.hi = append(fill.hi, p.hi)
		mean.xs = append(mean.xs, p.x)
		mean.ys = append(mean.ys, p.mean)
	}
	return []series{fill, mean}
}

// seedLegend says what the band shows at its latest epoch: "⋮ 3 seeds
// 90.21 ± 0.34%" (mean ± s.d. with dec decimals, "@4" when the seeds are
// behind the run's latest epoch), or that the seeds are catching up.
func (d *chartData) seedLegend(st *styles, b []bandPoint, style lipgloss.Style, dec int, unit string, latest int) string {
	sd := d.seeds
	if sd == nil {
		return ""
	}
	head := faded(style, 0.55).Render(string(bandGlyph)) + " "
	switch {
	case sd.behind > 0 && d.snap.StepsPerEpoch > 0:
		spe := d.snap.StepsPerEpoch
		return head + st.dim.Render(fmt.Sprintf("%d seeds catching up: epoch %d/%d", sd.k, (sd.steps-sd.behind)/spe, sd.steps/spe))
	case len(b) == 0:
		return head + st.dim.Render(fmt.Sprintf("%d seeds: after the first epoch", sd.k))
	}
	p := b[len(b)-1]
	s := fmt.Sprintf("%d seeds %.*f ± %.*f%s", p.n, dec, p.mean, dec, p.sd, unit)
	if p.epoch != latest {
		s += fmt.Sprintf(" @%d", p.epoch)
	}
	return head + st.text.Render(s)
}

package tui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"infomorph-tui/tasks"
)

// accPane charts train/val/test accuracy over epochs, with the baseline's
// selected score as a ghost behind them. With the focus, ↑↓ select the score
// that is drawn last, brightest and compared, and v hides or shows it.
type accPane struct {
	c       *common
	d       *chartData // the run's, shared with the root
	cmp     *compare   // the baseline, shared with the root
	w, h    int
	sel     int     // selected score: 0 train, 1 val, 2 test
	hidden  [3]bool // scores not drawn
	focused bool
	key     accKey
	cache   string
}

type accKey struct {
	w, h, epochs, runSeq, markVer, baseVer int
	stepsPerEpoch, sel, seedVer            int
	hidden                                 [3]bool
	full                                   bool
}

func newAccPane(c *common, d *chartData, cmp *compare) *accPane {
	return &accPane{c: c, d: d, cmp: cmp, sel: 2}
}

func (a *accPane) SetSize(w, h int)        { a.w, a.h = w, h }
func (a *accPane) Focusable() bool         { return true }
func (a *accPane) SetFocused(focused bool) { a.focused = focused }

// HelpKeys: pick the score to compare and draw on top, hide or show it.
func (a *accPane) HelpKeys() []key.Binding {
	k := a.c.keys
	return []key.Binding{k.Select, k.Visible, k.FullY}
}

// Update selects a score (↑↓, wheel) and toggles its visibility (v).
func (a *accPane) Update(msg tea.Msg) tea.Msg {
	k := a.c.keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			a.sel = max(a.sel-1, 0)
		case key.Matches(msg, k.Down):
			a.sel = min(a.sel+1, 2)
		case key.Matches(msg, k.Visible):
			a.hidden[a.sel] = !a.hidden[a.sel]
		}
	case wheelMsg:
		a.sel = clamp(a.sel+msg.d, 0, 2)
	}
	return nil
}

// Title says what the scores measure: a memory run's measure recall.
func (a *accPane) Title() string {
	if a.d.memory() {
		return "Recall"
	}
	return "Accuracy"
}

func (a *accPane) View() string {
	st := a.c.st
	d := a.d
	fr := frame{title: a.Title(), hint: "% per epoch", focused: a.focused}
	if d.memory() {
		fr.hint = "% at evaluated epochs (log)"
	}
	if !a.c.fullY {
		fr.hint += " · z 0–100"
	}
	inner, innerH := a.w-2, a.h-2
	if !d.has {
		return fr.render(st, nil, a.w, a.h)
	}
	body := a.legend(d, inner)
	chartH := innerH - len(body)
	if len(d.snap.History) == 0 && (a.cmp.base == nil || len(a.cmp.base.hist) == 0) {
		body = append(body, a.progress(d, inner, chartH)...)
		return fr.render(st, body, a.w, a.h)
	}
	k := accKey{inner, chartH, len(d.snap.History), d.runSeq, d.markVer, a.cmp.ver, d.snap.StepsPerEpoch, a.sel, d.seedVer, a.hidden, a.c.fullY}
	if k != a.key {
		a.cache = a.chart(d, inner, chartH)
		a.key = k
	}
	body = append(body, strings.Split(a.cache, "\n")...)
	return fr.render(st, body, a.w, a.h)
}

// scoreGlyphs are the legend's line samples of train (dotted), val
// (dashed) and test (solid), matching the chart's dash patterns.
var scoreGlyphs = [3]string{"┈┈", "╌╌", "━━"}

func (a *accPane) scoreStyle(i int) lipgloss.Style {
	st := a.c.st
	return [3]lipgloss.Style{st.train, st.val, st.test}[i]
}

// legend shows the latest values with their difference from the baseline
// and the current epoch's progress, on one line when it fits, else wrapped
// (memory runs have long score names).
func (a *accPane) legend(d *chartData, w int) []string {
	st := a.c.st
	s := d.snap
	names := d.scoreLabels()
	vals := [3]float64{s.TrainAcc, s.ValAcc, s.TestAcc}
	base := a.cmp.base
	epoch := 0
	if n := len(s.History); n > 0 {
		epoch = epochOf(s.History[n-1], n-1)
	}
	var items []string
	for i := range 3 {
		style := a.scoreStyle(i)
		name := names[i]
		if i == a.sel {
			name = "▸" + name
		}
		val := st.text.Render(pct(vals[i]))
		if i == a.sel {
			val = st.bold.Render(pct(vals[i]))
		}
		it := style.Render(scoreGlyphs[i]+" "+name+" ") + val
		if a.hidden[i] {
			it = st.faint.Render(scoreGlyphs[i] + " " + name + " hidden")
		}
		dd := base.diffAt(epoch, 100*vals[i], func(e tasks.EpochStats) float64 { return 100 * score(e, i) })
		if t := dd.text(1, ""); t != "" && !a.hidden[i] {
			if i == a.sel && w >= 100 {
				t = strings.TrimSuffix(t, ")") + " vs base)"
			}
			it += " " + st.dim.Render(t)
		}
		items = append(items, it)
	}
	if base != nil {
		items = append(items, faded(a.scoreStyle(a.sel), 0.45).Render("·˙· ")+st.dim.Render("base: "+base.label))
	}
	if d.seeds != nil && !a.hidden[a.sel] {
		b := d.band(timeAxis{log: d.memory()}, a.scoreOf(a.sel))
		items = append(items, d.seedLegend(st, b, a.scoreStyle(a.sel), 2, "%", epoch))
	}
	right := ""
	switch {
	case d.eval != nil:
		right = st.loading.Render(d.eval.text())
	case s.StepsPerEpoch > 1 && s.Step > 0:
		right = st.dim.Render(fmt.Sprintf("epoch %d %3.0f%%", s.Epoch+1, 100*float64(s.Step)/float64(s.StepsPerEpoch)))
	}
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case ansi.StringWidth(cur)+2+ansi.StringWidth(it) <= w:
			cur += "  " + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	lines = append(lines, cur)
	last := len(lines) - 1
	lines[last] = spread(lines[last], right, w) // dropped where it does not fit: the header says it too
	return lines
}

// scoreOf is score i of an epoch in percent, for bands and differences.
func (a *accPane) scoreOf(i int) func(tasks.EpochStats) float64 {
	return func(e tasks.EpochStats) float64 { return 100 * score(e, i) }
}

// score is one of an epoch's three scores (0 train, 1 val, 2 test).
func score(e tasks.EpochStats, i int) float64 {
	switch i {
	case 0:
		return e.TrainAcc
	case 1:
		return e.ValAcc
	}
	return e.TestAcc
}

// progress is shown before the first evaluation.
func (a *accPane) progress(d *chartData, w, h int) []string {
	st := a.c.st
	s := d.snap
	lines := make([]string, 0, max(h, 0))
	for range max((h-4)/2, 0) {
		lines = append(lines, "")
	}
	if s.TotalSteps == 0 && d.eval == nil {
		lines = append(lines, center(st.dim.Render("no epoch yet — space runs, s steps, e trains one epoch"), w))
		return lines
	}
	frac := 0.0
	if s.StepsPerEpoch > 0 {
		frac = float64(s.Step) / float64(s.StepsPerEpoch)
	}
	head := fmt.Sprintf("epoch %d in progress · step %d/%d", s.Epoch+1, s.Step, s.StepsPerEpoch)
	if ev := d.eval; ev != nil {
		frac = float64(ev.done) / float64(max(ev.total, 1))
		head = fmt.Sprintf("epoch %d trained · %s", s.Epoch+1, ev.text())
	}
	bw := clamp(w-20, 10, 50)
	lines = append(lines,
		center(st.text.Render(head), w),
		"",
		center(progressBar(st, frac, bw)+st.dim.Render(fmt.Sprintf(" %3.0f%%", 100*frac)), w),
		center(st.dim.Render("accuracy is evaluated at the end of each epoch"), w),
	)
	return lines
}

func progressBar(st *styles, frac float64, w int) string {
	n := clamp(int(math.Round(frac*float64(w))), 0, w)
	return st.accent.Render(strings.Repeat("█", n)) + st.faint.Render(strings.Repeat("░", w-n))
}

func (a *accPane) chart(d *chartData, w, h int) string {
	hist := d.snap.History
	ax := timeAxis{log: d.memory()}
	xs := make([]float64, len(hist))
	var ys [3][]float64
	for i := range ys {
		ys[i] = make([]float64, len(hist))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(v float64) {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	maxX := 0.0
	for i, e := range hist {
		xs[i] = ax.x(epochX(e, i))
		maxX = math.Max(maxX, xs[i])
		for k := range 3 {
			ys[k][i] = 100 * score(e, k)
			if !a.hidden[k] {
				see(ys[k][i])
			}
		}
	}
	var ser []series
	if b := a.cmp.base; b != nil && !a.hidden[a.sel] {
		g := series{ghost: true, style: faded(a.scoreStyle(a.sel), 0.45)}
		for i, e := range b.hist {
			g.xs = append(g.xs, ax.x(epochX(e, i)))
			g.ys = append(g.ys, 100*score(e, a.sel))
			see(g.ys[len(g.ys)-1])
			maxX = math.Max(maxX, g.xs[len(g.xs)-1])
		}
		ser = append(ser, g)
	}
	if !a.hidden[a.sel] {
		b := d.band(ax, a.scoreOf(a.sel))
		for _, p := range b {
			see(p.lo)
			see(p.hi)
		}
		ser = append(ser, bandSeries(b, a.scoreStyle(a.sel))...)
	}
	dashes := [3][]int{dashTrain, dashVal, nil}
	for _, k := range []int{0, 1, 2} {
		if k == a.sel || a.hidden[k] {
			continue
		}
		ser = append(ser, series{xs: xs, ys: ys[k], style: faded(a.scoreStyle(k), 0.25), dash: dashes[k]})
	}
	if !a.hidden[a.sel] { // the selected score last: on top of the others
		ser = append(ser, series{xs: xs, ys: ys[a.sel], style: a.scoreStyle(a.sel).Bold(true), dash: dashes[a.sel]})
	}
	lo, hi = fitRange(lo, hi, 1, 0, 100, a.c.fullY)
	var marks []vmark
	multi := len(d.atomNames) > 1
	for _, mk := range d.marks {
		x := ax.x(d.xOf(mk.step))
		maxX = math.Max(maxX, x)
		marks = append(marks, mk.vmark(x, d.atomNames, multi))
	}
	st := a.c.st
	return drawChart(chartSpec{
		w: w, h: h,
		minX: 0, maxX: math.Max(maxX, 1), minY: lo, maxY: hi,
		xFmt:  ax.format,
		yFmt:  pctTick(hi - lo),
		xStep: 8, yStep: max(h/5, 1),
		xTicks: ax.ticks(maxX), latest: true,
		series: ser,
		marks:  marks,
		axis:   st.axis, label: st.label, mark: st.marker,
	})
}

// pctTick formats y labels with a decimal when the range is narrow.
func pctTick(span float64) func(float64) string {
	if span < 6 {
		return func(v float64) string { return fmt.Sprintf("%.1f%%", v) }
	}
	return func(v float64) string { return fmt.Sprintf("%.0f%%", v) }
}

// epochX is the x of history entry i: its epoch (memory runs evaluate at
// log-spaced epochs), or i+1 when the entry does not say.
func epochX(e tasks.EpochStats, i int) float64 { return float64(epochOf(e, i)) }

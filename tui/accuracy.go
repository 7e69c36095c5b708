package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"infomorph-tui/tasks"
)

// accPane charts train/val/test accuracy over epochs.
type accPane struct {
	drawOnly
	c     *common
	d     *chartData // the run's, shared with the root
	w, h  int
	key   accKey
	cache string
}

type accKey struct {
	w, h, epochs, runSeq, markVer int
	stepsPerEpoch                 int
}

func newAccPane(c *common, d *chartData) *accPane { return &accPane{c: c, d: d} }

func (a *accPane) SetSize(w, h int) { a.w, a.h = w, h }

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
	fr := frame{title: a.Title(), hint: "% per epoch"}
	if d.memory() {
		fr.hint = "% at evaluated epochs"
	}
	inner, innerH := a.w-2, a.h-2
	if !d.has {
		return fr.render(st, nil, a.w, a.h)
	}
	body := a.legend(d, inner)
	chartH := innerH - len(body)
	if len(d.snap.History) == 0 {
		body = append(body, a.progress(d, inner, chartH)...)
		return fr.render(st, body, a.w, a.h)
	}
	k := accKey{inner, chartH, len(d.snap.History), d.runSeq, d.markVer, d.snap.StepsPerEpoch}
	if k != a.key {
		a.cache = a.chart(d, inner, chartH)
		a.key = k
	}
	body = append(body, strings.Split(a.cache, "\n")...)
	return fr.render(st, body, a.w, a.h)
}

// legend shows the latest values and the current epoch's progress, on one
// line when it fits, else wrapped (memory runs have long score names).
func (a *accPane) legend(d *chartData, w int) []string {
	st := a.c.st
	s := d.snap
	names := d.scoreLabels()
	items := []string{
		st.train.Render("┈┈ "+names[0]+" ") + st.text.Render(pct(s.TrainAcc)),
		st.val.Render("╌╌ "+names[1]+" ") + st.text.Render(pct(s.ValAcc)),
		st.test.Render("━━ "+names[2]+" ") + st.bold.Render(pct(s.TestAcc)),
	}
	right := ""
	if s.StepsPerEpoch > 0 && s.Step > 0 {
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
	lines[last] = spread(lines[last], right, w)
	return lines
}

// progress is shown before the first evaluation.
func (a *accPane) progress(d *chartData, w, h int) []string {
	st := a.c.st
	s := d.snap
	lines := make([]string, 0, max(h, 0))
	for range max((h-4)/2, 0) {
		lines = append(lines, "")
	}
	if s.TotalSteps == 0 {
		lines = append(lines, center(st.dim.Render("no epoch yet — space runs, s steps, e trains one epoch"), w))
		return lines
	}
	frac := 0.0
	if s.StepsPerEpoch > 0 {
		frac = float64(s.Step) / float64(s.StepsPerEpoch)
	}
	bw := clamp(w-20, 10, 50)
	lines = append(lines,
		center(st.text.Render(fmt.Sprintf("epoch %d in progress · step %d/%d", s.Epoch+1, s.Step, s.StepsPerEpoch)), w),
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
	st := a.c.st
	hist := d.snap.History
	xs := make([]float64, len(hist))
	tr, va, te := make([]float64, len(hist)), make([]float64, len(hist)), make([]float64, len(hist))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, e := range hist {
		xs[i] = epochX(e, i)
		tr[i], va[i], te[i] = 100*e.TrainAcc, 100*e.ValAcc, 100*e.TestAcc
		for _, v := range []float64{tr[i], va[i], te[i]} {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	lo, hi = niceRange(lo-0.5, hi+0.5, 5)
	lo, hi = math.Max(lo, 0), math.Min(hi, 100)
	maxX := xs[len(xs)-1]
	var marks []vmark
	multi := len(d.atomNames) > 1
	for _, mk := range d.marks {
		x := d.xOf(mk.step)
		maxX = math.Max(maxX, x)
		marks = append(marks, vmark{x: x, label: mk.label(d.atomNames, multi)})
	}
	return drawChart(chartSpec{
		w: w, h: h,
		minX: 0, maxX: math.Max(maxX, 1), minY: lo, maxY: hi,
		xFmt:  func(v float64) string { return fmt.Sprintf("%.0f", v) },
		yFmt:  func(v float64) string { return fmt.Sprintf("%.0f%%", v) },
		xStep: 8, yStep: max(h/5, 1),
		series: []series{
			{xs: xs, ys: tr, style: st.train, dash: dashTrain},
			{xs: xs, ys: va, style: st.val, dash: dashVal},
			{xs: xs, ys: te, style: st.test},
		},
		marks: marks,
		axis:  st.axis, label: st.label, mark: st.marker,
	})
}

// epochX is the x of history entry i: its epoch (memory runs evaluate at
// log-spaced epochs), or i+1 when the entry does not say.
func epochX(e tasks.EpochStats, i int) float64 {
	if e.Epoch > 0 {
		return float64(e.Epoch)
	}
	return float64(i + 1)
}

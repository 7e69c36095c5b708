package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Study is a tune study as the Tune view shows it: what is searched and
// every trial so far. It is plain data, read afresh from the study folder
// while the study runs elsewhere (see RunStudy).
type Study struct {
	Title string   // first line, e.g. "study runs/lateral"
	About string   // e.g. "tpe on mnist-lateral · layer hidden · 10 epochs · seed 1 · pruning median"
	Names []string // the γ entries of the tuned layer, in order
	// Target is the number of trials the study was made for.
	Target int
	Trials []StudyTrial
}

// Trial states as StudyTrial.State names them.
const (
	TrialComplete = "complete"
	TrialPruned   = "pruned"
	TrialFailed   = "failed"
	TrialRunning  = "running"
	TrialWaiting  = "waiting"
)

// StudyTrial is one trial: its γ, state and accuracies (fractions; NaN
// until finished). Val of a pruned trial is its value when it was stopped.
type StudyTrial struct {
	Number    int
	State     string
	Val, Test float64
	Epochs    int
	Gamma     []float64
}

// StudyLoader reads the study afresh; it is called off the UI goroutine.
type StudyLoader func() (Study, error)

// StudyRefresh is how often the Tune view reads the study again.
const StudyRefresh = 2 * time.Second

// studyLoadedMsg carries a fresh read of the study.
type studyLoadedMsg struct {
	s   Study
	err error
}

// studyTickMsg asks for the next read.
type studyTickMsg struct{}

// studyModel is the full-screen Tune view: the trials as points (validation
// accuracy against trial number, best so far, pruned trials marked) and the
// top trials' γ side by side; ←→ picks one, enter opens it in the lab.
type studyModel struct {
	s       Study
	err     error
	loaded  bool
	load    StudyLoader
	refresh time.Duration
	st      *styles
	colour  bool
	mode    string
	w, h    int
	sel     int // index into top()
	chosen  *StudyTrial
	keys    studyKeys
}

type studyKeys struct{ quit, left, right, enter, reload key.Binding }

func newStudyModel(load StudyLoader, colour string, refresh time.Duration) studyModel {
	if colour == "" {
		colour = "auto"
	}
	return studyModel{load: load, refresh: refresh, st: newStyles(), colour: colourOn(colour), mode: colour,
		keys: studyKeys{
			quit:   key.NewBinding(key.WithKeys("q", "esc", "ctrl+c")),
			left:   key.NewBinding(key.WithKeys("left", "h", "up", "k")),
			right:  key.NewBinding(key.WithKeys("right", "l", "down", "j")),
			enter:  key.NewBinding(key.WithKeys("enter")),
			reload: key.NewBinding(key.WithKeys("r")),
		}}
}

// RunStudy shows a study full-screen, reading it again every refresh
// (StudyRefresh if 0) so that it follows a study running elsewhere, until
// the user presses q; enter returns the selected trial with ok true, to be
// opened in the lab. colour is "auto" (honours NO_COLOR), "always" or "never".
func RunStudy(load StudyLoader, colour string, refresh time.Duration) (t StudyTrial, ok bool, err error) {
	if !validColor(colour) {
		return t, false, fmt.Errorf("--color must be auto, always or never, not %q", colour)
	}
	if load == nil {
		return t, false, fmt.Errorf("study view: no loader")
	}
	if refresh <= 0 {
		refresh = StudyRefresh
	}
	m := newStudyModel(load, colour, refresh)
	final, err := tea.NewProgram(m, programOptions(Options{Color: m.mode})...).Run()
	if err != nil {
		return t, false, err
	}
	if fm, isStudy := final.(studyModel); isStudy && fm.chosen != nil {
		return *fm.chosen, true, nil
	}
	return t, false, nil
}

func (m studyModel) loadCmd() tea.Cmd {
	load := m.load
	return func() tea.Msg {
		s, err := load()
		return studyLoadedMsg{s: s, err: err}
	}
}

func (m studyModel) Init() tea.Cmd { return m.loadCmd() }

func (m studyModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.ColorProfileMsg:
		if m.mode == "auto" && !noColorEnv() {
			m.colour = msg.Profile > colorprofile.ASCII
		}
	case studyLoadedMsg:
		m.err = msg.err
		if msg.err == nil {
			m.s, m.loaded = msg.s, true
			m.sel = clamp(m.sel, 0, max(len(m.top())-1, 0))
		}
		refresh := m.refresh
		return m, tea.Tick(refresh, func(time.Time) tea.Msg { return studyTickMsg{} })
	case studyTickMsg:
		return m, m.loadCmd()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.left):
			m.sel = max(m.sel-1, 0)
		case key.Matches(msg, m.keys.right):
			m.sel = clamp(m.sel+1, 0, max(len(m.top())-1, 0))
		case key.Matches(msg, m.keys.enter):
			if top := m.top(); m.sel < len(top) {
				t := top[m.sel]
				m.chosen = &t
				return m, tea.Quit
			}
		case key.Matches(msg, m.keys.reload):
			return m, m.loadCmd()
		}
	}
	return m, nil
}

func (m studyModel) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "infomorph-tui · " + m.s.Title
	return v
}

// top is the complete trials, best validation accuracy first (the lower
// number on ties).
func (m studyModel) top() []StudyTrial {
	var out []StudyTrial
	for _, t := range m.s.Trials {
		if t.State == TrialComplete && finite(t.Val) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b StudyTrial) int {
		switch {
		case a.Val > b.Val:
			return -1
		case a.Val < b.Val:
			return 1
		}
		return a.Number - b.Number
	})
	return out
}

// render is the screen.
func (m studyModel) render() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	st := m.st
	inner, innerH := m.w-2, m.h-2
	fr := frame{title: m.s.Title, hint: "q quit", focused: true}
	if fr.title == "" {
		fr.title = "study"
	}
	if !m.loaded {
		msg := "reading the study…"
		if m.err != nil {
			msg = "cannot read the study: " + m.err.Error()
		}
		return fr.render(st, []string{st.dim.Render(msg)}, m.w, m.h)
	}
	body := []string{st.text.Render(m.s.About), m.summary(), st.dim.Render("objective: validation accuracy · test accuracy shown, never used to choose")}
	if m.err != nil {
		body = append(body, st.failed.Render("last read failed: "+m.err.Error()))
	}
	table := m.table(inner)
	foot := []string{m.running(), st.helpKey.Render("←→") + st.helpDesc.Render(" select · ") + st.helpKey.Render("enter") +
		st.helpDesc.Render(" open its γ in the lab · ") + st.helpKey.Render("r") + st.helpDesc.Render(" reload · ") +
		st.helpKey.Render("q") + st.helpDesc.Render(" quit")}
	chartH := innerH - len(body) - len(table) - len(foot) - 2
	if chartH < 5 { // too short for both: shrink the table
		keep := max(len(table)-(5-chartH), 2)
		table = append(table[:keep-1:keep-1], st.dim.Render("…"))
		chartH = innerH - len(body) - len(table) - len(foot) - 2
	}
	body = append(body, "")
	if chartH >= 3 {
		body = append(body, m.chart(inner, chartH)...)
	}
	body = append(body, "")
	body = append(body, table...)
	for len(body) < innerH-len(foot) {
		body = append(body, "")
	}
	body = append(body, foot...)
	return fr.render(st, body, m.w, m.h)
}

// summary counts the trials and names the best.
func (m studyModel) summary() string {
	n := map[string]int{}
	for _, t := range m.s.Trials {
		n[t.State]++
	}
	s := fmt.Sprintf("%d of %d trials · %d complete · %d pruned · %d failed", len(m.s.Trials), m.s.Target,
		n[TrialComplete], n[TrialPruned], n[TrialFailed])
	if r := n[TrialRunning] + n[TrialWaiting]; r > 0 {
		s += fmt.Sprintf(" · %d running or waiting", r)
	}
	if top := m.top(); len(top) > 0 {
		s += fmt.Sprintf(" · best %s (#%d)", studyPct(top[0].Val), top[0].Number)
	}
	return m.st.bold.Render(s)
}

// running lists the trials in progress.
func (m studyModel) running() string {
	var ns []string
	for _, t := range m.s.Trials {
		if t.State == TrialRunning || t.State == TrialWaiting {
			ns = append(ns, fmt.Sprintf("#%d", t.Number))
		}
	}
	if len(ns) == 0 {
		return m.st.dim.Render("no trial running")
	}
	return m.st.dim.Render("in progress: " + strings.Join(ns, " "))
}

func studyPct(f float64) string {
	if !finite(f) {
		return "–"
	}
	return fmt.Sprintf("%.2f%%", 100*f)
}

// chart draws validation accuracy against trial number: complete trials •,
// pruned ×, the best so far as a line, the selected trial ◆.
func (m studyModel) chart(w, h int) []string {
	st := m.st
	const labW = 6
	pw, ph := w-labW-1, h-2 // plot area; two rows for the axis
	if pw < 4 || ph < 1 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	last := max(m.s.Target-1, 1)
	for _, t := range m.s.Trials {
		last = max(last, t.Number)
		if (t.State == TrialComplete || t.State == TrialPruned) && finite(t.Val) {
			lo, hi = math.Min(lo, t.Val), math.Max(hi, t.Val)
		}
	}
	if lo > hi {
		lo, hi = 0, 1
	}
	if hi-lo < 0.01 {
		lo, hi = lo-0.005, hi+0.005
	}
	col := func(n int) int { return clamp(int(math.Round(float64(n)/float64(last)*float64(pw-1))), 0, pw-1) }
	row := func(v float64) int { return clamp(int(math.Round((hi-v)/(hi-lo)*float64(ph-1))), 0, ph-1) }
	type cell struct {
		r     string
		style int // 0 blank, 1 best line, 2 pruned, 3 complete, 4 failed, 5 selected
	}
	grid := make([][]cell, ph)
	for i := range grid {
		grid[i] = make([]cell, pw)
	}
	put := func(r, c int, s string, style int) {
		if style >= grid[r][c].style {
			grid[r][c] = cell{s, style}
		}
	}
	// best so far: a step line from the first complete trial on
	best, bestCol := math.NaN(), -1
	trials := slices.Clone(m.s.Trials)
	slices.SortFunc(trials, func(a, b StudyTrial) int { return a.Number - b.Number })
	for _, t := range trials {
		if t.State != TrialComplete || !finite(t.Val) {
			continue
		}
		c := col(t.Number)
		if bestCol >= 0 {
			for x := bestCol; x < c; x++ {
				put(row(best), x, "─", 1)
			}
		}
		if math.IsNaN(best) || t.Val > best {
			best = t.Val
		}
		bestCol = c
	}
	if bestCol >= 0 {
		end := col(len(trials) - 1)
		if n := trials[len(trials)-1].Number; n > 0 {
			end = col(n)
		}
		for x := bestCol; x <= end; x++ {
			put(row(best), x, "─", 1)
		}
	}
	var sel = -1
	if top := m.top(); m.sel < len(top) {
		sel = top[m.sel].Number
	}
	for _, t := range trials {
		c := col(t.Number)
		switch {
		case t.State == TrialFailed:
			put(ph-1, c, "!", 4)
		case !finite(t.Val):
		case t.Number == sel:
			put(row(t.Val), c, "◆", 5)
		case t.State == TrialPruned:
			put(row(t.Val), c, "×", 2)
		case t.State == TrialComplete:
			put(row(t.Val), c, "•", 3)
		}
	}
	styleOf := []func(...string) string{nil, st.marker.Render, st.val.Render, st.train.Render, st.failed.Render, st.cursor.Render}
	out := make([]string, 0, h)
	for r := range grid {
		lab := ""
		switch r {
		case 0:
			lab = fmt.Sprintf("%.1f", 100*hi)
		case ph - 1:
			lab = fmt.Sprintf("%.1f", 100*lo)
		case (ph - 1) / 2:
			if ph >= 5 {
				lab = fmt.Sprintf("%.1f", 100*(hi-(hi-lo)*float64(r)/float64(ph-1)))
			}
		}
		var b strings.Builder
		b.WriteString(st.label.Render(padLeft(lab, labW-1)) + st.axis.Render(" ┤"))
		for _, c := range grid[r] {
			if c.style == 0 {
				b.WriteByte(' ')
				continue
			}
			b.WriteString(styleOf[c.style](c.r))
		}
		out = append(out, b.String())
	}
	out = append(out, strings.Repeat(" ", labW)+st.axis.Render("└"+strings.Repeat("─", pw)))
	left, right := "0", fmt.Sprint(last)
	mid := "trial  · • complete  × pruned  ─ best so far  val. acc. (%)"
	gap := pw - len(left) - len(right)
	axis := left + center(mid, max(gap, 0)) + right
	if gap < widthOf(mid)+2 {
		axis = left + center("trial", max(gap, 0)) + right
	}
	out = append(out, strings.Repeat(" ", labW+1)+st.label.Render(axis))
	return out
}

// table shows the top trials side by side: one column per trial, one row
// per γ entry, then validation and test accuracy.
func (m studyModel) table(w int) []string {
	st := m.st
	top := m.top()
	if len(top) == 0 {
		return []string{st.dim.Render("no complete trial yet")}
	}
	labW := len("test (recorded)") + 1
	for _, n := range m.s.Names {
		labW = max(labW, widthOf("γ"+n)+1)
	}
	const colW = 9
	k := clamp((w-labW)/colW, 1, 8)
	first := 0 // scroll so that the selection shows
	if m.sel >= k {
		first = m.sel - k + 1
	}
	shown := top[first:min(first+k, len(top))]
	head := studyPad(st.dim.Render(fmt.Sprintf("top %d of %d", len(shown), len(top))), labW)
	for i, t := range shown {
		txt := fmt.Sprintf("#%d", t.Number)
		if first+i == 0 {
			txt += "★"
		}
		if first+i == m.sel {
			head += st.cursor.Render(padLeft("▸"+txt, colW))
		} else {
			head += st.bold.Render(padLeft(txt, colW))
		}
	}
	out := []string{head}
	for j, n := range m.s.Names {
		name := "γ" + n
		if n == "h_res" {
			name = "γ_res"
		}
		line := studyPad(st.label.Render(name), labW)
		for i, t := range shown {
			v := "–"
			if j < len(t.Gamma) {
				v = signed(t.Gamma[j], 2)
			}
			s := st.text
			if first+i == m.sel {
				s = st.selected
			}
			line += s.Render(padLeft(v, colW))
		}
		out = append(out, line)
	}
	for _, row := range []struct {
		name string
		of   func(StudyTrial) float64
		s    func(...string) string
	}{{"validation", func(t StudyTrial) float64 { return t.Val }, st.val.Render},
		{"test (recorded)", func(t StudyTrial) float64 { return t.Test }, st.dim.Render}} {
		line := studyPad(st.label.Render(row.name), labW)
		for _, t := range shown {
			line += row.s(padLeft(studyPct(row.of(t)), colW))
		}
		out = append(out, line)
	}
	return out
}

// padRight left-aligns s in width w.
func studyPad(s string, w int) string {
	if sw := widthOf(s); sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

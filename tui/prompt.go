package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

type promptKind int

const (
	askGamma    promptKind = iota // a typed γ for one atom
	askBaseline                   // the path of a run file to compare with
	askSeeds                      // K, the seeds trained side by side
)

// prompt is a one-line question in the footer: what is asked, the text typed
// so far and, for a γ, which atom it sets. While it is open every key goes to it.
type prompt struct {
	kind        promptKind
	label       string
	text        []rune
	layer, atom int
}

// promptKey edits the open prompt; enter submits it, esc cancels.
func (m Model) promptKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	p := m.ask
	switch k.String() {
	case "esc", "ctrl+c":
		m.ask = nil
		return m, m.setFlash(flashInfo, "cancelled")
	case "enter":
		m.ask = nil
		return m.submit(p, strings.TrimSpace(string(p.text)))
	case "backspace":
		if n := len(p.text); n > 0 {
			p.text = p.text[:n-1]
		}
	case "ctrl+u":
		p.text = nil
	default:
		if k.Text != "" {
			p.text = append(p.text, []rune(k.Text)...)
		}
	}
	return m, nil
}

// submit acts on a prompt's answer.
func (m Model) submit(p *prompt, text string) (tea.Model, tea.Cmd) {
	switch p.kind {
	case askGamma:
		v, err := parseGamma(text)
		if err != nil {
			return m, m.setFlash(flashErr, "γ not changed: "+err.Error())
		}
		return m.emit(m.goal.setTyped(p.layer, p.atom, v))
	case askBaseline:
		if text == "" {
			return m, m.setFlash(flashInfo, "no file given: the baseline is unchanged")
		}
		return m, tea.Batch(m.setFlash(flashInfo, "reading "+text+"…"), loadBaselineCmd(m.opts.LoadBaseline, text))
	case askSeeds:
		return m.startSeeds(text)
	}
	return m, nil
}

// parseGamma reads a typed γ: a number in [−2, 2] ("−" accepted for "-").
func parseGamma(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "−", "-")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v < -2 || v > 2 {
		return 0, fmt.Errorf("%g is outside −2…2", v)
	}
	return v, nil
}

// promptView is the footer line of an open prompt, with a block cursor.
func (m Model) promptView() string {
	st := m.c.st
	p := m.ask
	hint := "enter sets · esc cancels"
	switch p.kind {
	case askBaseline:
		hint = "enter loads · esc cancels"
	case askSeeds:
		hint = "enter starts · esc cancels"
	}
	return spread(" "+st.dialogTitle.Render(p.label)+" "+st.text.Render(string(p.text))+st.cursor.Render("█"),
		st.helpDesc.Render(hint+" "), m.c.width)
}

// textBox is a read-only box over the lab (the γ vector as JSON); any key
// closes it.
type textBox struct {
	title string
	lines []string
}

func (m Model) textBoxView() string {
	st := m.c.st
	w := max(m.c.width-10, 20)
	var body []string
	for _, l := range m.box.lines {
		body = append(body, strings.Split(ansi.Hardwrap(l, w, true), "\n")...)
	}
	text := st.dialogTitle.Render(m.box.title) + "\n\n" + strings.Join(body, "\n") +
		"\n\n" + st.dim.Render("select and copy with the mouse · any key closes")
	return st.dialog.BorderForeground(oiSky).Render(text)
}

// gammaJSON shows every layer's current γ as the preset files write it, and
// the first layer's as `run --gamma` takes it.
func (m Model) gammaJSON() *textBox {
	g := m.goal
	b := &textBox{title: "γ as a preset's JSON"}
	var first []string
	for i, l := range g.layers {
		parts := make([]string, len(g.gamma[i]))
		for k, v := range g.gamma[i] {
			parts[k] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		b.lines = append(b.lines, fmt.Sprintf("%s: \"gamma\": [%s]", l.Name, strings.Join(parts, ", ")))
		if i == 0 {
			first = parts
		}
	}
	if first != nil {
		b.lines = append(b.lines, "", "run --gamma "+strings.Join(first, ","))
	}
	return b
}

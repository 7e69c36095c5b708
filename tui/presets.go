package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// loadPresetMsg asks the root to load a preset (Enter on the list).
type loadPresetMsg struct{ name string }

// presetUnavailableMsg reports Enter on a disabled preset.
type presetUnavailableMsg struct{ info PresetInfo }

// presetPane lists the presets with one-line descriptions.
type presetPane struct {
	c       *common
	items   []PresetInfo
	cursor  int
	offset  int
	loaded  string
	focused bool
	w, h    int
}

func newPresetPane(c *common, items []PresetInfo) *presetPane {
	return &presetPane{c: c, items: items}
}

func (p *presetPane) SetSize(w, h int)        { p.w, p.h = w, h }
func (p *presetPane) Title() string           { return "Presets" }
func (p *presetPane) Focusable() bool         { return true }
func (p *presetPane) SetFocused(focused bool) { p.focused = focused }

// HelpKeys: move through the list, load the preset under the cursor.
func (p *presetPane) HelpKeys() []key.Binding { return []key.Binding{p.c.keys.Select, p.c.keys.Load} }

// wantRows is the height the pane would like: the list plus a detail block.
func (p *presetPane) wantRows() int { return len(p.items) + 4 }

// point moves the cursor to the named preset.
func (p *presetPane) point(name string) {
	for i, it := range p.items {
		if it.Name == name {
			p.cursor = i
		}
	}
}

// Update moves the cursor (keys, wheel) and asks the root to load the preset
// chosen with enter or a second click.
func (p *presetPane) Update(msg tea.Msg) tea.Msg {
	if len(p.items) == 0 {
		return nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p.key(msg)
	case clickMsg:
		row := msg.y - 1 // below the border
		if i := p.offset + row; row >= 0 && i < len(p.items) && row < p.h-2 {
			if i == p.cursor {
				return p.choose()
			}
			p.cursor = i
		}
	case wheelMsg:
		p.cursor = clamp(p.cursor+msg.d, 0, len(p.items)-1)
	}
	return nil
}

func (p *presetPane) key(msg tea.KeyPressMsg) tea.Msg {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(msg, k.Down):
		p.cursor = min(p.cursor+1, len(p.items)-1)
	case key.Matches(msg, k.Top):
		p.cursor = 0
	case key.Matches(msg, k.Bottom):
		p.cursor = len(p.items) - 1
	case key.Matches(msg, k.Load):
		return p.choose()
	}
	return nil
}

// choose reports the preset under the cursor for loading.
func (p *presetPane) choose() tea.Msg {
	it := p.items[p.cursor]
	if !it.Available {
		return presetUnavailableMsg{info: it}
	}
	return loadPresetMsg{name: it.Name}
}

func (p *presetPane) View() string {
	st := p.c.st
	fr := frame{title: p.Title(), focused: p.focused, hint: "enter load"}
	inner, innerH := p.w-2, p.h-2
	if len(p.items) == 0 {
		return fr.render(st, []string{st.dim.Render(" no presets")}, p.w, p.h)
	}
	// detail block below the list when there is room
	detailRows := 0
	if innerH-len(p.items) >= 2 {
		detailRows = min(innerH-len(p.items)-1, 3)
	}
	rows := max(innerH-detailRows-boolInt(detailRows > 0), 1)
	p.offset = clamp(p.offset, max(p.cursor-rows+1, 0), p.cursor)
	p.offset = clamp(p.offset, 0, max(len(p.items)-rows, 0))

	nameW := 0
	for _, it := range p.items {
		nameW = max(nameW, ansi.StringWidth(it.Name))
	}
	nameW = min(nameW, max(inner-4, 1))
	var body []string
	for r := range rows {
		i := p.offset + r
		if i >= len(p.items) {
			body = append(body, "")
			continue
		}
		body = append(body, p.row(i, nameW, inner))
	}
	if detailRows > 0 {
		body = append(body, st.faint.Render(strings.Repeat("─", inner)))
		body = append(body, p.detail(inner, detailRows)...)
	}
	return fr.render(st, body, p.w, p.h)
}

func (p *presetPane) row(i, nameW, inner int) string {
	st := p.c.st
	it := p.items[i]
	var b strings.Builder
	switch {
	case i == p.cursor && p.focused:
		b.WriteString(st.cursor.Render("▸"))
	case i == p.cursor:
		b.WriteString(st.cursorBlur.Render("▸"))
	default:
		b.WriteString(" ")
	}
	switch {
	case !it.Available:
		b.WriteString(st.disabled.Render("⊘"))
	case it.Name == p.loaded:
		b.WriteString(st.running.Render("●"))
	default:
		b.WriteString(" ")
	}
	b.WriteString(" ")
	name := fit(it.Name, nameW)
	desc := it.Description
	switch {
	case !it.Available:
		b.WriteString(st.disabled.Render(name))
		desc = "unavailable: " + it.Reason
	case i == p.cursor:
		b.WriteString(st.selected.Render(name))
	default:
		b.WriteString(st.text.Render(name))
	}
	if rest := inner - 3 - nameW - 2; rest >= 8 {
		b.WriteString("  ")
		b.WriteString(st.dim.Render(fit(desc, rest)))
	}
	return b.String()
}

// detail wraps the cursor item's description (or why it is disabled).
func (p *presetPane) detail(w, rows int) []string {
	st := p.c.st
	it := p.items[p.cursor]
	text, style := it.Description, st.dim
	if !it.Available {
		text, style = "⊘ "+it.Reason, st.flashErr
	}
	lines := strings.Split(ansi.Wrap(text, w, " "), "\n")
	if len(lines) > rows {
		lines = lines[:rows]
		lines[rows-1] = ansi.Truncate(lines[rows-1], w-1, "") + "…"
	}
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

package tui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// FormField is one editable value of the network builder. Key is the preset
// file's field it sets, as validation errors name it ("layers[0].units"), so
// the builder can point at the field an error is about.
type FormField struct {
	Group string // the heading it is listed under ("network", a layer)
	Key   string
	Label string
	Value string
	Help  string // one line shown while the field is focused
}

// Form is a network being built from the preset Base.
type Form struct {
	Base   string
	Fields []FormField
}

// Builder turns presets into forms and forms into presets; package engines
// implements it over the preset files. The lab holds no science: which
// fields exist, what they mean and whether they are valid is the Builder's.
// Form, Reshape and Use are cheap and called on the UI goroutine; Save
// writes a file and runs as a command.
type Builder interface {
	// Form is the named preset as a form.
	Form(preset string) (Form, error)
	// Reshape applies the values and lays the fields out again (after the
	// number of layers changed).
	Reshape(f Form) (Form, error)
	// Use validates the form's preset and makes it loadable by the
	// Factory under its name.
	Use(f Form) (PresetInfo, error)
	// Save is Use, then writes the preset to the user presets; it returns
	// the file's path.
	Save(f Form) (string, error)
}

// builderSavedMsg reports a Save (ctrl+s in the builder).
type builderSavedMsg struct {
	name, path string
	info       PresetInfo
	err        error
}

// builderForm is the open builder: one text input per field.
type builderForm struct {
	form   Form
	inputs []textinput.Model
	focus  int
	offset int    // first row shown when the fields scroll
	err    string // the last refusal, shown in the box
	errKey string // the field it names ("" when none does)
}

// newBuilderForm opens f with the field named focusKey focused (the first
// when none is).
func newBuilderForm(c *common, f Form, focusKey string) *builderForm {
	b := &builderForm{form: f}
	for i, fd := range f.Fields {
		in := textinput.New()
		in.Prompt = ""
		in.SetValue(fd.Value)
		in.SetStyles(inputStyles(c.st))
		in.SetWidth(fieldWidth)
		b.inputs = append(b.inputs, in)
		if fd.Key == focusKey {
			b.focus = i
		}
	}
	b.setFocus(b.focus)
	return b
}

// fieldWidth is the visible width of a field's input.
const fieldWidth = builderColW - builderLabel - 3

func inputStyles(st *styles) textinput.Styles {
	s := textinput.DefaultDarkStyles()
	s.Focused.Text = st.selected
	s.Blurred.Text = st.text
	s.Cursor.Color = oiSky
	s.Cursor.Blink = false // a steady cursor: the screen follows the keys alone
	return s
}

func (b *builderForm) setFocus(i int) {
	if len(b.inputs) == 0 {
		return
	}
	b.inputs[b.focus].Blur()
	b.inputs[b.focus].CursorStart() // a field not edited shows its start
	b.focus = (i + len(b.inputs)) % len(b.inputs)
	b.inputs[b.focus].Focus()
	b.inputs[b.focus].CursorEnd()
}

// values is the form with the inputs' current text.
func (b *builderForm) values() Form {
	f := Form{Base: b.form.Base, Fields: append([]FormField(nil), b.form.Fields...)}
	for i := range f.Fields {
		f.Fields[i].Value = b.inputs[i].Value()
	}
	return f
}

// key returns the focused field's key.
func (b *builderForm) key() string {
	if len(b.form.Fields) == 0 {
		return ""
	}
	return b.form.Fields[b.focus].Key
}

// refuse shows err in the box and marks the field it names: the longest
// field key the message starts with (errors read "layers[1].units: …").
func (b *builderForm) refuse(err error) {
	b.err, b.errKey = err.Error(), ""
	for _, fd := range b.form.Fields {
		if len(fd.Key) > len(b.errKey) && (strings.HasPrefix(b.err, fd.Key+":") || strings.HasPrefix(b.err, fd.Key+".")) {
			b.errKey = fd.Key
		}
	}
}

// openBuilder opens the builder on the preset under the preset list's
// cursor.
func (m Model) openBuilder() (tea.Model, tea.Cmd) {
	if m.opts.Builder == nil {
		return m, m.setFlash(flashErr, "this lab has no network builder")
	}
	name := m.presets.current()
	if name == "" {
		return m, m.setFlash(flashErr, "no preset to build from")
	}
	f, err := m.opts.Builder.Form(name)
	if err == nil && len(f.Fields) == 0 {
		err = errors.New(name + " has nothing to edit")
	}
	if err != nil {
		return m, m.setFlash(flashErr, "builder: "+err.Error())
	}
	m.bld = newBuilderForm(m.c, f, "")
	return m, nil
}

// builderKey edits the open builder: tab, shift+tab, ↑ and ↓ move between
// fields, enter starts a run of the network, ctrl+s saves it as a user
// preset, esc closes; every other key edits the focused field.
func (m Model) builderKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	b := m.bld
	switch k.String() {
	case "esc":
		m.bld = nil
		return m, m.setFlash(flashInfo, "builder closed")
	case "tab", "down":
		m.moveBuilder(1)
		return m, nil
	case "shift+tab", "up":
		m.moveBuilder(-1)
		return m, nil
	case "enter":
		return m.startBuilt()
	case "ctrl+s":
		f := b.values()
		bld := m.opts.Builder
		return m, tea.Batch(m.setFlash(flashInfo, "saving the preset…"), func() tea.Msg {
			path, err := bld.Save(f)
			msg := builderSavedMsg{path: path, err: err}
			if err == nil {
				msg.info, msg.err = bld.Use(f) // the list entry; the preset is already in
				msg.name = msg.info.Name
			}
			return msg
		})
	}
	var cmd tea.Cmd
	b.inputs[b.focus], cmd = b.inputs[b.focus].Update(k)
	return m, cmd
}

// moveBuilder moves the focus d fields on; leaving a changed "layers" (or
// "dataset") field lays the form out again with that many layers (and that
// readout). A refused layout is said, and the focus moves on all the same:
// enter and ctrl+s apply the count anyway.
func (m *Model) moveBuilder(d int) {
	b := m.bld
	if k := b.key(); (k == "layers" || k == "dataset") && b.inputs[b.focus].Value() != b.form.Fields[b.focus].Value {
		f, err := m.opts.Builder.Reshape(b.values())
		if err == nil && len(f.Fields) == 0 {
			err = errors.New(k + ": the builder returned no fields")
		}
		if err != nil {
			b.refuse(err)
			b.setFocus(b.focus + d)
			return
		}
		next := ""
		if i := b.focus + d; i >= 0 && i < len(b.form.Fields) {
			next = b.form.Fields[i].Key
		}
		*b = *newBuilderForm(m.c, f, next)
		return
	}
	b.setFocus(b.focus + d)
}

// startBuilt validates the form and loads a run of its network (asking to
// save the current run first, as loading any preset does).
func (m Model) startBuilt() (tea.Model, tea.Cmd) {
	b := m.bld
	info, err := m.opts.Builder.Use(b.values())
	if err != nil {
		b.refuse(err)
		return m, m.setFlash(flashErr, "✗ "+err.Error())
	}
	m.bld = nil
	m.addPreset(info)
	return m.confirmThen(&pendingAction{kind: actLoad, preset: info.Name})
}

// onBuilderSaved lists the saved preset.
func (m Model) onBuilderSaved(msg builderSavedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		if m.bld != nil {
			m.bld.refuse(msg.err)
		}
		return m, m.setFlash(flashErr, "✗ not saved: "+msg.err.Error())
	}
	m.addPreset(msg.info)
	if m.bld != nil {
		m.bld.err, m.bld.errKey = "", ""
	}
	return m, m.setFlash(flashOK, "✓ saved preset "+msg.name+" to "+msg.path)
}

// addPreset lists a built preset (replacing the entry of the same name).
func (m *Model) addPreset(info PresetInfo) {
	for i, p := range m.opts.Presets {
		if p.Name == info.Name {
			m.opts.Presets[i] = info
			m.presets.items = m.opts.Presets
			return
		}
	}
	m.opts.Presets = append(m.opts.Presets, info)
	m.presets.items = m.opts.Presets
	m.relayout()
}

// current is the name of the preset under the list's cursor ("" when the
// list is empty).
func (p *presetPane) current() string {
	if p.cursor < 0 || p.cursor >= len(p.items) {
		return ""
	}
	return p.items[p.cursor].Name
}

package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Okabe–Ito, the colour-blind safe palette (black swapped for grey on dark
// terminals). Meaning never rests on colour alone: every coloured mark also
// has a name, a glyph or a position.
var (
	oiOrange    = lipgloss.Color("#E69F00")
	oiSky       = lipgloss.Color("#56B4E9")
	oiGreen     = lipgloss.Color("#009E73")
	oiYellow    = lipgloss.Color("#F0E442")
	oiBlue      = lipgloss.Color("#0072B2")
	oiVermilion = lipgloss.Color("#D55E00")
	oiPurple    = lipgloss.Color("#CC79A7")
	oiGrey      = lipgloss.Color("#999999")
)

// atomPalette colours atoms by position; bivariate layers get {1} sky,
// {2} orange, {1}{2} green, {12} purple. h_res is always grey.
var atomPalette = []color.Color{oiSky, oiOrange, oiGreen, oiPurple, oiYellow, oiBlue, oiVermilion}

// atomGlyphs texture bar segments so neighbours differ without colour.
var atomGlyphs = []string{"█", "▓", "▒", "░", "▚", "▞", "▙", "▜"}

// hresGlyph marks the unexplained part of H(Y).
const hresGlyph = "·"

func atomColor(i int, hres bool) color.Color {
	if hres {
		return oiGrey
	}
	return atomPalette[i%len(atomPalette)]
}

func atomGlyph(i int, hres bool) string {
	if hres {
		return hresGlyph
	}
	return atomGlyphs[i%len(atomGlyphs)]
}

// styles is the lab's look, built once and shared.
type styles struct {
	app, appName                        lipgloss.Style
	border, borderFocus                 lipgloss.Style
	title, titleFocus                   lipgloss.Style
	text, bold, dim, faint, accent      lipgloss.Style
	running, paused, failed, loading    lipgloss.Style
	cursor, cursorBlur, selected        lipgloss.Style
	disabled                            lipgloss.Style
	sliderFill, sliderTrack, sliderKnob lipgloss.Style
	sliderKnobEdited, sliderZero        lipgloss.Style
	axis, label, marker                 lipgloss.Style
	train, val, test                    lipgloss.Style
	flashInfo, flashOK, flashErr        lipgloss.Style
	helpKey, helpDesc, helpSep          lipgloss.Style
	dialog, dialogTitle                 lipgloss.Style
	tooSmall                            lipgloss.Style
	scrollTrack, scrollThumb            lipgloss.Style
}

func newStyles() *styles {
	n := lipgloss.NewStyle
	grey := lipgloss.Color("#5F5F5F")
	light := lipgloss.Color("#D0D0D0")
	mid := lipgloss.Color("#8A8A8A")
	s := &styles{
		app:         n().Bold(true).Foreground(lipgloss.Color("#1C1C1C")).Background(oiSky).Padding(0, 1),
		appName:     n().Bold(true).Foreground(light),
		border:      n().Foreground(grey),
		borderFocus: n().Foreground(oiSky),
		title:       n().Foreground(mid),
		titleFocus:  n().Bold(true).Foreground(oiSky),
		text:        n().Foreground(light),
		bold:        n().Bold(true).Foreground(light),
		dim:         n().Foreground(mid),
		faint:       n().Foreground(grey),
		accent:      n().Foreground(oiSky),
		running:     n().Bold(true).Foreground(oiGreen),
		paused:      n().Bold(true).Foreground(oiYellow),
		failed:      n().Bold(true).Foreground(oiVermilion),
		loading:     n().Foreground(oiSky),
		cursor:      n().Bold(true).Foreground(oiSky),
		cursorBlur:  n().Foreground(mid),
		selected:    n().Bold(true).Foreground(light),
		disabled:    n().Foreground(grey),

		sliderFill:       n().Foreground(oiSky),
		sliderTrack:      n().Foreground(grey),
		sliderKnob:       n().Bold(true).Foreground(light),
		sliderKnobEdited: n().Bold(true).Foreground(oiOrange),
		sliderZero:       n().Foreground(mid),

		axis:   n().Foreground(grey),
		label:  n().Foreground(mid),
		marker: n().Foreground(oiYellow),
		train:  n().Foreground(oiSky),
		val:    n().Foreground(oiOrange),
		test:   n().Foreground(oiGreen),

		flashInfo: n().Foreground(light),
		flashOK:   n().Foreground(oiGreen),
		flashErr:  n().Bold(true).Foreground(oiVermilion),
		helpKey:   n().Foreground(light),
		helpDesc:  n().Foreground(mid),
		helpSep:   n().Foreground(grey),

		dialog:      n().Border(lipgloss.RoundedBorder()).BorderForeground(oiOrange).Padding(0, 2),
		dialogTitle: n().Bold(true).Foreground(oiOrange),
		tooSmall:    n().Bold(true).Foreground(oiOrange),
		scrollTrack: n().Foreground(grey),
		scrollThumb: n().Foreground(mid),
	}
	return s
}

// atomStyleFor is the foreground style of atom i.
func atomStyleFor(i int, hres bool) lipgloss.Style {
	return lipgloss.NewStyle().Foreground(atomColor(i, hres))
}

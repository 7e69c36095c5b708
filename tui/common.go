package tui

import "time"

// common is the context every component embeds (after soft-serve): styles,
// keys, the terminal size and whether colour is on. One instance is shared, so
// a colour-profile change reaches every pane.
type common struct {
	width, height int
	st            *styles
	keys          *keyMap
	color         bool // false: no colour at all (NO_COLOR, --color never, ASCII terminals)
	fullY         bool // charts show their whole scale (0–100%) instead of fitting the data
	spread        bool // the atoms pane shows each atom's spread over neurons instead of the mean
	now           func() time.Time
}

package tui

import (
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
)

type flashKind int

const (
	flashInfo flashKind = iota
	flashOK
	flashErr
)

// flash is a one-line message in the footer (saved path, errors…).
type flash struct {
	id   int
	kind flashKind
	text string
}

// flashExpiredMsg clears flash id if it is still the one shown.
type flashExpiredMsg struct{ id int }

func newFlash(kind flashKind, text string) flash { return flash{id: -1, kind: kind, text: text} }

// flashSeq numbers flashes; it only grows, so a stale expiry never clears a
// newer message.
var flashSeq = newCounter()

// setFlash shows text and returns the command that expires it (errors and
// saved paths stay longer).
func (m *Model) setFlash(kind flashKind, text string) tea.Cmd {
	id := flashSeq()
	m.flash = flash{id: id, kind: kind, text: text}
	d := 6 * time.Second
	if kind != flashInfo {
		d = 15 * time.Second
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return flashExpiredMsg{id: id} })
}

// expireFlash clears the message msg was scheduled for, unless a newer one
// has replaced it.
func (m *Model) expireFlash(msg flashExpiredMsg) {
	if msg.id == m.flash.id {
		m.flash = flash{}
	}
}

// newCounter returns a goroutine-safe, ever-increasing sequence.
func newCounter() func() int {
	var n atomic.Int64
	return func() int { return int(n.Add(1)) }
}

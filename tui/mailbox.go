package tui

import (
	"sync"

	tea "charm.land/bubbletea/v2"
	"infomorph-tui/tasks"
)

// workerMsg is what a worker posts to the UI. Posts coalesce in a mailbox until
// the UI takes them: the latest state wins, while the one-off parts (ready,
// failure, errors, γ corrections) accumulate, so nothing of note is lost.
type workerMsg struct {
	gen      int          // worker generation; the UI drops messages of old workers
	ready    *engineInfo  // set once, when the factory returned an engine
	failed   error        // the factory failed; the worker has exited
	state    *workerState // latest progress
	errs     []string     // command errors (rejected γ, failed reset…)
	gammaFix []gammaRecord
	saved    []savedMsg // run files written by the engine (RunSaver)
	base     *baseState // news of the forked baseline (latest wins)
	seeds    *seedState // news of the seed runs (latest wins; histories kept when a post has none)
	eval     *evalState // an epoch-end evaluation in progress (nil: none, or it ended)
	gallery  *gallery   // receptive fields asked for (latest wins)
	done     bool       // the worker has exited and posts nothing more
}

// engineInfo is the static description of a freshly loaded engine.
type engineInfo struct {
	preset      string
	seed        uint64
	layers      []LayerInfo
	gamma       [][]float64
	presetGamma [][]float64
	memory      *memoryInfo // set when the engine is a MemoryView
	saver       bool        // the engine writes its own run files (RunSaver)
	forker      bool        // the engine can fork a baseline (Forker)
	unsaveable  string      // why its runs cannot be saved (Unsaveable), else ""
	epoch       int         // finished epochs when loaded (a resumed run has some)
	halted      string      // why it cannot train from the start (a diverged or read-only run), else ""
}

// memoryInfo describes a memory engine: its stored patterns and score names.
type memoryInfo struct {
	patterns int
	labels   [3]string
}

// picture is a stored pattern and the state recalled from it.
type picture struct {
	k                 int
	rows, cols        int
	pattern, recalled []int8
	seq               int // changes whenever recalled may have changed
}

// workerState is an immutable picture of the worker's engine.
type workerState struct {
	snap     tasks.Snapshot
	running  bool
	runSeq   int    // increments at every reset: a new run
	ack      int    // sequence number of the last command the worker applied
	halted   string // why training stopped for good (divergence or a fatal error)
	field    field
	picture  *picture // nil: none posted (not a memory engine)
	gammaLog []gammaRecord
	logVer   int // changes whenever gammaLog does
}

// field is a copy of one neuron's receptive field.
type field struct {
	layer, neuron int
	w             []float64
	rows, cols    int
	ok            bool
	projected     bool // w is carried down through the layers below (FieldProjector)
	seq           int  // changes whenever w may have changed
}

// gammaRecord is one entry of the γ history: a layer's whole vector, in force
// from training step Step on.
type gammaRecord struct {
	Step  int       `json:"step"`
	Layer int       `json:"layer"`
	Name  string    `json:"layer_name"`
	Gamma []float64 `json:"gamma"`
}

// mailbox holds the worker's pending post for the UI.
type mailbox struct {
	gen     int
	mu      sync.Mutex
	pending workerMsg
	has     bool
	notify  chan struct{} // capacity 1: "something is pending"
	closed  chan struct{} // closed when the worker has exited
}

func newMailbox(gen int) *mailbox {
	return &mailbox{
		gen:     gen,
		pending: workerMsg{gen: gen},
		notify:  make(chan struct{}, 1),
		closed:  make(chan struct{}),
	}
}

// put merges into the pending post with fn and wakes the listener.
func (b *mailbox) put(fn func(*workerMsg)) {
	b.mu.Lock()
	fn(&b.pending)
	b.has = true
	b.mu.Unlock()
	select {
	case b.notify <- struct{}{}:
	default:
	}
}

// waiting reports whether a post waits to be taken.
func (b *mailbox) waiting() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.has
}

// take removes and returns the pending post, if any.
func (b *mailbox) take() (workerMsg, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.has {
		return workerMsg{}, false
	}
	m := b.pending
	b.pending = workerMsg{gen: b.gen}
	b.has = false
	return m, true
}

// listen is the command that waits for the next post. It returns a done
// message once the worker has exited and everything was delivered.
func (b *mailbox) listen() tea.Cmd {
	return func() tea.Msg {
		select {
		case <-b.notify:
		case <-b.closed:
		}
		if m, ok := b.take(); ok {
			return m
		}
		select {
		case <-b.closed:
			return workerMsg{gen: b.gen, done: true}
		default:
			return workerMsg{gen: b.gen} // spurious wake-up: an empty post
		}
	}
}

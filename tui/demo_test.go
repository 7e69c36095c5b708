package tui

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestDemoPacing: a paced worker trains one batch per tick and posts every
// batch, in order, so a recording shows each step.
func TestDemoPacing(t *testing.T) {
	w := newWorker(1, fakeFactory, "mnist-readout", 1)
	w.pace = 20 * time.Millisecond
	w.start()
	t.Cleanup(w.stop)

	const n = 8
	var seen []int
	var at []time.Time
	deadline := time.After(10 * time.Second)
	w.send(command{kind: cmdRun})
	for len(seen) == 0 || seen[len(seen)-1] < n {
		select {
		case <-w.box.notify:
		case <-deadline:
			t.Fatalf("timed out; posts so far %v", seen)
		}
		m, ok := w.box.take()
		if !ok || m.state == nil {
			continue
		}
		if k := m.state.snap.TotalSteps; k > 0 && (len(seen) == 0 || k != seen[len(seen)-1]) {
			seen = append(seen, k)
			at = append(at, time.Now())
		}
	}
	w.send(command{kind: cmdPause})
	for i, k := range seen {
		if k != i+1 {
			t.Fatalf("posts skipped a step: %v", seen)
		}
	}
	// never faster than the clock (a slow machine may fall behind, not ahead)
	if d := at[len(at)-1].Sub(at[0]); d < time.Duration(n-2)*w.pace {
		t.Errorf("%d paced steps took %v, want ≥ %v", n-1, d, time.Duration(n-2)*w.pace)
	}
}

// TestDemoHeader: demo mode leaves wall-clock figures out of the header.
func TestDemoHeader(t *testing.T) {
	for _, demo := range []bool{false, true} {
		h := newHarness(t, Options{Preset: "mnist-readout", Demo: demo})
		h.size(120, 40)
		h.settle()
		h.keys("s")
		h.settle()
		top := strings.SplitN(h.screen(), "\n", 2)[0]
		if !strings.Contains(top, "step 1/4") {
			t.Fatalf("demo %v: header %q", demo, top)
		}
		if got := strings.Contains(top, "samples/s"); got == demo {
			t.Errorf("demo %v: header %q", demo, top)
		}
		if got := strings.Contains(top, "demo"); got != demo {
			t.Errorf("demo %v: header %q", demo, top)
		}
	}
}

// TestContextStopsWorker: cancelling Options.Context ends the training worker
// even though the program never quit through the lab.
func TestContextStopsWorker(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h := newHarness(t, Options{Preset: "mnist-readout", Context: ctx}, func(f *fakeEngine) { f.delay = time.Millisecond })
	h.size(120, 40)
	h.settle()
	h.keys("space")
	h.waitFor("training", func(m Model) bool { return m.run.data.snap.TotalSteps > 2 })
	cancel()
	select {
	case <-h.m.w.box.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("worker still running after the context was cancelled")
	}
}

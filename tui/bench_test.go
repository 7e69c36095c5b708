package tui

import (
	"strings"
	"testing"
	"time"
)

// history100 is the lab at 160×48 after 100 epochs; with fork (the first
// flag), the run was forked at epoch 50 (a baseline trained in step) and γ{1}
// raised; with seeds (the second), 3 seeds trained side by side from the
// start (their bands on every chart).
func history100(tb testing.TB, preset string, fork ...bool) *harness {
	tb.Helper()
	h := newHarness(tb, Options{Preset: preset, Color: "always"})
	h.size(160, 48)
	h.settle()
	if len(fork) > 1 && fork[1] {
		h.keys("K", "enter")
		h.settle()
	}
	if len(fork) > 0 && fork[0] {
		for range 50 {
			h.keys("e")
		}
		h.settle()
		h.keys("f", "L")
		h.settle()
	}
	for range 100 - h.m.run.data.snap.Epoch {
		h.keys("e") // queued: each extends the run by one epoch
	}
	h.settle()
	if e := h.m.run.data.snap.Epoch; e != 100 {
		tb.Fatalf("epochs %d", e)
	}
	h.keys("right", "right")
	h.settle()
	h.keys("s")
	h.settle()
	return h
}

// invalidate drops every cached chart, as when a new epoch or a resize arrives.
func (m Model) invalidate() {
	m.acc.key = accKey{}
	m.atoms.key = atomKey{}
	m.goal.gkey = goalKey{}
	m.insp.fkey = fieldKey{}
}

// BenchmarkView160x48 measures a full frame with all charts redrawn from 100
// epochs of history (the worst case: the cache is dropped every frame).
func BenchmarkView160x48(b *testing.B) {
	for _, preset := range []string{"mnist-context", "mnist-trivariate"} {
		b.Run(preset, func(b *testing.B) {
			h := history100(b, preset)
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				h.m.invalidate()
				_ = h.m.View()
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkView160x48Baseline is the worst case with a baseline: 100 epochs
// of the run and its fork, and of 3 seeds side by side, every chart redrawn
// with its ghosts and seed bands.
func BenchmarkView160x48Baseline(b *testing.B) {
	for _, preset := range []string{"mnist-context", "mnist-trivariate"} {
		b.Run(preset, func(b *testing.B) {
			h := history100(b, preset, true, true)
			if base := h.m.cmp.base; base == nil || len(base.hist) != 100 {
				b.Fatalf("baseline %v", base)
			}
			if sd := h.m.run.data.seeds; sd == nil || len(sd.hists) != 2 || len(sd.hists[1]) != 100 {
				b.Fatalf("seeds %+v", sd)
			}
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				h.m.invalidate()
				_ = h.m.View()
			}
			reportCPU(b, cpu)
		})
	}
}

// reportCPU adds the CPU time per frame since cpu0 (the machine may be shared).
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkView160x48Cached is the steady state while training: the charts
// come from the cache, only text panes are rebuilt.
func BenchmarkView160x48Cached(b *testing.B) {
	h := history100(b, "mnist-trivariate")
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		_ = h.m.View()
	}
	reportCPU(b, cpu)
}

// BenchmarkKeypressWhileTraining is Update(key) + View while the worker trains.
func BenchmarkKeypressWhileTraining(b *testing.B) {
	h := newHarness(b, Options{Preset: "mnist-trivariate"}, func(f *fakeEngine) { f.delay = 2 * time.Millisecond })
	h.size(160, 48)
	h.settle()
	h.keys("space")
	h.waitFor("training", func(m Model) bool { return m.run.data.snap.Epoch >= 2 })
	keys := []string{"right", "left"}
	i := 0
	for b.Loop() {
		h.keys(keys[i%2])
		_ = h.m.View()
		i++
	}
	b.StopTimer()
	h.keys("space")
	h.settle()
}

// TestKeypressWhileTrainingShowsNextFrame: while the worker is stuck inside
// a batch, a slider key and pause still show in the very next View — the UI
// never waits for the engine. (Latency itself is measured by
// BenchmarkKeypressWhileTraining, not asserted here.)
func TestKeypressWhileTrainingShowsNextFrame(t *testing.T) {
	gate := make(chan struct{})
	h := newHarness(t, Options{Preset: "mnist-context"}, func(f *fakeEngine) { f.gate = gate })
	h.size(160, 48)
	h.settle()
	h.keys("space")
	gate <- struct{}{} // let one batch through, so a snapshot arrives
	h.waitFor("a batch done", func(m Model) bool { return m.run.data.snap.TotalSteps >= 1 })

	// The worker is now blocked in the next Step until the gate opens.
	h.keys("right")
	scr := h.screen()
	if !strings.Contains(scr, "0.01*") {
		t.Fatal("the slider change is not in the next frame")
	}
	if !strings.Contains(firstLine(scr), "▶ running") {
		t.Fatal("the worker should still be training")
	}
	h.keys("space") // pause is shown at once, before the batch ends
	if !strings.Contains(firstLine(h.screen()), "⏸ paused") {
		t.Error("pause not reflected in the next frame")
	}
	close(gate)
	h.settle()
}

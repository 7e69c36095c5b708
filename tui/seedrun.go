package tui

import (
	"fmt"
	"slices"

	"infomorph-tui/tasks"
)

// maxSeeds caps the runs trained side by side (the run included): each
// costs as much CPU as the run itself.
const maxSeeds = 8

// seedRun is one more run of the current setting with its own seed, which
// the worker trains beside the run (K key). It replays the run's γ log, so
// every γ change applies to it at the same batch as to the run.
type seedRun struct {
	eng    Engine
	seed   uint64
	steps  int    // batches trained
	epoch  int    // finished epochs at the last post
	halted string // why it stopped ("" while healthy)
}

// seedState is the worker's news of the seed runs: each one's finished
// epochs (the run's own history is not repeated), and how far the slowest
// lags behind the run while it catches up.
type seedState struct {
	seq    int      // the seeds command's sequence number
	seeds  []uint64 // the other runs' seeds, in order
	hists  [][]tasks.EpochStats
	behind int // batches the slowest seed lags behind the run (0: in step)
	steps  int // batches the run has trained, for "catching up n/m"
	halted string
}

// startSeeds replaces the seed runs with k−1 fresh runs of the preset with
// seeds seed+1 … seed+k−1 (k ≤ 1: none). They start at epoch 0 and catch up
// with the run (replaying its γ log) before they train in step with it.
func (s *session) startSeeds(k, seq int) {
	s.seeds, s.seedSeq, s.seedOut, s.seedFresh = nil, seq, nil, true
	if k <= 1 {
		s.seedOut = &seedState{seq: seq}
		return
	}
	if s.newEngine == nil {
		s.seedOut = &seedState{seq: seq, halted: "this lab cannot build more runs"}
		return
	}
	base := s.eng.Snapshot().Seed
	for i := 1; i < min(k, maxSeeds); i++ {
		seed := base + uint64(i)
		var eng Engine
		err := guard(func() error {
			var err error
			eng, err = s.newEngine(seed)
			if err == nil && eng == nil {
				err = fmt.Errorf("no engine")
			}
			return err
		})
		if err != nil {
			s.seeds = nil
			s.seedOut = &seedState{seq: seq, halted: fmt.Sprintf("seed %d: %v", seed, err)}
			return
		}
		s.seeds = append(s.seeds, &seedRun{eng: eng, seed: seed, epoch: -1})
	}
}

// resetSeeds starts every seed run over with the run (r).
func (s *session) resetSeeds() {
	for _, sr := range s.seeds {
		if err := guard(sr.eng.Reset); err != nil {
			sr.halted = "reset failed: " + err.Error()
		}
		sr.steps, sr.epoch = 0, -1
	}
	s.seedFresh = true
}

// lagging is the healthy seed run furthest behind the run, or nil when all
// are in step.
func (s *session) lagging() *seedRun {
	var worst *seedRun
	for _, sr := range s.seeds {
		if sr.halted == "" && sr.steps < s.steps && (worst == nil || sr.steps < worst.steps) {
			worst = sr
		}
	}
	return worst
}

// stepSeed trains one batch of a seed run with the γ the run's log had in
// force at that batch.
func (s *session) stepSeed(sr *seedRun) {
	s.dirty = true
	for l := range s.layers {
		g := s.gammaAt(l, sr.steps)
		if g == nil || slices.Equal(g, sr.eng.Gamma(l)) {
			continue
		}
		if err := sr.eng.SetGamma(l, clone(g)); err != nil {
			sr.halted = "γ rejected: " + err.Error()
			return
		}
	}
	if err := guard(sr.eng.Step); err != nil {
		sr.halted = err.Error()
		return
	}
	sr.steps++
}

// gammaAt is layer l's γ in force at batch t by the log: its last entry at
// or before t, else its first.
func (s *session) gammaAt(l, t int) []float64 {
	var g []float64
	for _, r := range s.log {
		if r.Layer != l {
			continue
		}
		if g == nil || r.Step <= t {
			g = r.Gamma
		}
		if r.Step > t {
			break
		}
	}
	return g
}

// seedNews is the seed runs' state to post: whenever one finished an epoch,
// stopped, or (catching up) moved, and once after the seeds changed.
func (s *session) seedNews() *seedState {
	if out := s.seedOut; out != nil {
		s.seedOut = nil
		if len(s.seeds) == 0 {
			return out
		}
	}
	if len(s.seeds) == 0 {
		return nil
	}
	st := &seedState{seq: s.seedSeq, steps: s.steps}
	changed := false
	for _, sr := range s.seeds {
		st.seeds = append(st.seeds, sr.seed)
		e := engineEpoch(sr.eng)
		if e != sr.epoch {
			sr.epoch, changed = e, true
		}
		if sr.halted != "" && st.halted == "" {
			st.halted = fmt.Sprintf("seed %d: %s", sr.seed, sr.halted)
		}
		st.behind = max(st.behind, s.steps-sr.steps)
	}
	if !changed && st.behind == s.seedBehind && st.halted == s.seedHalted {
		return nil
	}
	s.seedBehind, s.seedHalted = st.behind, st.halted
	if changed || s.seedFresh { // histories only when they changed: the UI keeps the last
		s.seedFresh = false
		for _, sr := range s.seeds {
			st.hists = append(st.hists, sr.eng.Snapshot().History)
		}
	}
	return st
}

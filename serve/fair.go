package serve

import (
	"context"
	"sync"
	"sync/atomic"

	"infomorph-tui/tui"
)

// fairShare bounds how many training steps run at once across all sessions
// and hands the slots out first come, first served. A session asks for a slot
// once per batch and releases it after, so sessions that keep training take
// turns round-robin: a session that just trained queues behind those already
// waiting.
type fairShare struct {
	mu   sync.Mutex
	free int
	wait []chan struct{} // FIFO of blocked acquirers; a grant closes the channel
}

func newFairShare(slots int) *fairShare { return &fairShare{free: max(slots, 1)} }

// acquire blocks until a slot is granted or ctx ends.
func (f *fairShare) acquire(ctx context.Context) error {
	f.mu.Lock()
	if f.free > 0 && len(f.wait) == 0 {
		f.free--
		f.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	f.wait = append(f.wait, ch)
	f.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		for i, c := range f.wait {
			if c == ch {
				f.wait = append(f.wait[:i], f.wait[i+1:]...)
				f.mu.Unlock()
				return ctx.Err()
			}
		}
		f.mu.Unlock()
		// granted while giving up: pass the slot on
		f.release()
		return ctx.Err()
	}
}

// release returns a slot, to the longest waiter if there is one.
func (f *fairShare) release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.wait) > 0 {
		close(f.wait[0])
		f.wait = f.wait[1:]
		return
	}
	f.free++
}

// sharedEngine decorates a session's engine: every Step first waits its turn
// for one of the server's CPU slots and counts the batches trained. The lab
// knows nothing of it.
type sharedEngine struct {
	tui.Engine
	cpu   *fairShare
	ctx   context.Context // the session's: a step still queued when it ends gives up
	steps *atomic.Int64
}

func (e *sharedEngine) Step() error {
	if err := e.cpu.acquire(e.ctx); err != nil {
		return err
	}
	defer e.cpu.release()
	err := e.Engine.Step()
	if err == nil {
		e.steps.Add(1)
	}
	return err
}

// workerSetter is implemented by engines whose steps can run on several
// goroutines (*tasks.Run).
type workerSetter interface{ SetWorkers(int) }

// sharedFactory wraps a lab factory for one session: engines train on one
// goroutine each (so a CPU slot is one core) and step through the fair share.
func sharedFactory(ctx context.Context, f tui.Factory, cpu *fairShare, steps *atomic.Int64) tui.Factory {
	return func(preset string, seed uint64) (tui.Engine, error) {
		eng, err := f(preset, seed)
		if err != nil || eng == nil {
			return eng, err
		}
		if w, ok := eng.(workerSetter); ok {
			w.SetWorkers(1)
		}
		return &sharedEngine{Engine: eng, cpu: cpu, ctx: ctx, steps: steps}, nil
	}
}

package serve

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFairShareRoundRobin: with one slot, sessions that keep asking take
// strict turns.
func TestFairShareRoundRobin(t *testing.T) {
	const users, rounds = 3, 8
	f := newFairShare(1)
	if err := f.acquire(context.Background()); err != nil { // hold the slot until all queue
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []int
	var queued atomic.Int32
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				queued.Add(1)
				if err := f.acquire(context.Background()); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				order = append(order, u)
				mu.Unlock()
				time.Sleep(2 * time.Millisecond) // a batch
				f.release()
			}
		}()
	}
	waitFor(t, "all users to queue", 5*time.Second, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.wait) == users
	})
	f.release()
	wg.Wait()
	count := make([]int, users)
	for i, u := range order {
		count[u]++
		lo, hi := count[0], count[0]
		for _, c := range count {
			lo, hi = min(lo, c), max(hi, c)
		}
		if hi-lo > 1 && i >= users {
			t.Fatalf("unfair after %d grants: %v (order %v)", i+1, count, order)
		}
	}
	if len(order) != users*rounds || f.free != 1 || len(f.wait) != 0 {
		t.Errorf("%d grants, free %d, waiting %d", len(order), f.free, len(f.wait))
	}
}

// TestFairShareCancel: a waiter that gives up leaves the queue and no slot
// is lost.
func TestFairShareCancel(t *testing.T) {
	f := newFairShare(2)
	ctx := context.Background()
	f.acquire(ctx)
	f.acquire(ctx)
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error)
	go func() { errc <- f.acquire(cctx) }()
	waitFor(t, "the waiter", 5*time.Second, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.wait) == 1
	})
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("cancelled acquire succeeded")
	}
	f.release()
	f.release()
	if f.free != 2 || len(f.wait) != 0 {
		t.Errorf("free %d, waiting %d", f.free, len(f.wait))
	}
	// a cancelled context never takes a slot
	done, stop := context.WithCancel(ctx)
	stop()
	f.acquire(ctx)
	f.acquire(ctx)
	if err := f.acquire(done); err == nil {
		t.Error("acquired with a cancelled context and no free slot")
	}
}

// TestSharedEngine: the decorator trains on one goroutine, through the
// share, counting batches; concurrent sessions never exceed the slots.
func TestSharedEngine(t *testing.T) {
	lab := &fakeLab{delay: time.Millisecond}
	cpu := newFairShare(2)
	var wg sync.WaitGroup
	counts := make([]atomic.Int64, 6)
	for i := range counts {
		eng, err := sharedFactory(context.Background(), lab.factory, cpu, &counts[i])("mnist-readout", 1)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if err := eng.Step(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for i := range counts {
		if n := counts[i].Load(); n != 10 {
			t.Errorf("engine %d counted %d steps", i, n)
		}
	}
	if p := lab.meter.peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak concurrency %d with 2 slots", p)
	}
	for _, e := range lab.made {
		if e.workers != 1 {
			t.Errorf("engine trains on %d goroutines", e.workers)
		}
	}
	if _, err := sharedFactory(context.Background(), lab.factory, cpu, &counts[0])("broken", 1); err == nil {
		t.Error("factory error lost")
	}
}

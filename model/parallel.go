package model

import "sync"

// parallelFor splits [0, n) into at most workers contiguous ranges and runs
// fn(lo, hi, w) on each, w being the range's worker index. Work is split by
// item, never by reduction, so results do not depend on the worker count.
func parallelFor(n, workers int, fn func(lo, hi, w int)) {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		if n > 0 {
			fn(0, n, 0)
		}
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi, w)
		}()
	}
	wg.Wait()
}

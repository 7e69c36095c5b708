package tune

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// A lease says which process trains a trial: trials/NNNNNN.lease.K holds
// the owner's host, pid and token, and the owner touches it every
// LeaseTimeout/6 (a heartbeat). The lease with the highest K is the
// current one. A lease is stale when its owner is a dead process on this
// host, or when nobody touched it for LeaseTimeout (another host); anyone
// may then take the trial over by creating lease K+1 exclusively — only one
// process can — which also tells a slow former owner that it lost the trial.
type lease struct {
	Host  string `json:"host"`
	PID   int    `json:"pid"`
	Token string `json:"token"`
	Since string `json:"since"`
}

// DefaultLeaseTimeout is how long a lease of another host lives without a heartbeat.
const DefaultLeaseTimeout = 2 * time.Minute

// leaseState reads trial n's current lease: its generation (−1: none),
// and whether it is held by a live owner.
func (s *Study) leaseState(n int, gens []int) (k int, live bool) {
	if len(gens) == 0 {
		return -1, false
	}
	k = gens[len(gens)-1]
	path := leasePath(s.Dir, n, k)
	st, err := os.Stat(path)
	if err != nil {
		return k, false // released meanwhile
	}
	var l lease
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &l) != nil {
		// A lease being written: young files count as live.
		return k, time.Since(st.ModTime()) < s.LeaseTimeout
	}
	return k, s.alive(l, st.ModTime())
}

// alive judges a lease's owner.
func (s *Study) alive(l lease, touched time.Time) bool {
	if l.Host == s.host {
		if l.PID == s.pid {
			_, ok := liveTokens.Load(l.Token)
			return ok
		}
		if !pidAlive(l.PID) {
			return false
		}
	}
	return time.Since(touched) < s.LeaseTimeout
}

// liveTokens holds the tokens of the leases this process holds (all its
// Study handles): a lease of this process with another token is left over
// from a handle that is gone.
var liveTokens sync.Map

// heldLease is a lease this handle holds.
type heldLease struct {
	s     *Study
	n, k  int
	token string
	stop  chan struct{}
	done  chan struct{}
}

// acquire tries to take trial n's lease: free (no lease, or a stale one).
func (s *Study) acquire(n int, gens []int) (*heldLease, error) {
	k, live := s.leaseState(n, gens)
	if live {
		return nil, nil
	}
	token := s.newToken()
	data, _ := json.Marshal(lease{Host: s.host, PID: s.pid, Token: token, Since: now()})
	liveTokens.Store(token, true)
	ok, err := createExclusive(leasePath(s.Dir, n, k+1), data)
	if err != nil || !ok {
		liveTokens.Delete(token)
		return nil, err
	}
	// Older leases are stale: remove them.
	for _, old := range gens {
		if old <= k {
			os.Remove(leasePath(s.Dir, n, old))
		}
	}
	h := &heldLease{s: s, n: n, k: k + 1, token: token, stop: make(chan struct{}), done: make(chan struct{})}
	go h.beat()
	// The trial may have been finished (and its lease released) since it
	// was listed: results are written before leases are released, so
	// holding the lease, the result file is final.
	if _, err := os.Stat(resultPath(s.Dir, n)); err == nil {
		h.release()
		return nil, nil
	}
	return h, nil
}

// beat touches the lease until released.
func (h *heldLease) beat() {
	defer close(h.done)
	t := time.NewTicker(max(h.s.LeaseTimeout/6, 10*time.Millisecond))
	defer t.Stop()
	path := leasePath(h.s.Dir, h.n, h.k)
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			now := time.Now()
			os.Chtimes(path, now, now)
		}
	}
}

// held reports whether the lease is still this handle's: its file exists
// and no newer lease was taken.
func (h *heldLease) held() bool {
	var l lease
	data, err := os.ReadFile(leasePath(h.s.Dir, h.n, h.k))
	if err != nil || json.Unmarshal(data, &l) != nil || l.Token != h.token {
		return false
	}
	_, err = os.Stat(leasePath(h.s.Dir, h.n, h.k+1))
	return errors.Is(err, os.ErrNotExist)
}

// release gives the lease up (removing its file if it is still ours).
func (h *heldLease) release() {
	close(h.stop)
	<-h.done
	if h.held() {
		os.Remove(leasePath(h.s.Dir, h.n, h.k))
	}
	liveTokens.Delete(h.token)
}

func (s *Study) newToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s:%d:%d:%d", s.host, s.pid, s.started.UnixNano(), s.seq)
}

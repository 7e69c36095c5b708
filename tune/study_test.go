package tune

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The samplers find the optimum of the shifted quadratic through a whole
// study (folder, proposals, leases, results) with a fake objective: 5 γ
// entries (mnist-lateral) and 18 (mnist-trivariate, h_res fixed at 0).
// Tolerances as in TestSamplersFindOptimum (value ≥ −tol at the optimum's
// scale); one sampler seed each.
func TestStudyFindsOptimum(t *testing.T) {
	for _, tc := range []struct {
		preset, sampler string
		trials          int
		tol             float64
	}{
		{"mnist-lateral", TPE, 150, 0.06},
		{"mnist-lateral", CMAES, 150, 0.02},
		{"mnist-lateral", Random, 300, 0.5},
		{"mnist-trivariate", TPE, 500, 2.5},
		{"mnist-trivariate", CMAES, 500, 0.1},
		{"mnist-trivariate", Random, 300, 6},
	} {
		t.Run(tc.preset+"-"+tc.sampler, func(t *testing.T) {
			if (testing.Short() || raceEnabled) && (tc.trials > 150 || tc.preset == "mnist-trivariate") {
				// 500-trial studies take minutes under -race; the samplers'
				// own 18-dimensional optimum test (TestSamplersFindOptimum)
				// still runs, and `go test ./tune/` runs these.
				t.Skip("long: not in -short or -race")
			}
			dir := t.TempDir()
			s := newTestSpec(t, tc.preset, tc.sampler, tc.trials, 1, 1, "none")
			if want := map[string]int{"mnist-lateral": 5, "mnist-trivariate": 18}[tc.preset]; s.Space.Dims() != want {
				t.Fatalf("%d searched entries, want %d", s.Space.Dims(), want)
			}
			st, err := Create(dir, s)
			if err != nil {
				t.Fatal(err)
			}
			f := newFake(dir, quadValue(s))
			rep, err := st.Run(context.Background(), Config{Objective: f, Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Complete != tc.trials || rep.Rows != tc.trials {
				t.Fatalf("report %+v", rep)
			}
			trials, _ := st.Trials()
			best, ok := BestOf(trials)
			if !ok {
				t.Fatal("no best trial")
			}
			// The fake's final value is quad − 0.5/E + 0.001·seed.
			if q := best.Value() + 0.5 - 0.001; q < -tc.tol {
				t.Errorf("best %.4f after %d trials (trial %d), want ≥ −%g", q, tc.trials, best.Number, tc.tol)
			}
		})
	}
}

// doneValues reads every finished trial's γ, state and value.
func doneValues(t *testing.T, st *Study) []string {
	t.Helper()
	trials, err := st.Trials()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tr := range trials {
		if tr.Result == nil {
			t.Fatalf("trial %d not finished", tr.Number)
		}
		out = append(out, fmt.Sprintf("%d %v %s %d %v %v", tr.Number, tr.Gamma(), tr.State, tr.Result.Epochs, tr.Value(), tr.Result.Test))
	}
	return out
}

// A study interrupted in the middle of trials and continued gives exactly
// the study that never stopped (one job: same seed, same trials), and
// trains every epoch once.
func TestStudyInterruptResume(t *testing.T) {
	s := newTestSpec(t, "mnist-lateral", TPE, 16, 4, 2, "median,startup=3,warmup=1")
	s.Startup = 5
	ref := t.TempDir()
	st, _ := Create(ref, s)
	if _, err := st.Run(context.Background(), Config{Objective: newFake(ref, quadValue(s)), Jobs: 1}); err != nil {
		t.Fatal(err)
	}
	want := doneValues(t, st)

	dir := t.TempDir()
	f := newFake(dir, quadValue(s))
	for _, stopAt := range []int{3, 7, 12} {
		st, err := Create(dir, s)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		rep, err := st.Run(ctx, Config{Objective: f, Jobs: 1, Event: func(e Event) {
			if e.Kind == EpochDone && e.Trial.Number == stopAt && e.Epoch == 1 {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, context.Canceled) || rep.Interrupted != 1 {
			t.Fatalf("stop at %d: %+v, %v", stopAt, rep, err)
		}
		if _, err := os.Stat(filepath.Join(dir, PartFile(stopAt, 1))); err != nil {
			t.Fatalf("stop at %d: no partial state: %v", stopAt, err)
		}
	}
	st, _ = Open(dir)
	rep, err := st.Run(context.Background(), Config{Objective: f, Jobs: 1})
	if err != nil || rep.Continued != 1 {
		t.Fatalf("%+v, %v", rep, err)
	}
	if got := doneValues(t, st); !slices.Equal(got, want) {
		t.Errorf("resumed study:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for k, n := range f.calls {
		if n != 1 {
			t.Errorf("%s trained %d times", k, n)
		}
	}
	pruned := 0
	for _, l := range want {
		if strings.Contains(l, " pruned ") {
			pruned++
		}
	}
	if pruned == 0 {
		t.Errorf("no trial was pruned:\n%s", strings.Join(want, "\n"))
	}
}

// Pruning stops trials below the median of the complete ones, records why,
// and counts the epochs it saved; the run files of pruned trials keep the
// epochs they trained.
func TestStudyPruning(t *testing.T) {
	s := newTestSpec(t, "mnist-lateral", Random, 30, 6, 1, "median,startup=4,warmup=2")
	dir := t.TempDir()
	st, _ := Create(dir, s)
	rep, err := st.Run(context.Background(), Config{Objective: newFake(dir, quadValue(s)), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	trials, _ := st.Trials()
	saved := 0
	for _, tr := range trials {
		r := tr.Result
		if r.State != Pruned {
			continue
		}
		if r.Prune == nil || r.Prune.Epoch != r.Epochs || r.Epochs <= 2 || r.Epochs >= 6 || !(r.Prune.Best < r.Prune.Threshold) || r.Prune.Compared < 4 {
			t.Errorf("trial %d: %+v %+v", tr.Number, r, r.Prune)
		}
		saved += 6 - r.Epochs
	}
	if rep.Pruned == 0 || rep.EpochsSaved != saved || rep.Complete+rep.Pruned != 30 {
		t.Errorf("report %+v, saved %d", rep, saved)
	}
}

// readCSV checks results.csv against the finished trials.
func readCSV(t *testing.T, st *Study) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(st.Dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], st.Spec.Header()) {
		t.Fatalf("header %v", recs[0])
	}
	trials, _ := st.Trials()
	if len(recs)-1 != len(trials) {
		t.Fatalf("%d rows for %d trials", len(recs)-1, len(trials))
	}
	for i, tr := range trials {
		row := recs[i+1]
		if row[0] != strconv.Itoa(tr.Number) || row[1] != string(tr.State) || row[3] != csvNum(tr.Value()) {
			t.Fatalf("row %v for trial %d %s %v", row, tr.Number, tr.State, tr.Value())
		}
	}
	return recs[1:]
}

// checkOnce checks that trials 0 … n−1 are finished, distinct and each
// epoch of each was trained once (log of the fakes).
func checkOnce(t *testing.T, st *Study, n int, log map[string]int) {
	t.Helper()
	trials, err := st.Trials()
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != n {
		t.Fatalf("%d trials, want %d", len(trials), n)
	}
	seen := map[string]bool{}
	for i, tr := range trials {
		if tr.Number != i || !tr.State.Finished() {
			t.Fatalf("trial %d: number %d state %s", i, tr.Number, tr.State)
		}
		g := fmt.Sprint(tr.Gamma())
		if seen[g] {
			t.Errorf("trial %d repeats γ %s", i, g)
		}
		seen[g] = true
		for _, sr := range tr.Result.Seeds {
			for e := 1; e <= tr.Result.Epochs; e++ {
				if k := fmt.Sprintf("%d %d %d", i, sr.Seed, e); log != nil && log[k] != 1 {
					t.Errorf("trial %d seed %d epoch %d trained %d times", i, sr.Seed, e, log[k])
				}
			}
		}
	}
	readCSV(t, st)
}

// Three handles on one folder (as three processes would be, but in one
// process, so that -race sees them) form one study: every trial number is
// claimed once, every epoch trained once, the CSV agrees.
func TestConcurrentHandles(t *testing.T) {
	for _, sampler := range Samplers {
		t.Run(sampler, func(t *testing.T) {
			s := newTestSpec(t, "mnist-lateral", sampler, 24, 3, 1, "median,startup=3,warmup=1")
			s.Startup = 6
			dir := t.TempDir()
			log := filepath.Join(t.TempDir(), "log")
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st, err := Create(dir, s)
					if err != nil {
						errs[i] = err
						return
					}
					st.Poll = 5 * time.Millisecond
					f := newFake(dir, quadValue(s))
					f.log, f.delay = log, time.Millisecond
					_, errs[i] = st.Run(context.Background(), Config{Objective: f, Jobs: 2})
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			st, _ := Open(dir)
			checkOnce(t, st, 24, trained(t, log))
		})
	}
}

// helperEnv names the study folder for TestHelperProcess.
const helperEnv = "TUNE_TEST_HELPER_DIR"

// TestHelperProcess is a study process for the multi-process tests: it runs
// the study in $TUNE_TEST_HELPER_DIR with the fake objective (logging to
// $TUNE_TEST_HELPER_LOG, an epoch every $TUNE_TEST_HELPER_DELAY).
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("helper process only")
	}
	st, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	st.Poll = 5 * time.Millisecond
	f := newFake(dir, quadValue(st.Spec))
	f.log = os.Getenv("TUNE_TEST_HELPER_LOG")
	f.delay, _ = time.ParseDuration(os.Getenv("TUNE_TEST_HELPER_DELAY"))
	if _, err := st.Run(context.Background(), Config{Objective: f, Jobs: 2}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
	os.Exit(0)
}

func helper(t *testing.T, dir, log, delay string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir, "TUNE_TEST_HELPER_LOG="+log, "TUNE_TEST_HELPER_DELAY="+delay)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// Three processes on one folder form one study: 30 distinct finished
// trials, each epoch trained once, a consistent results.csv.
func TestConcurrentProcesses(t *testing.T) {
	for _, sampler := range []string{TPE, CMAES} {
		t.Run(sampler, func(t *testing.T) {
			s := newTestSpec(t, "mnist-lateral", sampler, 30, 3, 2, DefaultPrune)
			s.Startup = 8
			dir := t.TempDir()
			if _, err := Create(dir, s); err != nil {
				t.Fatal(err)
			}
			log := filepath.Join(t.TempDir(), "log")
			var cmds []*exec.Cmd
			for range 3 {
				cmds = append(cmds, helper(t, dir, log, "2ms"))
			}
			for _, c := range cmds {
				if err := c.Wait(); err != nil {
					t.Fatal(err)
				}
			}
			st, _ := Open(dir)
			checkOnce(t, st, 30, trained(t, log))
			pids := map[string]bool{}
			trials, _ := st.Trials()
			for _, tr := range trials {
				pids[tr.Result.FinishedBy] = true
			}
			if len(pids) < 2 {
				t.Errorf("only %d process(es) finished trials", len(pids))
			}
		})
	}
}

// kill -9 in the middle of a study: the next process takes the dead
// process's trials over at once (its pid is gone) and recomputes no
// finished trial.
func TestKillResume(t *testing.T) {
	s := newTestSpec(t, "mnist-lateral", TPE, 24, 4, 1, "none")
	s.Startup = 6
	dir := t.TempDir()
	if _, err := Create(dir, s); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "log")
	cmd := helper(t, dir, log, "10ms")
	st, _ := Open(dir)
	deadline := time.Now().Add(time.Minute)
	for {
		l, _ := list(dir)
		if len(l.results) >= 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the helper finished no trials")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	l, _ := list(dir)
	before := keys(l.results)
	if len(before) == 24 {
		t.Fatal("the helper finished before it was killed")
	}
	start := time.Now()
	f := newFake(dir, quadValue(s))
	rep, err := st.Run(context.Background(), Config{Objective: f, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 30*time.Second {
		t.Errorf("resume took %v: leases of the dead process were not taken over at once", time.Since(start))
	}
	for k := range f.calls {
		n, _ := strconv.Atoi(strings.Split(k, "/")[0])
		if slices.Contains(before, n) {
			t.Errorf("finished trial %d trained again (%s)", n, k)
		}
	}
	if rep.Finished != 24 || rep.Rows != 24 {
		t.Errorf("report %+v", rep)
	}
	checkOnce(t, st, 24, nil)
}

// A folder holding another study, or a sweep, is refused; the same study
// (another trial budget) is accepted.
func TestFolderGuards(t *testing.T) {
	s := newTestSpec(t, "mnist-lateral", TPE, 10, 2, 1, "none")
	dir := t.TempDir()
	if _, err := Create(dir, s); err != nil {
		t.Fatal(err)
	}
	more := s
	more.Trials = 50
	if _, err := Create(dir, more); err != nil {
		t.Errorf("a larger budget refused: %v", err)
	}
	other := s
	other.Epochs = 3
	_, err := Create(dir, other)
	var bad BadInput
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "holds another study (epochs 2 there, 3 here)") {
		t.Errorf("another study: %v", err)
	}
	sw := t.TempDir()
	os.WriteFile(filepath.Join(sw, "sweep.json"), []byte("{}"), 0o644)
	if _, err := Create(sw, s); !errors.As(err, &bad) || !strings.Contains(err.Error(), "holds a sweep") {
		t.Errorf("a sweep folder: %v", err)
	}
	if _, err := Open(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a study folder") {
		t.Errorf("empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, TrialsDir, "000000.json"), []byte("{oops"), 0o644)
	st, _ := Open(dir)
	if _, err := st.Trials(); err == nil {
		t.Error("a broken proposal file was accepted")
	}
}

// Leases: a dead process's lease is free at once, a live one's is not; a
// lease of another host is free once nobody touched it for LeaseTimeout; a
// taken-over owner learns it lost the trial.
func TestLeases(t *testing.T) {
	s := newTestSpec(t, "mnist-lateral", TPE, 10, 2, 1, "none")
	dir := t.TempDir()
	a, _ := Create(dir, s)
	b, _ := Open(dir)
	a.LeaseTimeout, b.LeaseTimeout = time.Hour, time.Hour
	gens := func() []int { l, _ := list(dir); return l.leases[0] }
	h, err := a.acquire(0, gens())
	if err != nil || h == nil {
		t.Fatal(h, err)
	}
	if h2, _ := b.acquire(0, gens()); h2 != nil {
		t.Fatal("b took a live lease of a")
	}
	// The same lease written by a dead process of this host.
	dead := exec.Command("true")
	dead.Run()
	write := func(k int, l lease, age time.Duration) {
		data := fmt.Sprintf(`{"host":%q,"pid":%d,"token":%q,"since":"x"}`, l.Host, l.PID, l.Token)
		p := leasePath(dir, 1, k)
		os.WriteFile(p, []byte(data), 0o644)
		old := time.Now().Add(-age)
		os.Chtimes(p, old, old)
	}
	write(0, lease{Host: a.host, PID: dead.Process.Pid, Token: "x"}, 0)
	h3, _ := b.acquire(1, []int{0})
	if h3 == nil || h3.k != 1 {
		t.Fatal("the lease of a dead process was not taken over")
	}
	h3.release()
	write(0, lease{Host: "elsewhere", PID: 1, Token: "y"}, time.Minute)
	if h4, _ := b.acquire(1, []int{0}); h4 != nil {
		t.Fatal("a fresh lease of another host was taken over")
	}
	write(0, lease{Host: "elsewhere", PID: 1, Token: "y"}, 2*time.Hour)
	h5, _ := b.acquire(1, []int{0})
	if h5 == nil {
		t.Fatal("a stale lease of another host was not taken over")
	}
	h5.release()
	// a's lease 0 of trial 0 is taken over (as if a had stalled): a loses it.
	b.pid = -1 // judge a's lease by its heartbeat only
	b.LeaseTimeout = time.Nanosecond
	time.Sleep(time.Millisecond)
	h6, _ := b.acquire(0, gens())
	if h6 == nil || h.held() || !h6.held() {
		t.Fatal("takeover failed or the former owner did not notice")
	}
	h6.release()
	h.release()
	if math0(float64(len(gens()))) == false {
		t.Errorf("leases left: %v", gens())
	}
}

package tune

// The files of a study folder: study.json (the Spec), trials/NNNNNN.json
// (a proposed trial, created exclusively: the claim of its number),
// trials/NNNNNN.lease.K (who trains it), trials/NNNNNN.done.json (its
// result), runs/tNNNNNN-sS.json (one run file per finished run),
// results.csv and sampler.json.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"infomorph-tui/internal/atomicfile"
	"infomorph-tui/internal/manifest"
)

// Files and folders of a study folder.
const (
	ManifestFile = "study.json"
	ResultsFile  = "results.csv"
	SamplerFile  = "sampler.json"
	TrialsDir    = "trials"
	RunsDir      = "runs"
)

const (
	manifestKind   = "infomorph-tui study"
	manifestSchema = 1
	sweepManifest  = "sweep.json"
)

type folderManifest struct {
	manifest.Header
	Spec
}

// header is what this build writes and reads.
var header = manifest.Header{Schema: manifestSchema, Kind: manifestKind}

// IsStudy reports whether dir holds a study (a study.json).
func IsStudy(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ManifestFile))
	return err == nil
}

// ReadSpec reads a study folder's study.json.
func ReadSpec(dir string) (Spec, error) {
	var m folderManifest
	if err := manifest.Read(dir, ManifestFile, "study", header, &m); err != nil {
		return Spec{}, err
	}
	if err := m.Spec.check(); err != nil {
		return Spec{}, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m.Spec, nil
}

func manifestBytes(s Spec) ([]byte, error) {
	data, err := json.MarshalIndent(folderManifest{Header: header, Spec: s}, "", "  ")
	return append(data, '\n'), err
}

// sameStudy reports whether two specs describe the same study (the trial
// budget aside), and else the first field in which they differ.
func sameStudy(a, b Spec) (bool, string) {
	a.Trials, b.Trials = 0, 0
	var ma, mb map[string]json.RawMessage
	da, _ := json.Marshal(a)
	db, _ := json.Marshal(b)
	json.Unmarshal(da, &ma)
	json.Unmarshal(db, &mb)
	keys := make([]string, 0, len(ma))
	for k := range ma {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !bytes.Equal(ma[k], mb[k]) {
			return false, fmt.Sprintf("%s %s there, %s here", k, clip60(ma[k]), clip60(mb[k]))
		}
	}
	return true, ""
}

func clip60(b []byte) string {
	if len(b) > 60 {
		return string(b[:57]) + "…"
	}
	return string(b)
}

// CheckDir reports whether dir can hold study s: it is new, empty, or
// holds this very study. A folder holding another study or a sweep is
// refused (as a BadInput).
func CheckDir(dir string, s Spec) error {
	if _, err := os.Stat(filepath.Join(dir, sweepManifest)); err == nil {
		return BadInput{fmt.Errorf("%s holds a sweep (%s); use another --study folder", dir, sweepManifest)}
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	prev, err := ReadSpec(dir)
	if err != nil {
		return BadInput{err}
	}
	if ok, diff := sameStudy(prev, s); !ok {
		return BadInput{fmt.Errorf("%s holds another study (%s); use another --study folder, or give only --study to continue it", dir, diff)}
	}
	return nil
}

// BadInput marks errors in what the study was given or found (arguments,
// another study's folder, broken files) rather than failures while running.
type BadInput struct{ Err error }

func (e BadInput) Error() string { return e.Err.Error() }
func (e BadInput) Unwrap() error { return e.Err }

// createExclusive writes data to path only if path does not exist, and
// atomically: readers see no file or the whole file. It reports false (and
// no error) when path already exists. It writes a temporary file and links
// it to path, which fails if path exists — on a local disk and on NFS.
func createExclusive(path string, data []byte) (bool, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return false, err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// writeManifest creates dir's study.json for s, or checks that it holds s.
func writeManifest(dir string, s Spec) error {
	if err := CheckDir(dir, s); err != nil {
		return err
	}
	for _, d := range []string{TrialsDir, RunsDir} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	data, err := manifestBytes(s)
	if err != nil {
		return err
	}
	if _, err := createExclusive(filepath.Join(dir, ManifestFile), data); err != nil {
		return err
	}
	return CheckDir(dir, s) // another process may have created it first
}

// State is where a trial stands.
type State string

// Trial states. A trial is Running while a live process holds its lease,
// Waiting when it was proposed (or interrupted) and nobody trains it.
const (
	Complete State = "complete"
	Pruned   State = "pruned"
	Failed   State = "failed"
	Running  State = "running"
	Waiting  State = "waiting"
)

// Finished reports whether the state is final.
func (s State) Finished() bool { return s == Complete || s == Pruned || s == Failed }

// Proposal is a proposed trial, trials/NNNNNN.json. Creating it claims the
// trial's number; it never changes afterwards.
type ProposalFile struct {
	Number int       `json:"number"`
	Gamma  []float64 `json:"gamma"` // the layer's full γ
	X      []float64 `json:"x"`     // the point in the unit cube of the searched entries
	How    string    `json:"how"`   // which sampler step proposed it
	// Seen lists the finished trials the sampler saw (their numbers).
	Seen       []int  `json:"seen"`
	ProposedAt string `json:"proposed_at"`
	ProposedBy string `json:"proposed_by"` // host:pid
}

// Float is a float64 that is null in JSON when NaN (or infinite).
type Float float64

func (n Float) MarshalJSON() ([]byte, error) {
	v := float64(n)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

func (n *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Float(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Float(v)
	return nil
}

func nums(v []float64) []Float {
	out := make([]Float, len(v))
	for i, x := range v {
		out[i] = Float(x)
	}
	return out
}

func floats(v []Float) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// SeedResult is one run of a trial: its accuracies after every epoch.
type SeedResult struct {
	Seed     uint64  `json:"seed"`
	Run      string  `json:"run,omitempty"` // its run file, relative to the study folder
	Train    []Float `json:"train_acc"`
	Val      []Float `json:"val_acc"`
	Test     []Float `json:"test_acc"`
	Diverged string  `json:"diverged,omitempty"`
}

// ResultFile is a finished trial, trials/NNNNNN.done.json.
type ResultFile struct {
	Number int   `json:"number"`
	State  State `json:"state"`
	Epochs int   `json:"epochs"` // epochs every run trained
	// Value is the objective: the mean over seeds of the validation
	// accuracy after the last epoch trained. Test accuracy is recorded and
	// never used to choose.
	Value   Float `json:"val_acc"`
	ValueSD Float `json:"val_sd"`
	Test    Float `json:"test_acc"`
	TestSD  Float `json:"test_sd"`
	Train   Float `json:"train_acc"`
	// Curve is the mean validation accuracy after each epoch (what the
	// pruner compares).
	Curve []Float      `json:"val_curve"`
	Seeds []SeedResult `json:"seeds"`
	// Prune says why a pruned trial was stopped.
	Prune      *PruneNote `json:"prune,omitempty"`
	Seconds    float64    `json:"seconds"` // wall time of its last process
	FinishedAt string     `json:"finished_at"`
	FinishedBy string     `json:"finished_by"`
}

// PruneNote records a pruning decision.
type PruneNote struct {
	Epoch     int     `json:"epoch"`
	Best      float64 `json:"best"`
	Threshold float64 `json:"threshold"`
	Compared  int     `json:"compared"` // complete trials it was compared with
}

func proposalPath(dir string, n int) string {
	return filepath.Join(dir, TrialsDir, fmt.Sprintf("%06d.json", n))
}
func resultPath(dir string, n int) string {
	return filepath.Join(dir, TrialsDir, fmt.Sprintf("%06d.done.json", n))
}
func leasePath(dir string, n, k int) string {
	return filepath.Join(dir, TrialsDir, fmt.Sprintf("%06d.lease.%d", n, k))
}

// RunFile is the run file of trial n's run with seed, relative to the study folder.
func RunFile(n int, seed uint64) string {
	return filepath.Join(RunsDir, fmt.Sprintf("t%06d-s%d.json", n, seed))
}

// PartFile is where an interrupted run of trial n keeps its state.
func PartFile(n int, seed uint64) string {
	return filepath.Join(RunsDir, fmt.Sprintf("t%06d-s%d.part.json", n, seed))
}

// listing is what trials/ holds: proposals, results and leases by number.
type listing struct {
	proposals map[int]bool
	results   map[int]bool
	leases    map[int][]int // lease generations
}

func (l listing) numbers() []int {
	var ns []int
	for n := range l.proposals {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

func (l listing) maxNumber() int {
	m := -1
	for n := range l.proposals {
		m = max(m, n)
	}
	return m
}

// list reads trials/ once.
func list(dir string) (listing, error) {
	l := listing{proposals: map[int]bool{}, results: map[int]bool{}, leases: map[int][]int{}}
	entries, err := os.ReadDir(filepath.Join(dir, TrialsDir))
	if errors.Is(err, os.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return l, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || len(name) < 7 {
			continue
		}
		n, err := strconv.Atoi(name[:6])
		if err != nil {
			continue
		}
		switch rest := name[6:]; {
		case rest == ".json":
			l.proposals[n] = true
		case rest == ".done.json":
			l.results[n] = true
		case strings.HasPrefix(rest, ".lease."):
			if k, err := strconv.Atoi(rest[len(".lease."):]); err == nil && k >= 0 {
				l.leases[n] = append(l.leases[n], k)
			}
		}
	}
	for n := range l.leases {
		slices.Sort(l.leases[n])
	}
	return l, nil
}

func readJSON(path string, dst any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readProposal(dir string, n int, s Spec) (ProposalFile, error) {
	var p ProposalFile
	path := proposalPath(dir, n)
	if err := readJSON(path, &p); err != nil {
		return p, err
	}
	if p.Number != n || len(p.Gamma) != len(s.Space) || len(p.X) != s.Space.Dims() {
		return p, fmt.Errorf("%s: not trial %d of this study", path, n)
	}
	return p, nil
}

func readResult(dir string, n int, s Spec) (ResultFile, error) {
	var r ResultFile
	path := resultPath(dir, n)
	if err := readJSON(path, &r); err != nil {
		return r, err
	}
	if r.Number != n || !r.State.Finished() || len(r.Seeds) != s.Seeds || len(r.Curve) != r.Epochs || r.Epochs > s.Epochs {
		return r, fmt.Errorf("%s: not a finished trial %d of this study", path, n)
	}
	return r, nil
}

// writeResult saves a trial's result atomically.
func writeResult(dir string, r ResultFile) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(resultPath(dir, r.Number), append(data, '\n'), 0o644)
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

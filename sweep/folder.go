package sweep

// The files of a sweep folder: sweep.json (the Spec), runs/<id>.json (one
// Row each) and results.csv (every Row), how to write, read and check them.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"infomorph-tui/internal/jsonfloat"
	"infomorph-tui/internal/manifest"
	"infomorph-tui/internal/printable"
	"infomorph-tui/internal/safefile"
	"infomorph-tui/model"
	"infomorph-tui/pid"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// Files and folders of a sweep folder.
const (
	ManifestFile = "sweep.json"
	ResultsFile  = "results.csv"
	RunsDir      = "runs"
	partSuffix   = ".part.json"
)

// manifestSchema versions sweep.json.
const manifestSchema = 1

type folderManifest struct {
	manifest.Header
	Runs int `json:"runs"`
	Spec
}

// header is what this build writes and reads.
var header = manifest.Header{Schema: manifestSchema, Kind: "infomorph-tui sweep"}

// ReadSpec reads a sweep folder's sweep.json.
func ReadSpec(dir string) (Spec, error) {
	var m folderManifest
	if err := manifest.Read(dir, ManifestFile, "sweep", header, &m); err != nil {
		return Spec{}, err
	}
	if err := m.Spec.check(); err != nil {
		return Spec{}, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m.Spec, nil
}

// check validates a spec read from a file.
func (s Spec) check() error {
	if err := s.Def.Validate(); err != nil {
		return fmt.Errorf("preset_def: %w", err)
	}
	if s.Def.Name != s.Preset || s.Seeds < 1 || s.Epochs < 1 || (len(s.Axes) == 0) == (len(s.Named) == 0) || len(s.Base) != len(s.GammaNames) || s.Random < 0 ||
		len(s.Named) > 0 && s.Random != 0 {
		return errors.New("incomplete or inconsistent sweep description")
	}
	net, err := s.Def.NetSpec()
	if err != nil {
		return fmt.Errorf("preset_def: %w", err)
	}
	k := slices.IndexFunc(net.Layers, func(l model.LayerSpec) bool { return l.Name == s.Layer })
	if k < 0 {
		return fmt.Errorf("layer %s is not a layer of preset %s", printable.Quote(s.Layer), s.Preset)
	}
	if want := pid.GammaNames(net.Layers[k].Sources()); !slices.Equal(s.GammaNames, want) {
		return fmt.Errorf("gamma_names %s, layer %s has %v", printable.Quote(fmt.Sprint(s.GammaNames)), s.Layer, want)
	}
	if len(s.Data) > 200 || !printable.Is(s.Data) {
		return fmt.Errorf("data %s: want a short printable description", printable.Quote(s.Data))
	}
	if err := s.checkNamed(); err != nil {
		return err
	}
	for _, a := range s.Axes {
		if a.Index < 0 || a.Index >= len(s.Base) || s.GammaNames[a.Index] != a.Atom || (s.Random == 0) == (len(a.Values) == 0) || math.IsInf(a.Hi-a.Lo, 0) {
			return fmt.Errorf("axis %s does not fit the layer's γ", printable.Quote(a.Atom))
		}
	}
	return nil
}

func manifestBytes(s Spec, runs int) ([]byte, error) {
	data, err := json.MarshalIndent(folderManifest{Header: header, Runs: runs, Spec: s}, "", "  ")
	return append(data, '\n'), err
}

// CheckDir reports (as BadInput) whether dir already holds another sweep
// than s; an empty or new folder is fine. s.Data must be set (see DataDesc).
func CheckDir(dir string, s Spec) error {
	jobs, err := s.Jobs()
	if err != nil {
		return BadInput{err}
	}
	data, err := manifestBytes(s, len(jobs))
	if err != nil {
		return err
	}
	old, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) || err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err != nil {
		return err
	}
	prev, err := ReadSpec(dir)
	if err != nil {
		return BadInput{err}
	}
	return BadInput{fmt.Errorf("%s holds another sweep (%s); use another --out folder", dir, specDiff(prev, s))}
}

func writeManifest(dir string, s Spec, runs int) error {
	if err := CheckDir(dir, s); err != nil {
		return err
	}
	path := filepath.Join(dir, ManifestFile)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	data, err := manifestBytes(s, runs)
	if err != nil {
		return err
	}
	return runfile.WriteAtomic(path, data)
}

// specDiff names the first top-level field in which two specs differ.
func specDiff(a, b Spec) string {
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
			return fmt.Sprintf("%s %s there, %s here", k, clip(ma[k]), clip(mb[k]))
		}
	}
	return "different settings"
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:57]) + "…"
	}
	return string(b)
}

// Row is one finished run's results. Accuracies are NaN for diverged runs.
type Row struct {
	ID       string       `json:"id"`
	Seed     uint64       `json:"seed"`
	Point    string       `json:"point,omitempty"` // the label of a named point
	Gamma    []float64    `json:"gamma"`           // the varied values, in axis order (named points: the full γ)
	Epochs   int          `json:"epochs"`
	TrainAcc float64      `json:"train_acc"`
	ValAcc   float64      `json:"val_acc"`
	TestAcc  float64      `json:"test_acc"`
	Diverged string       `json:"diverged,omitempty"`
	Layers   []LayerAtoms `json:"layers"`
}

// LayerAtoms is a layer's final atoms (bits, mean over neurons), h_res last,
// and its output entropy H(Y); NaN when the run diverged before an epoch ended.
type LayerAtoms struct {
	Name      string    `json:"name"`
	AtomNames []string  `json:"atom_names"`
	Atoms     []float64 `json:"atoms"`
	HY        float64   `json:"h_y"`
}

// MarshalJSON writes NaN as null (JSON has no NaN).
func (r Row) MarshalJSON() ([]byte, error) {
	type plain Row
	c := plain(r)
	c.Layers = nil
	data, err := json.Marshal(struct {
		plain
		TrainAcc jsonfloat.Float `json:"train_acc"`
		ValAcc   jsonfloat.Float `json:"val_acc"`
		TestAcc  jsonfloat.Float `json:"test_acc"`
		Layers   []jsonLayers    `json:"layers"`
	}{plain: c, TrainAcc: jsonfloat.Float(r.TrainAcc), ValAcc: jsonfloat.Float(r.ValAcc), TestAcc: jsonfloat.Float(r.TestAcc), Layers: toJSONLayers(r.Layers)})
	return data, err
}

type jsonLayers struct {
	Name      string            `json:"name"`
	AtomNames []string          `json:"atom_names"`
	Atoms     []jsonfloat.Float `json:"atoms"`
	HY        jsonfloat.Float   `json:"h_y"`
}

func toJSONLayers(ls []LayerAtoms) []jsonLayers {
	out := make([]jsonLayers, len(ls))
	for i, l := range ls {
		out[i] = jsonLayers{Name: l.Name, AtomNames: l.AtomNames, Atoms: jsonfloat.Slice(l.Atoms), HY: jsonfloat.Float(l.HY)}
	}
	return out
}

// layerNames lists the network's layers and their γ names (atoms, then h_res).
func (s Spec) layerNames() ([]LayerAtoms, error) {
	net, err := s.Def.NetSpec()
	if err != nil {
		return nil, err
	}
	var out []LayerAtoms
	for _, l := range net.Layers {
		names := pid.GammaNames(l.Sources())
		out = append(out, LayerAtoms{Name: l.Name, AtomNames: names})
	}
	return out, nil
}

// Header returns results.csv's columns: id, seed, one gamma:ATOM per axis,
// epochs, train_acc, val_acc, test_acc, diverged, then LAYER:ATOM for every
// layer's atoms and h_res and LAYER:h_y.
func (s Spec) Header() ([]string, error) {
	layers, err := s.layerNames()
	if err != nil {
		return nil, err
	}
	cols := []string{"id", "seed"}
	for _, a := range s.Axes {
		cols = append(cols, "gamma:"+a.Atom)
	}
	if len(s.Named) > 0 {
		cols = append(cols, "point")
		for _, n := range s.GammaNames {
			cols = append(cols, "gamma:"+n)
		}
	}
	cols = append(cols, "epochs", "train_acc", "val_acc", "test_acc", "diverged")
	for _, l := range layers {
		for _, n := range l.AtomNames {
			cols = append(cols, l.Name+":"+n)
		}
		cols = append(cols, l.Name+":h_y")
	}
	return cols, nil
}

// gammaCols is how many gamma:ATOM columns results.csv has: one per axis,
// or every γ entry for named points.
func (s Spec) gammaCols() int {
	if len(s.Named) > 0 {
		return len(s.GammaNames)
	}
	return len(s.Axes)
}

// rowFromRecord checks that a run file is the finished run of job and
// extracts its results.
func (s Spec) rowFromRecord(job Job, rec runfile.Record, layers []LayerAtoms) (Row, error) {
	switch {
	case rec.Preset != s.Preset:
		return Row{}, fmt.Errorf("preset %s, the sweep's is %s", rec.Preset, s.Preset)
	case rec.Seed != job.Seed:
		return Row{}, fmt.Errorf("seed %d, the run's id says %d", rec.Seed, job.Seed)
	}
	if g, ok := rec.LastGamma(s.Layer); !ok || len(rec.Gamma) != len(layers) || !slices.Equal(g, job.Gamma) {
		return Row{}, fmt.Errorf("layer %s's γ %v is not the sweep point's %v", s.Layer, g, job.Gamma)
	}
	if rec.Diverged == "" && len(rec.Epochs) != s.Epochs {
		return Row{}, fmt.Errorf("%d of the sweep's %d epochs (not a finished run)", len(rec.Epochs), s.Epochs)
	}
	r := Row{ID: job.ID, Seed: job.Seed, Point: job.Label, Gamma: job.Point, Epochs: len(rec.Epochs), Diverged: rec.Diverged,
		TrainAcc: math.NaN(), ValAcc: math.NaN(), TestAcc: math.NaN()}
	var last []tasks.LayerStats
	if n := len(rec.Epochs); n > 0 && rec.Diverged == "" {
		e := rec.Epochs[n-1]
		r.TrainAcc, r.ValAcc, r.TestAcc = e.TrainAcc, e.ValAcc, e.TestAcc
		last = e.Layers
	}
	for i, l := range layers {
		la := LayerAtoms{Name: l.Name, AtomNames: l.AtomNames, Atoms: nanSlice(len(l.AtomNames)), HY: math.NaN()}
		if last != nil {
			if i >= len(last) || last[i].Name != l.Name || !slices.Equal(last[i].AtomNames, l.AtomNames) {
				return Row{}, fmt.Errorf("layers do not match the preset's")
			}
			copy(la.Atoms, last[i].Atoms)
			la.HY = last[i].HY
		}
		r.Layers = append(r.Layers, la)
	}
	return r, nil
}

func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

// record returns a row's CSV fields.
func (r Row) record(named bool) []string {
	f := []string{r.ID, strconv.FormatUint(r.Seed, 10)}
	if named {
		f = append(f, r.Point)
	}
	for _, g := range r.Gamma {
		f = append(f, csvNum(g))
	}
	f = append(f, strconv.Itoa(r.Epochs), csvNum(r.TrainAcc), csvNum(r.ValAcc), csvNum(r.TestAcc), r.Diverged)
	for _, l := range r.Layers {
		for _, v := range l.Atoms {
			f = append(f, csvNum(v))
		}
		f = append(f, csvNum(l.HY))
	}
	return f
}

// csvNum writes the shortest exact form; NaN (no value) is an empty field.
func csvNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// finishedFiles lists the ids of runs/<id>.json files (partial, temporary
// and hidden files and folders excluded), whether runs of the sweep or not.
func finishedFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, RunsDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".json") || strings.HasSuffix(n, partSuffix) {
			continue
		}
		ids = append(ids, strings.TrimSuffix(n, ".json"))
	}
	return ids, nil
}

// runFiles splits finishedFiles into the ids of s's runs and the paths of
// the other *.json files (strays: notes, runs of another sweep), which are
// ignored.
func runFiles(dir string, s Spec) (ids, strays []string, err error) {
	jobs, err := s.Jobs()
	if err != nil {
		return nil, nil, err
	}
	known := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		known[j.ID] = true
	}
	all, err := finishedFiles(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range all {
		if known[id] {
			ids = append(ids, id)
		} else {
			strays = append(strays, filepath.Join(dir, RunsDir, id+".json"))
		}
	}
	return ids, strays, nil
}

// Strays lists the *.json files in dir's runs/ folder that are not runs of
// s (see Result.Ignored); the sweep and Load ignore them.
func Strays(dir string, s Spec) ([]string, error) {
	_, strays, err := runFiles(dir, s)
	return strays, err
}

// strayNote is the note about an ignored file.
func strayNote(path string) string {
	return fmt.Sprintf("ignored %s: not a run of this sweep", printable.Clean(path))
}

// Collect reads the finished runs of a sweep folder into rows in the
// sweep's order. A run file of one of the sweep's runs that is not that
// finished run is an error; files with other names are ignored (Strays).
func Collect(dir string, s Spec) ([]Row, error) {
	jobs, err := s.Jobs()
	if err != nil {
		return nil, err
	}
	layers, err := s.layerNames()
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Job, len(jobs))
	for _, j := range jobs {
		byID[j.ID] = j
	}
	ids, _, err := runFiles(dir, s)
	if err != nil {
		return nil, err
	}
	var rows []Row
	for _, id := range ids {
		path := filepath.Join(dir, RunsDir, id+".json")
		job := byID[id]
		rec, err := runfile.LoadSummary(path)
		if err != nil {
			return nil, err
		}
		row, err := s.rowFromRecord(job, rec, layers)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, row)
	}
	index := func(r Row) int { return byID[r.ID].Index }
	slices.SortFunc(rows, func(a, b Row) int { return index(a) - index(b) })
	return rows, nil
}

// WriteResults regenerates dir/results.csv from the run files. It lists the
// run files again after writing and repeats if another process added one
// meanwhile, so the last of several shards to finish leaves a complete file.
func WriteResults(dir string) (rows int, err error) {
	s, err := ReadSpec(dir)
	if err != nil {
		return 0, err
	}
	header, err := s.Header()
	if err != nil {
		return 0, err
	}
	for try := 0; ; try++ {
		before, err := finishedFiles(dir)
		if err != nil {
			return 0, err
		}
		rs, err := Collect(dir, s)
		if err != nil {
			return 0, err
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(header)
		for _, r := range rs {
			w.Write(r.record(len(s.Named) > 0))
		}
		w.Flush()
		if err := runfile.WriteAtomic(filepath.Join(dir, ResultsFile), buf.Bytes()); err != nil {
			return 0, err
		}
		after, err := finishedFiles(dir)
		if err != nil {
			return 0, err
		}
		if slices.Equal(before, after) || try >= 20 {
			return len(rs), nil
		}
	}
}

// ReadResults parses a results.csv written for spec s. An error opening the
// file is returned as is; an error in its content is a *ResultsError, which
// names the line and column at fault.
func ReadResults(path string, s Spec) ([]Row, error) {
	f, err := safefile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := parseResults(f, s)
	if err != nil {
		return nil, &ResultsError{Path: path, Err: err}
	}
	return rows, nil
}

// ResultsError is a results.csv that could be opened but not parsed: its
// message is the file's path, ": " and what is wrong.
type ResultsError struct {
	Path string
	Err  error
}

func (e *ResultsError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *ResultsError) Unwrap() error { return e.Err }

func parseResults(r io.Reader, s Spec) ([]Row, error) {
	header, err := s.Header()
	if err != nil {
		return nil, err
	}
	layers, err := s.layerNames()
	if err != nil {
		return nil, err
	}
	jobs, err := s.Jobs()
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Job, len(jobs))
	for _, j := range jobs {
		byID[j.ID] = j
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	got, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file, want a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("not a results CSV: %w", err)
	}
	if !slices.Equal(got, header) {
		for i := range header {
			if i >= len(got) || got[i] != header[i] {
				have := "nothing"
				if i < len(got) {
					have = strconv.Quote(got[i])
				}
				return nil, fmt.Errorf("header column %d is %s, want %q (a results.csv of another sweep?)", i+1, have, header[i])
			}
		}
		return nil, fmt.Errorf("header has %d columns, want %d", len(got), len(header))
	}
	var rows []Row
	seen := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", line, len(rec), len(header))
		}
		row, err := parseRow(rec, header, s, layers)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		job, ok := byID[row.ID]
		switch {
		case !ok:
			return nil, fmt.Errorf("line %d: id %q is not a run of this sweep", line, row.ID)
		case seen[row.ID]:
			return nil, fmt.Errorf("line %d: id %q appears twice", line, row.ID)
		case job.Seed != row.Seed || !slices.Equal(job.Point, row.Gamma) || job.Label != row.Point:
			return nil, fmt.Errorf("line %d: γ and seed do not match id %q", line, row.ID)
		}
		seen[row.ID] = true
		rows = append(rows, row)
	}
	return rows, nil
}

func parseRow(rec, header []string, s Spec, layers []LayerAtoms) (Row, error) {
	col := 0
	next := func() (string, string) { col++; return rec[col-1], header[col-1] }
	number := func(optional bool) (float64, error) {
		v, name := next()
		if v == "" && optional {
			return math.NaN(), nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("column %s: %q is not a number", name, v)
		}
		return x, nil
	}
	var r Row
	r.ID, _ = next()
	seed, name := next()
	var err error
	if r.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil {
		return r, fmt.Errorf("column %s: %q is not a seed", name, seed)
	}
	if len(s.Named) > 0 {
		r.Point, _ = next()
	}
	for range s.gammaCols() {
		g, err := number(false)
		if err != nil {
			return r, err
		}
		r.Gamma = append(r.Gamma, g)
	}
	ep, name := next()
	if r.Epochs, err = strconv.Atoi(ep); err != nil || r.Epochs < 0 || r.Epochs > s.Epochs {
		return r, fmt.Errorf("column %s: %q is not an epoch count from 0 to %d", name, ep, s.Epochs)
	}
	for _, dst := range []*float64{&r.TrainAcc, &r.ValAcc, &r.TestAcc} {
		if *dst, err = number(true); err != nil {
			return r, err
		}
		if *dst < 0 || *dst > 1 {
			return r, fmt.Errorf("column %s: accuracy %g is outside [0, 1]", header[col-1], *dst)
		}
	}
	r.Diverged, _ = next()
	if r.Diverged == "" && (math.IsNaN(r.TestAcc) || r.Epochs != s.Epochs) {
		return r, errors.New("a run that did not diverge needs all epochs and accuracies")
	}
	for _, l := range layers {
		la := LayerAtoms{Name: l.Name, AtomNames: l.AtomNames}
		for range l.AtomNames {
			v, err := number(true)
			if err != nil {
				return r, err
			}
			la.Atoms = append(la.Atoms, v)
		}
		if la.HY, err = number(true); err != nil {
			return r, err
		}
		r.Layers = append(r.Layers, la)
	}
	return r, nil
}

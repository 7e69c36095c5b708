package tune

import (
	"bytes"
	"encoding/csv"
	"math"
	"path/filepath"
	"slices"
	"strconv"

	"infomorph-tui/internal/atomicfile"
)

// Header returns results.csv's columns: trial, state, epochs, val_acc,
// val_sd (the objective: mean and s.d. over seeds), test_acc, test_sd
// (recorded, never used to choose), train_acc, best_val (the best
// complete trial's val_acc up to this one), one gamma:ATOM per γ entry,
// how (the sampler step that proposed it), seconds.
func (s Spec) Header() []string {
	cols := []string{"trial", "state", "epochs", "val_acc", "val_sd", "test_acc", "test_sd", "train_acc", "best_val"}
	for _, n := range s.GammaNames {
		cols = append(cols, "gamma:"+n)
	}
	return append(cols, "how", "seconds")
}

// csvNum writes the shortest exact form; NaN (no value) is an empty field.
func csvNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// records returns the finished trials' CSV rows, in number order.
func records(trials []Trial) [][]string {
	var rows [][]string
	best := math.NaN()
	for _, t := range trials {
		r := t.Result
		if r == nil {
			continue
		}
		if r.State == Complete && !math.IsNaN(float64(r.Value)) && !(float64(r.Value) <= best) {
			best = float64(r.Value)
		}
		row := []string{strconv.Itoa(t.Number), string(r.State), strconv.Itoa(r.Epochs), csvNum(float64(r.Value)),
			csvNum(float64(r.ValueSD)), csvNum(float64(r.Test)), csvNum(float64(r.TestSD)), csvNum(float64(r.Train)), csvNum(best)}
		for _, g := range t.Proposal.Gamma {
			row = append(row, csvNum(g))
		}
		rows = append(rows, append(row, t.Proposal.How, strconv.FormatFloat(r.Seconds, 'f', 1, 64)))
	}
	return rows
}

// WriteResults regenerates dir/results.csv from the finished trials. It
// lists them again after writing and repeats if another process finished
// one meanwhile, so the last process to write leaves a complete file.
func WriteResults(dir string) (rows int, err error) {
	st, err := Open(dir)
	if err != nil {
		return 0, err
	}
	for try := 0; ; try++ {
		before, err := list(dir)
		if err != nil {
			return 0, err
		}
		trials, err := st.trials(before)
		if err != nil {
			return 0, err
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(st.Spec.Header())
		recs := records(trials)
		w.WriteAll(recs)
		if err := atomicfile.Write(filepath.Join(dir, ResultsFile), buf.Bytes(), 0o644); err != nil {
			return 0, err
		}
		after, err := list(dir)
		if err != nil {
			return 0, err
		}
		if sameKeys(before.results, after.results) || try >= 20 {
			return len(recs), nil
		}
	}
}

func sameKeys(a, b map[int]bool) bool {
	ka, kb := keys(a), keys(b)
	return slices.Equal(ka, kb)
}

func keys(m map[int]bool) []int {
	var k []int
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}

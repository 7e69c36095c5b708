package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRunTrainEval: run reports the running train accuracy by default and
// the re-evaluated training split with --train-eval, saying which in
// train_acc_kind; validation and test accuracies are the same either way.
func TestRunTrainEval(t *testing.T) {
	data := tinyData(t)
	type line struct {
		TrainAcc     *float64 `json:"train_acc"`
		TrainAccKind string   `json:"train_acc_kind"`
		ValAcc       *float64 `json:"val_acc"`
		TestAcc      *float64 `json:"test_acc"`
	}
	run := func(extra ...string) []line {
		args := append([]string{"run", "--preset", "mnist-context", "--data", data, "--epochs", "2", "--json"}, extra...)
		code, stdout, stderr := cli(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, %s", extra, code, stderr)
		}
		var out []line
		for _, s := range strings.Split(strings.TrimSpace(stdout), "\n") {
			var l line
			if err := json.Unmarshal([]byte(s), &l); err != nil || l.TrainAcc == nil || l.ValAcc == nil || l.TestAcc == nil {
				t.Fatalf("%v: line %q: %v", extra, s, err)
			}
			out = append(out, l)
		}
		return out
	}
	running, evaluated := run(), run("--train-eval")
	if len(running) != 3 || len(evaluated) != 3 {
		t.Fatalf("%d and %d lines, want 3", len(running), len(evaluated))
	}
	for i := range running {
		a, b := running[i], evaluated[i]
		if a.TrainAccKind != "running" || b.TrainAccKind != "eval" {
			t.Errorf("line %d: train_acc_kind %q and %q, want running and eval", i, a.TrainAccKind, b.TrainAccKind)
		}
		if *a.ValAcc != *b.ValAcc || *a.TestAcc != *b.TestAcc {
			t.Errorf("line %d: val/test %v/%v by default, %v/%v with --train-eval", i, *a.ValAcc, *a.TestAcc, *b.ValAcc, *b.TestAcc)
		}
		if *a.TrainAcc == *b.TrainAcc {
			t.Errorf("line %d: running and evaluated train accuracy both %v", i, *a.TrainAcc)
		}
	}
}

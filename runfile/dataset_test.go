package runfile

import (
	"strings"
	"testing"

	"infomorph-tui/tasks"
)

// A run file records the data set's name, round-trips it, and refuses a
// name that is not printable text on one line.
func TestDatasetField(t *testing.T) {
	rec, _ := trained(t)
	if rec.Dataset != "mnist" {
		t.Fatalf("dataset %q, want mnist (a set without a folder)", rec.Dataset)
	}
	rec.Dataset = "idx /data/fashion"
	data, err := Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil || back.Dataset != "idx /data/fashion" {
		t.Fatalf("parsed dataset %q, %v", back.Dataset, err)
	}
	rec.Dataset = "idx /tmp/\x1b[31mred"
	data, _ = Marshal(rec)
	if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), `field "dataset"`) {
		t.Errorf("escape in dataset: %v", err)
	}
	// Resuming fits the network to the data: a record of MNIST-shaped data
	// does not resume on the bars task.
	rec.Dataset = "mnist"
	if _, _, err := rec.Resume(tasks.NewBars()); err == nil {
		t.Error("resumed an MNIST run on the bars task")
	}
}

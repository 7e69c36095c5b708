package sweep

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"infomorph-tui/presets"
)

// errorsSpec is a small grid over mnist-readout, written to a fresh folder.
func errorsSpec(t *testing.T) (string, Spec) {
	t.Helper()
	p, err := presets.Find(presets.Builtin(), "mnist-readout")
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseVary("{1}=0:1:2")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSpec(p, "", []Vary{v}, 0, 0, 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	s.Data = "mnist 4 train / 2 validation / 2 test"
	dir := t.TempDir()
	if err := writeManifest(dir, s, 2); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// TestLoadBrokenResults: a results.csv that cannot be parsed is a
// *ResultsError naming the file, and Load adds how to repair it, keeping
// the cause reachable with errors.As.
func TestLoadBrokenResults(t *testing.T) {
	dir, s := errorsSpec(t)
	path := filepath.Join(dir, ResultsFile)
	if err := os.WriteFile(path, []byte("id,\"seed\n"), 0o644); err != nil { // an unterminated quote
		t.Fatal(err)
	}

	_, err := ReadResults(path, s)
	re, ok := errors.AsType[*ResultsError](err)
	if !ok || re.Path != path || !strings.HasPrefix(err.Error(), path+": not a results CSV: ") {
		t.Fatalf("ReadResults: %v (%T)", err, err)
	}
	if _, ok := errors.AsType[*csv.ParseError](err); !ok {
		t.Errorf("ReadResults: the csv error is not wrapped: %v", err)
	}

	_, err = Load(dir)
	want := err != nil && strings.HasPrefix(err.Error(), re.Error()) &&
		strings.HasSuffix(err.Error(), " (running the sweep command again rewrites it from the run files)")
	if !want {
		t.Fatalf("Load: %v", err)
	}
	if _, ok := errors.AsType[*ResultsError](err); !ok {
		t.Errorf("Load: the *ResultsError is not wrapped: %v", err)
	}

	// A missing results.csv is no error: the rows come from the run files.
	os.Remove(path)
	if res, err := Load(dir); err != nil || len(res.Rows) != 0 {
		t.Errorf("Load without results.csv: %v, %d rows", err, len(res.Rows))
	}
}

// TestErrorsWrap: sweep's errors keep their causes for errors.Is/As.
func TestErrorsWrap(t *testing.T) {
	dir, _ := errorsSpec(t)
	manifest := filepath.Join(dir, ManifestFile)
	if err := os.WriteFile(manifest, []byte(`{"schema": x}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadSpec(dir)
	if _, ok := errors.AsType[*json.SyntaxError](err); !ok || !strings.HasPrefix(err.Error(), manifest+": not a valid sweep manifest: ") {
		t.Errorf("ReadSpec of broken JSON: %v", err)
	}
	_, err = Load(dir)
	if _, ok := errors.AsType[*json.SyntaxError](err); !ok {
		t.Errorf("Load of a broken manifest: %v", err)
	}
}

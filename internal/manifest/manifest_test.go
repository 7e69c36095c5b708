package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type testManifest struct {
	Header
	Runs int `json:"runs"`
}

func TestRead(t *testing.T) {
	want := Header{Schema: 1, Kind: "infomorph-tui test"}
	cases := []struct {
		name, body, err string
		runs            int
	}{
		{"ok", `{"schema":1,"kind":"infomorph-tui test","runs":3}`, "", 3},
		{"other kind", `{"schema":1,"kind":"infomorph-tui study","runs":3}`, `kind "infomorph-tui study" schema 1, this build reads "infomorph-tui test" schema 1`, 0},
		{"newer schema", `{"schema":2,"kind":"infomorph-tui test"}`, "schema 2, this build reads", 0},
		{"unknown field", `{"schema":1,"kind":"infomorph-tui test","extra":1}`, `not a valid test manifest: json: unknown field "extra"`, 0},
		{"not json", `{"schema":`, "not a valid test manifest", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "m.json"), []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			var m testManifest
			err := Read(dir, "m.json", "test", want, &m)
			if c.err == "" {
				if err != nil || m.Runs != c.runs {
					t.Fatalf("Read = %v, runs %d; want nil, %d", err, m.Runs, c.runs)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "m.json") {
				t.Fatalf("Read error = %v, want one naming m.json and containing %q", err, c.err)
			}
		})
	}
}

func TestReadMissingAndNotRegular(t *testing.T) {
	dir := t.TempDir()
	var m testManifest
	err := Read(dir, "m.json", "test", Header{1, "k"}, &m)
	if err == nil || err.Error() != dir+": not a test folder (no m.json)" {
		t.Fatalf("missing file: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "m.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Read(dir, "m.json", "test", Header{1, "k"}, &m); err == nil {
		t.Fatal("a directory named m.json was read as a manifest")
	}
}

package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"infomorph-tui/internal/atomicfile"
	"infomorph-tui/presets"
	"infomorph-tui/tune"
)

// runPresetSave writes the best γ of a tune study as the user preset o.save.
func runPresetSave(s Stdio, o presetsOptions) error {
	switch {
	case o.save == "" || o.from == "":
		return usagef("--save NAME needs --from STUDY_DIR (and --from needs --save)")
	case o.json:
		return usagef("--json lists presets; it does not go with --save")
	}
	st, err := tune.Open(o.from)
	if err != nil {
		return badInput(err)
	}
	b, err := st.Best()
	if err != nil {
		return badInput(err)
	}
	p, err := st.Preset(b, o.save)
	if err != nil {
		return badInput(fmt.Errorf("--save %q: %w", o.save, err))
	}
	all, _ := presets.Everything()
	dir := presets.UserDir()
	if dir == "" {
		return errors.New("no folder for user presets (no home folder)")
	}
	path := filepath.Join(dir, o.save+".json")
	if q, err := presets.Find(all, o.save); err == nil && (q.Source == "builtin" || !o.force) {
		if q.Source == "builtin" {
			return usagef("--save %q: a built-in preset has that name", o.save)
		}
		return usagef("--save %q: the user preset %s exists (--force replaces it)", o.save, q.Source)
	}
	if _, err := os.Stat(path); err == nil && !o.force {
		return usagef("--save %q: %s exists (--force replaces it)", o.save, path)
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if _, err := presets.Parse(data, path); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := atomicfile.Write(path, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(s.Err, "saved preset %s (trial %d of %s, validation %.2f%%) to %s\n", o.save, b.Number, o.from, 100*b.Value(), path)
	return nil
}

// Package version says which build of infomorph-tui is running, for
// `infomorph-tui version` and the run files it writes.
//
// The version comes from, in order: the -ldflags stamp of a release build
// (go build -ldflags "-X infomorph-tui/internal/version.stamp=v1.2.0"), the
// module version Go records when the binary is built with `go install
// module@version`, or "dev". The VCS revision that `go build` records in a git
// checkout is added when present, with "+dirty" for uncommitted changes.
package version

import (
	"runtime/debug"
	"strings"
)

// stamp is set by -ldflags for release builds; empty otherwise.
var stamp string

// String is the version and, when known, the short VCS revision: "v1.2.0",
// "dev 3f2a9c1b7d0e", "dev 3f2a9c1b7d0e+dirty".
func String() string {
	bi, _ := debug.ReadBuildInfo()
	return describe(stamp, bi)
}

// describe is String for a given stamp and build info (bi may be nil).
func describe(stamp string, bi *debug.BuildInfo) string {
	v := "dev"
	switch {
	case stamp != "":
		v = stamp
	case bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)":
		v = bi.Main.Version
	}
	if bi == nil {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	short := rev[:min(12, len(rev))]
	if strings.Contains(v, short) { // a pseudo-version already names the commit
		if dirty && !strings.HasSuffix(v, "+dirty") {
			v += "+dirty"
		}
		return v
	}
	v += " " + short
	if dirty {
		v += "+dirty"
	}
	return v
}

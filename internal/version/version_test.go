package version

import (
	"runtime/debug"
	"testing"
)

func TestDescribe(t *testing.T) {
	vcs := func(main, rev, modified string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "infomorph-tui", Version: main}}
		if rev != "" {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: "vcs.revision", Value: rev})
		}
		if modified != "" {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: "vcs.modified", Value: modified})
		}
		return bi
	}
	const rev = "3f2a9c1b7d0e55aa00112233445566778899aabb"
	for _, tc := range []struct {
		name  string
		stamp string
		bi    *debug.BuildInfo
		want  string
	}{
		{"no build info", "", nil, "dev"},
		{"stamped, no info", "v1.2.0", nil, "v1.2.0"},
		{"devel checkout", "", vcs("(devel)", rev, "false"), "dev 3f2a9c1b7d0e"},
		{"dirty checkout", "", vcs("(devel)", rev, "true"), "dev 3f2a9c1b7d0e+dirty"},
		{"go install module@v1.0.0", "", vcs("v1.0.0", "", ""), "v1.0.0"},
		{"stamp wins over module version", "v2.0.0", vcs("v1.0.0", rev, "false"), "v2.0.0 3f2a9c1b7d0e"},
		{"pseudo-version names the commit", "", vcs("v0.0.0-20261202065313-3f2a9c1b7d0e", rev, "false"), "v0.0.0-20261202065313-3f2a9c1b7d0e"},
		{"pseudo-version, dirty", "", vcs("v0.0.0-20261202065313-3f2a9c1b7d0e+dirty", rev, "true"), "v0.0.0-20261202065313-3f2a9c1b7d0e+dirty"},
	} {
		if got := describe(tc.stamp, tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The test binary has build info; String never returns an empty string.
func TestString(t *testing.T) {
	if String() == "" {
		t.Fatal("empty version")
	}
}

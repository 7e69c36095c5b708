package printable

import "testing"

func TestPrintable(t *testing.T) {
	for s, want := range map[string]bool{
		"readout": true, "γ{1}{2} — “x” · 10": true, "a b": true, "": true,
		"a\x1b[2J": false, "two\nlines": false, "tab\t": false, "\u202eevil": false,
		"nbsp\u00a0": false, "\xff": false, "nul\x00": false, "del\x7f": false,
	} {
		if got := Is(s); got != want {
			t.Errorf("Is(%q) = %v, want %v", s, got, want)
		}
	}
	for in, want := range map[string]string{
		"readout":      "readout",
		"a\x1b[2Jb":    `a\x1b[2Jb`,
		"x\ny":         `x\ny`,
		"θ\u202e":      `θ\u202e`,
		"bad\xffutf":   `bad\xffutf`,
		"\x07bell\x00": `\abell\x00`,
		"ok · γ “q”":   "ok · γ “q”",
	} {
		got := Clean(in)
		if got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
		if !Is(got) {
			t.Errorf("Clean(%q) = %q is not printable", in, got)
		}
	}
	if q := Quote("a\x1bb"); q != `"a\x1bb"` {
		t.Errorf("Quote = %s", q)
	}
	long := ""
	for range 50 {
		long += "x"
	}
	if q := Quote(long); len(q) != 40+2+len("…") || !Is(q) {
		t.Errorf("Quote(long) = %s", q)
	}
}

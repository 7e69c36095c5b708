// Package printable checks and escapes text that comes from files, so that
// no file can put control characters, terminal escape sequences or
// invisible formatting (bidirectional overrides) into the program's output.
// It imports only the standard library.
//
// Invariant: the strings Quote and Clean return hold printable characters
// only (Is reports true for them).
package printable

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Is reports whether s is valid UTF-8 of printable characters only: letters,
// marks, numbers, punctuation, symbols and the ASCII space (unicode.IsPrint).
// Control characters (ESC, newline, tab), format characters such as U+202E
// and other spaces are not.
func Is(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Quote is s in double quotes, Go-escaped where not printable, cut to its
// first 40 characters: safe to show in an error whatever s holds.
func Quote(s string) string {
	const show = 40
	if utf8.RuneCountInString(s) > show {
		r := []rune(s)
		q := strconv.QuoteToGraphic(string(r[:show]))
		return q[:len(q)-1] + `…"`
	}
	return strconv.QuoteToGraphic(s)
}

// Clean returns s with every character that is not printable replaced by
// its Go escape (ESC becomes `\x1b`, a newline `\n`); printable text is
// unchanged. Use it where text from a file is written for a terminal.
func Clean(s string) string {
	if Is(s) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		if r == utf8.RuneError && n == 1 {
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
			continue
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

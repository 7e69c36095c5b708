package pid

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is what a γ entry measures: unique, shared (redundant) or
// synergistic information about the target, or the residual entropy.
type Kind int

// Kinds of γ entries; the zero Kind is not one.
const (
	Unique   Kind = iota + 1 // one single source: {1}
	Shared                   // several members: {1}{2}, {1}{23}
	Synergy                  // one member of several sources: {12}
	Residual                 // HRes
)

// String returns the kind's word: "unique", "shared", "synergy" or
// "residual"; "" for the zero Kind.
func (k Kind) String() string {
	switch k {
	case Unique:
		return "unique"
	case Shared:
		return "shared"
	case Synergy:
		return "synergy"
	case Residual:
		return "residual"
	}
	return ""
}

// KindOf returns the kind of an atom name in paper notation ("{1}{23}") or
// of HRes, and 0 for any other string.
func KindOf(name string) Kind {
	if name == HRes {
		return Residual
	}
	sets := parseAtom(name)
	switch {
	case len(sets) == 0:
		return 0
	case len(sets) > 1:
		return Shared
	case len(sets[0]) == 1:
		return Unique
	default:
		return Synergy
	}
}

// Meaning says in words what the γ entry name of a lattice of the given
// number of sources measures: "unique S1", "shared S1·(S2,S3)", "synergy"
// (the one synergy of two sources), "synergy (S1,S2)" (with three sources,
// every synergy names its sources), and "unexplained" for HRes; "" if name
// is neither an atom name nor HRes.
//
// letters[k] names source k+1 instead of "S1", "S2", "S3". A set of several
// sources is written side by side when every name in it is one character
// ("shared F·CL", "synergy FC"), else in parentheses with commas. A
// bivariate layer whose second source is lateral passes "F", "L".
func Meaning(name string, sources int, letters ...string) string {
	if name == HRes {
		return "unexplained"
	}
	sets := parseAtom(name)
	if len(sets) == 0 {
		return ""
	}
	letter := func(src int) string {
		if src <= len(letters) && letters[src-1] != "" {
			return letters[src-1]
		}
		return "S" + strconv.Itoa(src)
	}
	set := func(srcs []int) string {
		if len(srcs) == 1 {
			return letter(srcs[0])
		}
		parts := make([]string, len(srcs))
		short := true
		for i, s := range srcs {
			parts[i] = letter(s)
			short = short && utf8.RuneCountInString(parts[i]) == 1
		}
		if short {
			return strings.Join(parts, "")
		}
		return "(" + strings.Join(parts, ",") + ")"
	}
	switch kind := KindOf(name); kind {
	case Unique:
		return kind.String() + " " + set(sets[0])
	case Synergy:
		if sources <= 2 {
			return kind.String()
		}
		return kind.String() + " " + set(sets[0])
	default: // Shared
		parts := make([]string, len(sets))
		for i, s := range sets {
			parts[i] = set(s)
		}
		return kind.String() + " " + strings.Join(parts, "·")
	}
}

// parseAtom splits an atom name such as "{1}{23}" into its members' sources
// ([[1] [2 3]]); nil if name is not a sequence of braced source digits from
// 1 to MaxSources.
func parseAtom(name string) [][]int {
	var sets [][]int
	for name != "" {
		end := strings.IndexByte(name, '}')
		if name[0] != '{' || end < 2 {
			return nil
		}
		set := make([]int, 0, end-1)
		for _, c := range name[1:end] {
			if c < '1' || c > '0'+MaxSources {
				return nil
			}
			set = append(set, int(c-'0'))
		}
		sets = append(sets, set)
		name = name[end+1:]
	}
	return sets
}

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"infomorph-tui/pid"
)

// maxPIDInput bounds the bytes read for one pmf; far above any real table
// (a 3-source 20×20×20 pmf is ~400 kB of JSON) and keeps every axis product
// within int32 cell indices.
const maxPIDInput = 64 << 20

const pidUsage = `usage: infomorph-tui pid [--table] [FILE|-]

Reads {"p": [...]} — a nested array with the target index first, p[t][s1],
p[t][s1][s2] or p[t][s1][s2][s3], entries ≥ 0 summing to 1 — from FILE or
standard input, and prints its I^sx decomposition in bits as JSON
(or, with --table, as a readable table).
`

// cmdPID is the PID calculator: JSON pmf in, atoms out.
func cmdPID(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		msg := strings.ReplaceAll(fmt.Sprintf(format, a...), "\n", " ")
		fmt.Fprintf(stderr, "infomorph-tui pid: %s\n", msg)
		return exitUsage
	}
	table := false
	var files []string
	flagsDone := false
	for _, a := range args {
		switch {
		case flagsDone || a == "-" || !strings.HasPrefix(a, "-"):
			files = append(files, a)
		case a == "--":
			flagsDone = true
		case a == "--table" || a == "-table":
			table = true
		case a == "-h" || a == "--help" || a == "-help":
			fmt.Fprint(stdout, pidUsage)
			return 0
		default:
			return fail("unknown flag %q (usage: infomorph-tui pid [--table] [FILE|-])", a)
		}
	}
	if len(files) > 1 {
		return fail("expected at most one input file, got %d", len(files))
	}
	in, name := stdin, "standard input"
	if len(files) == 1 && files[0] != "-" {
		f, err := os.Open(files[0])
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		in, name = f, files[0]
	}
	data, err := io.ReadAll(io.LimitReader(in, maxPIDInput+1))
	if err != nil {
		return fail("reading %s: %v", name, err)
	}
	if len(data) > maxPIDInput {
		return fail("%s is larger than %d MiB", name, maxPIDInput>>20)
	}
	d, err := parsePIDInput(data)
	if err != nil {
		return fail("%v", err)
	}
	r, err := pid.Decompose(d)
	if err != nil {
		return fail("%v", err)
	}
	if !resultFinite(r) {
		// Not reachable for a valid pmf; refuse rather than print non-JSON.
		return fail("decomposition is not finite")
	}
	var out []byte
	if table {
		out = pidTable(r)
	} else {
		out = pidJSON(r)
	}
	if _, err := stdout.Write(out); err != nil {
		return fail("writing output: %v", err)
	}
	return 0
}

// parsePIDInput validates {"p": nested array} and flattens it into a Dist.
func parsePIDInput(data []byte) (pid.Dist, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return pid.Dist{}, errors.New("empty input (want a JSON object {\"p\": [...]})")
	}
	if !utf8.Valid(data) {
		return pid.Dist{}, errors.New("malformed JSON: input is not UTF-8")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return pid.Dist{}, errors.New("input must be a JSON object {\"p\": [...]}")
		}
		return pid.Dist{}, fmt.Errorf("malformed JSON: %v", err)
	}
	if top == nil {
		return pid.Dist{}, errors.New("input must be a JSON object {\"p\": [...]}")
	}
	raw, ok := top["p"]
	if !ok {
		return pid.Dist{}, errors.New(`missing field "p"`)
	}
	return parsePMF(raw)
}

// pmfParser streams the tokens of "p", checking as it goes that the array is
// rectangular, 2 to 4 levels deep, with finite non-negative numbers as leaves.
// Axis lengths are fixed by the first array closed at each depth (depth-first,
// so before any sibling); every later array must match.
type pmfParser struct {
	dec   *json.Decoder
	shape [1 + pid.MaxSources]int // length per depth, 0 while unknown
	leaf  int                     // depth of the numbers, -1 while unknown
	idx   [1 + pid.MaxSources]int
	vals  []float64
}

func parsePMF(raw []byte) (pid.Dist, error) {
	ps := &pmfParser{dec: json.NewDecoder(bytes.NewReader(raw)), leaf: -1}
	ps.dec.UseNumber()
	tok, err := ps.dec.Token()
	if err != nil {
		return pid.Dist{}, fmt.Errorf("malformed JSON in \"p\": %v", err)
	}
	if tok != json.Delim('[') {
		return pid.Dist{}, fmt.Errorf(`"p" is %s; want a nested array p[t][s1]...`, tokenKind(tok))
	}
	if err := ps.array(0); err != nil {
		return pid.Dist{}, err
	}
	if ps.leaf < 2 {
		return pid.Dist{}, errors.New(`"p" needs a target axis and at least one source axis: p[t][s1]...`)
	}
	d := pid.Dist{Shape: append([]int(nil), ps.shape[:ps.leaf]...), P: ps.vals}
	if err := d.Validate(); err != nil {
		return pid.Dist{}, err
	}
	return d, nil
}

// array reads the elements of an array at depth d whose '[' was consumed.
func (ps *pmfParser) array(d int) error {
	if d > pid.MaxSources {
		return fmt.Errorf(`"p" is nested deeper than p[t][s1][s2][s3]: at most %d sources are supported`, pid.MaxSources)
	}
	n := 0
	for {
		tok, err := ps.dec.Token()
		if err != nil {
			return fmt.Errorf("malformed JSON in \"p\": %v", err)
		}
		if tok == json.Delim(']') {
			break
		}
		ps.idx[d] = n
		at := "p" + indexString(ps.idx[:d+1])
		switch v := tok.(type) {
		case json.Delim:
			if v != '[' {
				return fmt.Errorf("%s is an object, not a number or array", at)
			}
			if ps.leaf >= 0 && d+1 >= ps.leaf {
				return fmt.Errorf("ragged array: %s is an array, want a number", at)
			}
			if err := ps.array(d + 1); err != nil {
				return err
			}
		case json.Number:
			if ps.leaf < 0 {
				ps.leaf = d + 1
			} else if ps.leaf != d+1 {
				return fmt.Errorf("ragged array: %s is a number, want an array", at)
			}
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return fmt.Errorf("%s = %s is not a finite number", at, clip(string(v)))
			}
			if f < 0 {
				return fmt.Errorf("%s = %s is negative", at, clip(string(v)))
			}
			ps.vals = append(ps.vals, f)
		default:
			return fmt.Errorf("%s is %s, not a number", at, tokenKind(tok))
		}
		n++
	}
	at := "p" + indexString(ps.idx[:d])
	switch {
	case n == 0:
		return fmt.Errorf("%s is an empty array", at)
	case ps.shape[d] == 0:
		ps.shape[d] = n
	case ps.shape[d] != n:
		return fmt.Errorf("ragged array: %s has %d entries, want %d", at, n, ps.shape[d])
	}
	return nil
}

func indexString(idx []int) string {
	var b strings.Builder
	for _, i := range idx {
		fmt.Fprintf(&b, "[%d]", i)
	}
	return b.String()
}

func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	}
	return "not a number"
}

// clip shortens a number literal for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func resultFinite(r pid.Result) bool {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for _, v := range r.Atoms {
		if !ok(v) {
			return false
		}
	}
	for _, v := range r.MI {
		if !ok(v) {
			return false
		}
	}
	return ok(r.HRes)
}

func formatBits(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// pidJSON writes the result with keys in the documented order.
func pidJSON(r pid.Result) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"sources\": %d,\n  \"atoms\": {", r.Sources)
	for i, name := range r.Names {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n    %s: %s", jsonString(name), formatBits(r.Atoms[i]))
	}
	fmt.Fprintf(&b, "\n  },\n  \"h_res\": %s,\n  \"mi\": {", formatBits(r.HRes))
	for i, name := range r.MINames {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n    %s: %s", jsonString(name), formatBits(r.MI[name]))
	}
	b.WriteString("\n  }\n}\n")
	return b.Bytes()
}

// atomMeaning describes an antichain in words: "unique S1", "shared S1·S2",
// "shared S1·(S2,S3)", "synergy (S1,S2)", "synergy".
func atomMeaning(name string, n int) string {
	members := strings.Split(strings.TrimSuffix(strings.TrimPrefix(name, "{"), "}"), "}{")
	render := func(m string) string {
		parts := make([]string, len(m))
		for i, c := range m {
			parts[i] = "S" + string(c)
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, ",") + ")"
	}
	if len(members) == 1 {
		m := members[0]
		switch {
		case len(m) == 1:
			return "unique " + render(m)
		case len(m) == n:
			return "synergy"
		default:
			return "synergy " + render(m)
		}
	}
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = render(m)
	}
	return "shared " + strings.Join(parts, "·")
}

// pidTable renders an aligned, human-readable table.
func pidTable(r pid.Result) []byte {
	type row struct{ a, b, c string }
	rows := []row{{"atom", "meaning", "bits"}}
	for i, name := range r.Names {
		rows = append(rows, row{name, atomMeaning(name, r.Sources), fmt.Sprintf("%.6f", r.Atoms[i])})
	}
	rows = append(rows, row{"h_res", "residual H(T) − I(T;S)", fmt.Sprintf("%.6f", r.HRes)})
	rows = append(rows, row{})
	for _, name := range r.MINames {
		rows = append(rows, row{name, "mutual information", fmt.Sprintf("%.6f", r.MI[name])})
	}
	wa, wb, wc := 0, 0, 0
	for _, x := range rows {
		wa = max(wa, utf8.RuneCountInString(x.a))
		wb = max(wb, utf8.RuneCountInString(x.b))
		wc = max(wc, utf8.RuneCountInString(x.c))
	}
	pad := func(s string, w int) string { return s + strings.Repeat(" ", w-utf8.RuneCountInString(s)) }
	var b bytes.Buffer
	fmt.Fprintf(&b, "I^sx decomposition, %d source(s), H(T) = %.6f bits\n\n", r.Sources, r.HT)
	for _, x := range rows {
		if x == (row{}) {
			b.WriteByte('\n')
			continue
		}
		c := strings.Repeat(" ", wc-utf8.RuneCountInString(x.c)) + x.c // right-align numbers
		fmt.Fprintf(&b, "%s  %s  %s\n", pad(x.a, wa), pad(x.b, wb), c)
	}
	return b.Bytes()
}

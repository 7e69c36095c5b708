package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"infomorph-tui/pid"
)

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

// pidTable renders an aligned, human-readable table.
func pidTable(r pid.Result) []byte {
	type row struct{ a, b, c string }
	rows := []row{{"atom", "meaning", "bits"}}
	for i, name := range r.Names {
		rows = append(rows, row{name, pid.Meaning(name, r.Sources), fmt.Sprintf("%.6f", r.Atoms[i])})
	}
	rows = append(rows, row{pid.HRes, "residual H(T) − I(T;S)", fmt.Sprintf("%.6f", r.HRes)})
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

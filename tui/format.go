package tui

import (
	"fmt"
	"math"
	"time"
)

// pct formats a fraction as a percentage ("93.1%", "–" before any value).
func pct(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}

// rate formats samples per second compactly: 950, 41.2k, 1.3M.
func rate(r float64) string {
	switch {
	case math.IsNaN(r) || r <= 0:
		return "–"
	case r >= 1e6:
		return fmt.Sprintf("%.1fM", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.1fk", r/1e3)
	default:
		return fmt.Sprintf("%.0f", r)
	}
}

// clock formats an elapsed time: 12.3s, 4m05s, 1h02m.
func clock(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

// signed formats v with an explicit sign and the given decimals; NaN → "–".
func signed(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if v == 0 {
		v = 0 // no "-0.00"
	}
	s := fmt.Sprintf("%+.*f", dec, v)
	if s[1:] == fmt.Sprintf("%.*f", dec, 0.0) {
		return " " + s[1:]
	}
	return s
}

// gammaText formats a γ value: " 0.33", "-1.00".
func gammaText(v float64) string {
	s := fmt.Sprintf("%5.2f", v)
	if s == "-0.00" {
		return " 0.00"
	}
	return s
}

// roundGamma snaps a γ to the 0.01 grid and clamps it to [−2, 2].
func roundGamma(v float64) float64 {
	v = math.Round(v*100) / 100
	return math.Max(-2, math.Min(2, v))
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

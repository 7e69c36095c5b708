package sweep

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// Bar draws a sweep's progress. On a terminal it redraws one line in place
// (at most five times a second); otherwise (logs, cluster jobs) it writes a
// line per finished run.
type Bar struct {
	W    io.Writer
	TTY  bool
	Spec Spec
	last time.Time
}

// Update shows p.
func (b *Bar) Update(p Progress) {
	if !b.TTY {
		if p.Finished != nil {
			fmt.Fprintf(b.W, "%s %s\n", counter(p), b.runLine(p))
		}
		return
	}
	now := time.Now()
	if p.Finished == nil && now.Sub(b.last) < 200*time.Millisecond && p.Done < p.Runs {
		return
	}
	b.last = now
	fmt.Fprintf(b.W, "\r%s\x1b[K", barLine(p, 24))
}

// Finish ends the bar's line.
func (b *Bar) Finish(p Progress) {
	if b.TTY {
		fmt.Fprintf(b.W, "\r%s\x1b[K\n", barLine(p, 24))
	}
}

func counter(p Progress) string {
	w := len(fmt.Sprint(p.Runs))
	return fmt.Sprintf("[%*d/%d]", w, p.Done, p.Runs)
}

func (b *Bar) runLine(p Progress) string {
	r := p.Finished
	var parts []string
	if r.Point != "" {
		parts = append(parts, r.Point)
	}
	for k, g := range r.Gamma {
		if k < len(b.Spec.Axes) {
			parts = append(parts, fmt.Sprintf("%s=%.4g", b.Spec.Axes[k].Symbol(), g))
		}
	}
	res := fmt.Sprintf("test %.2f%%", 100*r.TestAcc)
	if r.Diverged != "" {
		res = "diverged: " + r.Diverged
	}
	eta := "ETA —"
	if d, ok := p.ETA(); ok {
		eta = "ETA " + clock(d)
	}
	return fmt.Sprintf("%s seed %d: %s  (%s elapsed, %s)", strings.Join(parts, " "), r.Seed, res, clock(p.Elapsed), eta)
}

// barLine is "[█████░░░░░] 9/18 runs  50%  2 running  0:12 elapsed  ETA 0:12".
func barLine(p Progress, width int) string {
	frac := 1.0
	if p.Steps > 0 {
		frac = math.Min(1, float64(p.StepsDone)/float64(p.Steps))
	}
	full := int(frac * float64(width))
	bar := strings.Repeat("█", full) + strings.Repeat("░", width-full)
	eta := "ETA —"
	if d, ok := p.ETA(); ok {
		eta = "ETA " + clock(d)
	}
	if p.Done == p.Runs {
		eta = "done"
	}
	extra := ""
	if p.Skipped > 0 {
		extra += fmt.Sprintf(", %d done before", p.Skipped)
	}
	if p.Diverged > 0 {
		extra += fmt.Sprintf(", %d diverged", p.Diverged)
	}
	return fmt.Sprintf("[%s] %d/%d runs%s  %3.0f%%  %d running  %s elapsed  %s",
		bar, p.Done, p.Runs, extra, 100*frac, p.Running, clock(p.Elapsed), eta)
}

// clock formats a duration as h:mm:ss or m:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

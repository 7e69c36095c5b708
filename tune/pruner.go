package tune

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Pruner stops unpromising trials early, like Optuna's MedianPruner
// (PercentilePruner): after an epoch, a trial whose best validation
// accuracy so far is below the given percentile of the complete trials'
// validation accuracy at that epoch is stopped.
type Pruner struct {
	// Percentile is the threshold's percentile of the complete trials'
	// values (50: the median); 0 switches pruning off.
	Percentile float64 `json:"percentile"`
	// Startup is how many complete trials there must be before any is pruned.
	Startup int `json:"startup"`
	// Warmup is how many epochs a trial trains before it can be pruned.
	Warmup int `json:"warmup"`
}

// DefaultPrune is the default --prune.
const DefaultPrune = "median,startup=5,warmup=2"

// On reports whether the pruner prunes at all.
func (p Pruner) On() bool { return p.Percentile > 0 }

// String is the pruner in --prune syntax.
func (p Pruner) String() string {
	if !p.On() {
		return "none"
	}
	kind := "median"
	if p.Percentile != 50 {
		kind = "percentile=" + strconv.FormatFloat(p.Percentile, 'g', -1, 64)
	}
	return fmt.Sprintf("%s,startup=%d,warmup=%d", kind, p.Startup, p.Warmup)
}

// ParsePrune reads --prune: "none", or "median" or "percentile=P" followed
// by optional ",startup=N" (complete trials before pruning starts, default
// 5) and ",warmup=E" (epochs before a trial can be pruned, default 2).
func ParsePrune(s string) (Pruner, error) {
	bad := func(format string, a ...any) (Pruner, error) {
		return Pruner{}, fmt.Errorf("--prune %q: "+format+" (want none, or median[,startup=N][,warmup=E] or percentile=P[,…])", append([]any{s}, a...)...)
	}
	parts := strings.Split(strings.TrimSpace(s), ",")
	if len(parts) == 1 && (parts[0] == "none" || parts[0] == "off") {
		return Pruner{}, nil
	}
	p := Pruner{Percentile: 50, Startup: 5, Warmup: 2}
	for i, part := range parts {
		k, v, hasValue := strings.Cut(strings.TrimSpace(part), "=")
		if i == 0 {
			switch {
			case k == "median" && !hasValue:
				continue
			case k == "percentile" && hasValue:
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || !(f > 0 && f <= 100) {
					return bad("percentile %q must be in (0, 100]", v)
				}
				p.Percentile = f
				continue
			}
			return bad("unknown pruner %q", part)
		}
		n, err := strconv.Atoi(v)
		if !hasValue || err != nil || n < 0 || n > 100000 {
			return bad("%q needs a whole number ≥ 0", part)
		}
		switch k {
		case "startup":
			p.Startup = n
		case "warmup":
			p.Warmup = n
		default:
			return bad("unknown setting %q", k)
		}
	}
	return p, nil
}

// Decision is what the pruner decided after an epoch.
type Decision struct {
	Prune     bool
	Best      float64 // the trial's best value so far
	Threshold float64 // the percentile it was compared with (NaN: none)
	Compared  int     // complete trials that reached the epoch
}

// Decide judges a trial after epoch e (1-based) of epochs, given its values
// per epoch so far (own[k] after epoch k+1) and the per-epoch values of the
// complete trials.
func (p Pruner) Decide(e, epochs int, own []float64, complete [][]float64) Decision {
	d := Decision{Threshold: math.NaN(), Best: math.Inf(-1)}
	for _, v := range own[:min(e, len(own))] {
		if !math.IsNaN(v) {
			d.Best = math.Max(d.Best, v)
		}
	}
	if !p.On() || e <= p.Warmup || e >= epochs || len(complete) < max(p.Startup, 1) {
		return d
	}
	var at []float64
	for _, c := range complete {
		if len(c) >= e && !math.IsNaN(c[e-1]) {
			at = append(at, c[e-1])
		}
	}
	d.Compared = len(at)
	if len(at) < max(p.Startup, 1) {
		return d
	}
	d.Threshold = percentile(at, p.Percentile)
	d.Prune = d.Best < d.Threshold
	return d
}

// percentile is the q-th percentile of v with linear interpolation between
// order statistics (numpy's default).
func percentile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	pos := q / 100 * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(s)-1)
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

package rollout

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Size is a count or a percentage: -batch 10% or -batch 25,
// -max-failures 0 or -max-failures 5%.
type Size struct {
	N       int
	Percent float64
	percent bool
}

// ParseSize reads "N" or "N%" (N ≥ 0; a percentage at most 100).
func ParseSize(flag, text string) (Size, error) {
	t := strings.TrimSpace(text)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v < 0 || v > 100 || math.IsNaN(v) {
			return Size{}, fmt.Errorf("rollout: %s %q: a percentage is 0%% to 100%%", flag, text)
		}
		return Size{Percent: v, percent: true}, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 {
		return Size{}, fmt.Errorf("rollout: %s %q: give a number of machines (10) or a percentage (10%%)", flag, text)
	}
	return Size{N: n}, nil
}

// String is the size as a flag takes it.
func (s Size) String() string {
	if s.percent {
		return strconv.FormatFloat(s.Percent, 'f', -1, 64) + "%"
	}
	return strconv.Itoa(s.N)
}

// BatchOf is the batch size for total machines: a percentage rounds up,
// and a batch holds at least one machine.
func (s Size) BatchOf(total int) int {
	n := s.N
	if s.percent {
		n = int(math.Ceil(s.Percent * float64(total) / 100))
	}
	return max(n, 1)
}

// AllowedOf is how many failures a batch of n machines may have before
// the rollout stops: a percentage rounds down (0% and 0 allow none).
func (s Size) AllowedOf(n int) int {
	if s.percent {
		return int(math.Floor(s.Percent * float64(n) / 100))
	}
	return s.N
}

// Plan splits machines into batches: a canary batch of the first machine,
// then batches of size (a percentage of all the machines given).
func Plan(machines []Machine, size Size) [][]Machine {
	if len(machines) == 0 {
		return nil
	}
	batches := [][]Machine{machines[:1]}
	rest := machines[1:]
	n := size.BatchOf(len(machines))
	for len(rest) > 0 {
		k := min(n, len(rest))
		batches = append(batches, rest[:k])
		rest = rest[k:]
	}
	return batches
}

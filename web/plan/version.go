package plan

import (
	"strconv"
	"strings"
)

// ServerVersion is an Octopus Server version such as 2026.4.6909.
type ServerVersion [4]int

// ParseServerVersion reads up to four dot-separated numbers; a suffix after
// "-" or "+" (pre-release, build metadata) is ignored.
func ParseServerVersion(s string) (ServerVersion, bool) {
	var v ServerVersion
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(s, "-+ "); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > len(v) {
		return v, false
	}
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || len(part) > 9 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

// Less reports whether v is older than w.
func (v ServerVersion) Less(w ServerVersion) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}

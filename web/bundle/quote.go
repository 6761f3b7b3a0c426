package bundle

import "strings"

// Sh quotes s as one POSIX shell word.
func Sh(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// PS quotes s as one PowerShell single-quoted string (no expansion).
func PS(s string) string {
	return "'" + psSingleQuoted.Replace(s) + "'"
}

// psSingleQuoted doubles every quote PowerShell ends a single-quoted string on.
var psSingleQuoted = strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b")

package bundle

import (
	"strings"
	"unicode/utf8"
)

// Every plan value that lands in a generated file passes through the one
// function of its target language in the quote*.go files: Sh (bash word),
// PS (PowerShell single-quoted literal), YAMLString and YAMLComment,
// XMLText, XMLAttr and XMLComment, HCLString, and ConfComment (nginx,
// HAProxy, nftables and iptables comment lines). No plan value is ever
// written inside a PowerShell double-quoted string, where $(...) runs.
//
// PowerShell native arguments (& $Tentacle @args) have no function here:
// Windows PowerShell 5.1 wraps an argument holding a space in quotes without
// escaping the quotes inside, so plan.Validate refuses '"' and a final '\'
// in every value that reaches a native command on Windows instead.

// Sh quotes s as one POSIX shell word. The bytes of s are kept exactly,
// even when they are not valid UTF-8.
func Sh(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// PS quotes s as one PowerShell single-quoted string (no expansion): it
// doubles ' and every typographic single quote (U+2018, U+2019, U+201A,
// U+201B), all of which end such a string in PowerShell. A file holding
// non-ASCII text must start with a UTF-8 byte order mark (see PSScript):
// Windows PowerShell 5.1 reads a file without one as Windows-1252, where
// the bytes of, say, U+0412 read as a closing quote.
func PS(s string) string {
	return "'" + psSingleQuoted.Replace(s) + "'"
}

// psSingleQuoted doubles every quote PowerShell ends a single-quoted string on.
var psSingleQuoted = strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b")

// UTF8BOM is the byte order mark Windows PowerShell 5.1 needs to read a
// script as UTF-8.
const UTF8BOM = "\uFEFF"

// PSScript returns a PowerShell script as it should be written to disk:
// with a UTF-8 byte order mark when it holds anything but ASCII, so that
// Windows PowerShell 5.1 does not read it as Windows-1252 (and PowerShell 7
// reads it the same way).
func PSScript(script string) string {
	if strings.HasPrefix(script, UTF8BOM) {
		return script
	}
	for i := 0; i < len(script); i++ {
		if script[i] >= utf8.RuneSelf {
			return UTF8BOM + script
		}
	}
	return script
}

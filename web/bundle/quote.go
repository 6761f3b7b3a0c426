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
// even when they are not valid UTF-8. Inside single quotes nothing is
// special; a ' and any backslashes just before one or at the end are
// written outside them as \' and \\, and typographic single quotes in
// double quotes: a shell reads the same, and shellcheck takes none of them
// for a mistake.
func Sh(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+%", r))
	}) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	open := false
	quote := func(want bool) {
		if open != want {
			b.WriteByte('\'')
			open = want
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quote(false)
			b.WriteString(`\'`)
		case c == '\\' && backslashesEndQuote(s[i:]):
			quote(false)
			b.WriteString(`\\`)
		case c == 0xE2 && shUnicodeQuote(s[i:]):
			quote(false)
			b.WriteString(`"` + s[i:i+3] + `"`)
			i += 2
		default:
			quote(true)
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return "''"
	}
	quote(false)
	return b.String()
}

// shUnicodeQuote reports whether s starts with a typographic single quote
// (U+2018, U+2019), which shellcheck takes for a mistyped quote inside
// single quotes (SC1112); Sh writes it in double quotes, where it is as
// literal and shellcheck accepts it (and the double ones the other way
// round: they stay inside the single quotes).
func shUnicodeQuote(s string) bool {
	return strings.HasPrefix(s, "\u2018") || strings.HasPrefix(s, "\u2019")
}

// backslashesEndQuote reports whether the backslashes s starts with are
// followed by a quote or by nothing.
func backslashesEndQuote(s string) bool {
	rest := strings.TrimLeft(s, `\`)
	return rest == "" || rest[0] == '\''
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

package bundle

import (
	"strings"
	"unicode"
)

// Comments: one line of readable text in a generated file.

// ConfComment makes s safe as the text of one comment line in nginx,
// HAProxy, nftables, iptables-restore, HCL and shell files (after "# "):
// line breaks of any kind, other control characters, bidirectional
// controls and bytes that are not UTF-8 cannot end the comment early, make
// it read differently from what a parser sees, or make a strict reader
// refuse the file.
func ConfComment(s string) string { return oneLine(s) }

// YAMLComment makes s safe as the text of one YAML comment line (after
// "# "). YAML 1.1 parsers, libyaml and go-yaml among them, also end a line
// at U+0085, U+2028 and U+2029, so a value holding one could start a new
// key; and a comment may hold printable characters only.
func YAMLComment(s string) string { return oneLine(s) }

// oneLine replaces what may not stand in a one-line comment: line breaks
// and tabs by a space; other control characters, bidirectional controls,
// byte order marks, non-characters and invalid UTF-8 by U+FFFD.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // an invalid byte arrives as U+FFFD
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case unicode.IsControl(r) || isBidiControl(r) || r == '\uFEFF' || isNonCharacter(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBidiControl reports the characters that reorder text on screen
// ("Trojan Source"): marks, embeddings, overrides and isolates.
func isBidiControl(r rune) bool {
	switch {
	case r == '\u061C', r == '\u200E', r == '\u200F':
		return true
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// isNonCharacter reports Unicode's non-characters (U+FDD0..U+FDEF and the
// last two code points of every plane), which XML and YAML do not allow.
func isNonCharacter(r rune) bool {
	return r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE
}

// mustEscape reports the characters a quoted scalar (YAML, HCL) writes as an
// escape rather than itself: controls, line breaks, format characters
// (zero-width, bidirectional controls, byte order mark), non-characters
// and U+FFFD, which stands for an invalid byte.
func mustEscape(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) || isNonCharacter(r) || r == '\uFFFD'
}

package bundle

import (
	"strings"
)

// XMLText escapes s for element content: &, < and > as entities (quotes
// stay, as Tentacle's XmlTextWriter writes them), CR as a character
// reference so parsers do not turn it into LF. Characters XML 1.0 cannot
// hold even as references (most controls, non-characters) and bytes that
// are not UTF-8 become U+FFFD.
func XMLText(s string) string { return xmlEscape(s, false) }

// XMLAttr escapes s for an attribute value in double or single quotes:
// as XMLText, plus both quotes, and tab and line breaks as references so
// attribute normalization keeps them.
func XMLAttr(s string) string { return xmlEscape(s, true) }

func xmlEscape(s string, attr bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case attr && r == '"':
			b.WriteString("&quot;")
		case attr && r == '\'':
			b.WriteString("&apos;")
		case attr && r == '\n':
			b.WriteString("&#xA;")
		case attr && r == '\t':
			b.WriteString("&#x9;")
		case !xmlChar(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// XMLComment makes s safe between "<!--" and "-->": on one line (see
// ConfComment), never "--" (a space goes between two hyphens), and never a
// final '-' (which would make "--->").
func XMLComment(s string) string {
	var b strings.Builder
	last := rune(0)
	for _, r := range oneLine(s) {
		if r == '-' && last == '-' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		last = r
	}
	if last == '-' {
		b.WriteByte(' ')
	}
	return b.String()
}

// xmlChar reports whether XML 1.0 allows r in a document (production Char),
// leaving out the C1 controls and non-characters it discourages.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r >= 0x7F && r <= 0x9F:
		return false
	case r >= 0xD800 && r <= 0xDFFF:
		return false
	case isNonCharacter(r):
		return false
	}
	return r <= 0x10FFFF
}

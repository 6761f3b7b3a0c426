package bundle

import (
	"fmt"
	"strings"
)

// YAMLString quotes s as a YAML double-quoted scalar, which no value can
// leave: '"' and '\' are escaped, and so is every character a YAML parser
// could take as a line break or refuse (controls, U+0085, U+2028, U+2029,
// byte order marks, non-characters), as well as invisible format
// characters, so a reader sees what the parser reads. Bytes that are not
// UTF-8 cannot be written in YAML: each becomes U+FFFD.
func YAMLString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\uFFFD':
			b.WriteRune(r) // YAML can hold it; it already stands for an invalid byte
		case mustEscape(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02X`, r)
		case mustEscape(r) && r < 0x10000:
			fmt.Fprintf(&b, `\u%04X`, r)
		case mustEscape(r):
			fmt.Fprintf(&b, `\U%08X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

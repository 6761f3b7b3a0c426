package bundle

import (
	"fmt"
	"strings"
)

// HCLString quotes s as an HCL (Terraform) quoted template that reads back
// as s: '"' and '\' escaped, "${" and "%{" written "$${" and "%%{" so they
// start no interpolation or directive, and control, line-break and
// invisible format characters as \u escapes (HCL knows no \x). Bytes that
// are not UTF-8 become U+FFFD.
func HCLString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case (r == '$' || r == '%') && i+1 < len(rs) && rs[i+1] == '{':
			b.WriteRune(r)
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\uFFFD':
			b.WriteRune(r)
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

package bundle

import "strings"

// TmshString makes s one double-quoted tmsh value, such as a description.
// tmsh reads "..." as one word (F5's tmsh reference writes descriptions
// that way, description [string]), but the rules for a quote, a backslash,
// a brace or $ [ ] inside one are not in the F5 documentation we could
// check, and the interactive tmsh shell reads ? as a request for help. So
// rather than escape, TmshString keeps a conservative set (ASCII letters
// and digits, space and - _ . , : / ( ) @ + =) and writes _ for every other
// character: the value stays readable and cannot end the string, open a
// block or start a second command. Names never pass through here: they are
// made of letters, digits and _ only (tmshName).
func TmshString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		if tmshSafe(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tmshSafe(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune(" -_.,:/()@+=", r)
}

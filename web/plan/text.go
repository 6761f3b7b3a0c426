package plan

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what one plan may hold. They bound the work a plan can ask
// of a host (plans arrive from share links, imports and the HTTP API) and
// are far above what a real cluster needs.
const (
	// MaxListItems bounds every list of names (environments, roles,
	// tenants, tenant tags, worker pools, balancer kinds).
	MaxListItems = 100
	// MaxValueBytes bounds every text value, in bytes of UTF-8.
	MaxValueBytes = 200
)

// RefusedRune says why r may not appear in any plan value, or "" when it
// may. Plan values end up in bash, PowerShell, YAML, XML and balancer
// configs; these characters change how those files are read (a line
// break, a YAML line separator) or cannot be written in them at all.
func RefusedRune(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "a byte sequence that is not valid UTF-8 text (shown as \uFFFD)"
	case r == '\u0085', r == '\u2028', r == '\u2029':
		return "a line separator (" + runeName(r) + ") that YAML and other formats read as a line break"
	case r == '\uFEFF':
		return "a byte order mark (U+FEFF)"
	case unicode.IsControl(r):
		return "the control character " + runeName(r) + controlNote(r)
	case r >= '\uFDD0' && r <= '\uFDEF', r&0xFFFE == 0xFFFE:
		return runeName(r) + ", which Unicode reserves as a non-character"
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
		return "the bidirectional control " + runeName(r) + ", which makes text display in another order than it is read"
	}
	return ""
}

// textProblem says what is wrong with a plan value as text, or "".
func textProblem(s string) string {
	if len(s) > MaxValueBytes {
		return fmt.Sprintf("This value is %d bytes long; the limit is %d bytes.", len(s), MaxValueBytes)
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return "This value is not valid UTF-8 text (byte " + strconv.Itoa(i+1) + " is not part of a character); type it again."
			}
		}
		if unicode.IsControl(r) && r != '\u0085' {
			return "Remove the line breaks, tabs or other control characters from this value: it holds " + runeName(r) + controlNote(r) + "."
		}
		if why := RefusedRune(r); why != "" {
			return "This value holds " + why + "; remove it."
		}
	}
	return ""
}

func runeName(r rune) string { return fmt.Sprintf("U+%04X", r) }

func controlNote(r rune) string {
	switch r {
	case '\n', '\r':
		return " (a line break)"
	case '\t':
		return " (a tab)"
	case 0:
		return " (NUL)"
	}
	return ""
}

// eachValue calls fn with the field path and value of every text value of
// p, in field order ("server.url", "nodes[1].name", "tentacle.roles[0]"),
// and with the path and length of every list. It walks the Plan type
// itself, so a field added later is checked without a new line here.
// A list whose callback returns false is not walked further.
func eachValue(p Plan, text func(field, value string), list func(field string, n int) bool) {
	walkValue(reflect.ValueOf(p), "", text, list)
}

func walkValue(v reflect.Value, path string, text func(field, value string), list func(field string, n int) bool) {
	switch v.Kind() {
	case reflect.String:
		text(path, v.String())
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name := jsonName(t.Field(i))
			if name == "" {
				continue
			}
			if path != "" {
				name = path + "." + name
			}
			walkValue(v.Field(i), name, text, list)
		}
	case reflect.Slice:
		if !list(path, v.Len()) {
			return
		}
		for i := range v.Len() {
			walkValue(v.Index(i), path+"["+strconv.Itoa(i)+"]", text, list)
		}
	}
}

// jsonName is the plan field name of a struct field, or "" when it is not
// part of the JSON form.
func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return ""
	}
	for i := 0; i < len(tag); i++ {
		if tag[i] == ',' {
			tag = tag[:i]
			break
		}
	}
	if tag == "" {
		return f.Name
	}
	return tag
}

// characters reports every value that is too long or holds a refused
// character, and every list that is too long, once each. Other checks on
// those fields are then silenced: their messages would only repeat it.
func (v *validator) characters() {
	eachValue(v.p, func(field, s string) {
		if v.silenced(field) {
			return
		}
		if msg := textProblem(s); msg != "" {
			v.errorf(field, "%s", msg)
			v.silence(field)
		}
	}, func(field string, n int) bool {
		if limit := listLimit(field); n > limit {
			v.errorf(field, "A plan can have at most %d %s; this one has %d.", limit, listNoun(field), n)
			v.silence(field)
			return false
		}
		return true
	})
}

func listLimit(field string) int {
	switch field {
	case "nodes":
		return MaxNodes
	case "fleet":
		return MaxFleet
	}
	return MaxListItems
}

func listNoun(field string) string {
	switch field {
	case "nodes":
		return "nodes"
	case "fleet":
		return "machines"
	}
	return "entries in this list"
}

func (v *validator) silence(field string) {
	if v.bad == nil {
		v.bad = map[string]bool{}
	}
	v.bad[field] = true
}

// silenced reports whether field, or the list it is an item of, already
// has its problem.
func (v *validator) silenced(field string) bool {
	for {
		if v.bad[field] {
			return true
		}
		i := strings.LastIndexByte(field, '[')
		if i <= 0 {
			return false
		}
		field = field[:i]
	}
}

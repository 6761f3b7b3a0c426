package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// KeyError is a key a plan document may not hold: one that appears twice
// in an object, or one that names a field only when letter case is
// ignored. encoding/json accepts both (the last duplicate wins, "TOPOLOGY"
// fills topology), so this wizard would read another plan than jq or a
// reviewer reads.
type KeyError struct {
	// Object is the path of the object that holds the key: "plan",
	// "tentacle", "nodes[1]".
	Object string
	Key    string
	// Want is the field the key differs from only by case; "" for a
	// duplicate key.
	Want string
}

func (e *KeyError) Error() string {
	if e.Want != "" {
		return fmt.Sprintf("plan: unknown key %q%s (did you mean %q?)", e.Key, e.where(), e.Want)
	}
	return fmt.Sprintf("plan: duplicate key %q%s", e.Key, e.where())
}

// Message is the error as a sentence for the person who sent the plan.
func (e *KeyError) Message() string {
	if e.Want != "" {
		return fmt.Sprintf("Unknown key %q%s (did you mean %q?): keys are case-sensitive.", e.Key, e.where(), e.Want)
	}
	return fmt.Sprintf("The plan has a duplicate key %q%s: keep one, so that everyone who reads the plan reads the same value.", e.Key, e.where())
}

// where is " in <object>" for a key below the top level.
func (e *KeyError) where() string {
	if e.Object == "plan" {
		return ""
	}
	return " in " + e.Object
}

// CheckKeys returns a *KeyError for the first key of data the plan format
// refuses (Decode refuses it too), or nil. It never builds the plan.
func CheckKeys(data []byte) error {
	if s := scan(data); s.key != nil {
		return s.key
	}
	return nil
}

// maxScanDepth is how deeply values of the wrong kind may nest, as in
// encoding/json; a plan itself nests three levels.
const maxScanDepth = 10000

// keyScan walks a plan document token by token along the Plan type. It
// stops at the first refused key, unknown key, or list longer than its
// limit, so a hostile document costs no more than reading it, and
// Decode builds values only from documents whose lists are in bounds.
// Syntax errors and values of the wrong kind are left to Decode, which
// reports them with positions and field names.
type keyScan struct {
	dec     *json.Decoder
	key     *KeyError
	problem *Problem // an unknown key or a list over its limit
}

func scan(data []byte) *keyScan {
	s := &keyScan{dec: json.NewDecoder(bytes.NewReader(data))}
	s.value(reflect.TypeFor[Plan](), "")
	return s
}

// value reads one value that should be of type t; false stops the walk.
func (s *keyScan) value(t reflect.Type, path string) bool {
	if t == nil || (t.Kind() != reflect.Struct && t.Kind() != reflect.Slice) {
		var raw json.RawMessage
		return s.dec.Decode(&raw) == nil
	}
	tok, err := s.dec.Token()
	if err != nil {
		return false
	}
	switch tok {
	case json.Delim('{'):
		if t.Kind() == reflect.Struct {
			return s.object(t, path)
		}
		return s.skip()
	case json.Delim('['):
		if t.Kind() == reflect.Slice {
			return s.list(t.Elem(), path)
		}
		return s.skip()
	}
	return true
}

func (s *keyScan) object(t reflect.Type, path string) bool {
	seen := map[string]bool{}
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return false
		}
		key, _ := tok.(string)
		if seen[key] {
			s.key = &KeyError{Object: objectName(path), Key: key}
			return false
		}
		seen[key] = true
		ft, want := fieldType(t, key)
		switch {
		case ft == nil && want != "":
			s.key = &KeyError{Object: objectName(path), Key: key, Want: want}
			return false
		case ft == nil:
			s.problem = &Problem{Field: objectName(path), Severity: Error, Message: fmt.Sprintf("Unknown field %q; check its spelling against the plan format (field names are case-sensitive).", key)}
			return false
		}
		if !s.value(ft, childPath(path, key)) {
			return false
		}
	}
	_, err := s.dec.Token()
	return err == nil
}

func (s *keyScan) list(elem reflect.Type, path string) bool {
	limit := listLimit(path)
	for n := 0; s.dec.More(); n++ {
		if n == limit {
			s.problem = &Problem{Field: path, Severity: Error, Message: fmt.Sprintf("A plan can have at most %d %s; this one has more.", limit, listNoun(path))}
			return false
		}
		if !s.value(elem, path+"["+strconv.Itoa(n)+"]") {
			return false
		}
	}
	_, err := s.dec.Token()
	return err == nil
}

// skip reads the rest of an object or list of the wrong kind.
func (s *keyScan) skip() bool {
	for depth := 1; depth > 0; {
		if depth > maxScanDepth {
			return false
		}
		tok, err := s.dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return true
}

// fieldType is the type of the field of struct t named key, or nil and
// the field's name when key names it only if case is ignored.
func fieldType(t reflect.Type, key string) (reflect.Type, string) {
	want := ""
	for i := range t.NumField() {
		name := jsonName(t.Field(i))
		switch {
		case name == "":
		case name == key:
			return t.Field(i).Type, ""
		case want == "" && strings.EqualFold(name, key):
			want = name
		}
	}
	return nil, want
}

func objectName(path string) string {
	if path == "" {
		return "plan"
	}
	return path
}

func childPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxPlanBytes bounds a plan document; a 256-node plan is far smaller.
const MaxPlanBytes = 1 << 20

// Decode reads a plan from JSON. Unknown fields and wrong types are
// reported as problems on the field that caused them, never as Go error
// text; a document that is not JSON at all is one problem on "plan".
// Keys must match field names exactly and appear once (see KeyError), and
// lists longer than Validate allows are refused before anything is built.
func Decode(data []byte) (Plan, Problems) {
	var p Plan
	if len(data) > MaxPlanBytes {
		return p, Problems{{Field: "plan", Severity: Error, Message: fmt.Sprintf("The plan is larger than %d KiB.", MaxPlanBytes>>10)}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return p, Problems{{Field: "plan", Severity: Error, Message: "The plan is empty; expected a JSON object such as {\"version\": 1, ...}."}}
	}
	// Keys and list lengths are checked before any value is built.
	if s := scan(data); s.key != nil {
		return Plan{}, Problems{{Field: s.key.Object, Severity: Error, Message: s.key.Message()}}
	} else if s.problem != nil {
		return Plan{}, Problems{*s.problem}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Plan{}, Problems{decodeProblem(err, data)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Plan{}, Problems{{Field: "plan", Severity: Error, Message: "The plan has more text after its closing brace; a plan is one JSON object."}}
	}
	return p, nil
}

func decodeProblem(err error, data []byte) Problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(data, syn.Offset)
		return Problem{Field: "plan", Severity: Error, Message: fmt.Sprintf("The plan is not valid JSON (line %d, column %d).", line, col)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return Problem{Field: "plan", Severity: Error, Message: "The plan ends too early; a closing brace or quote is missing."}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return Problem{Field: "plan", Severity: Error, Message: "A plan is a JSON object such as {\"version\": 1, ...}."}
		}
		return Problem{Field: field, Severity: Error, Message: fmt.Sprintf("Expected %s here, found a JSON %s.", describeType(typ.Type.Kind().String()), typ.Value)}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return Problem{Field: "plan", Severity: Error, Message: fmt.Sprintf("Unknown field %q; check its spelling against the plan format (field names are case-sensitive).", name)}
	}
	return Problem{Field: "plan", Severity: Error, Message: "The plan could not be read as JSON."}
}

func describeType(kind string) string {
	switch kind {
	case "int", "int64":
		return "a whole number"
	case "string":
		return "text in quotes"
	case "slice":
		return "a list in [ ]"
	case "struct":
		return "an object in { }"
	}
	return "a different kind of value"
}

func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	col = int(off) - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// Encode writes the plan as indented JSON with a final newline.
func (p Plan) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("plan: encode: %w", err)
	}
	return nil
}

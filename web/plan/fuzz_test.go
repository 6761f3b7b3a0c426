package plan_test

import (
	"bytes"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// FuzzDecodeValidate: no input panics, every problem names a field and a
// sentence, a plan that validates survives an encode/decode round trip,
// and it holds only valid UTF-8 without the refused characters, values
// and lists within their limits.
func FuzzDecodeValidate(f *testing.F) {
	f.Add([]byte(`{"version":1,"topology":"unique-port","server":{"url":"https://o.example.com","thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},"nodes":[{"address":"10.0.0.1","port":10943},{"address":"10.0.0.2","port":10944}],"loadBalancer":{"address":"lb","kinds":["nginx"]},"tentacle":{"name":"w","environments":["e"],"roles":["r"]}}`))
	f.Add([]byte(`{"topology":"multi-node","server":{"version":"2026.4.6909"},"nodes":[{"address":"[::1]"}]}`))
	f.Add([]byte(`{"nodes":[{"address":"https://x:1/"}],"tentacle":{"kind":"worker"}}`))
	f.Add([]byte(`not json`))
	f.Add([]byte(`{"version":1,"topology":"unique-address","server":{"url":"https://o.example.com","thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6","instance":"a b"},"nodes":[{"name":"N\u2028 1","address":"10.0.0.1"},{"name":"N-1","address":"10.0.0.2"}],"tentacle":{"name":"w\ufffe","instance":"../x","environments":["e\u0085"],"roles":["r\ufeff"]}}`))
	f.Add([]byte("{\"version\":1,\"topology\":\"unique-address\",\"server\":{\"url\":\"https://o.example.com\",\"thumbprint\":\"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6\"},\"nodes\":[{\"address\":\"10.0.0.1\"}],\"tentacle\":{\"name\":\"w\xff\\ud800\",\"environments\":[\"e\"],\"roles\":[\"r\"]}}"))
	f.Add([]byte(`{"topology":"unique-port","TOPOLOGY":"multi-node","topology":"x"}`))
	f.Add([]byte(`{"version":1,"topology":"unique-address","server":{"url":"https://o.example.com","thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},"nodes":[{"address":"10.0.0.1"}],"tentacle":{"name":"w\u2028image: x","environments":["e\uffff"],"roles":["r"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, probs := plan.Decode(data)
		if probs.HasErrors() {
			return
		}
		for _, prob := range p.Validate() {
			if prob.Field == "" || prob.Message == "" || (prob.Severity != plan.Error && prob.Severity != plan.Warning) {
				t.Fatalf("malformed problem %+v", prob)
			}
		}
		if p.Validate().HasErrors() {
			return
		}
		n := p.Normalized()
		var buf bytes.Buffer
		if err := n.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		again, probs := plan.Decode(buf.Bytes())
		if probs.HasErrors() || again.Validate().HasErrors() {
			t.Fatalf("valid plan does not survive a round trip: %v %v", probs, again.Validate())
		}
		if len(n.Addresses()) == 0 {
			t.Fatalf("valid plan polls no address")
		}
		eachString(reflect.ValueOf(n), "plan", func(field, s string) {
			if len(s) > plan.MaxValueBytes {
				t.Fatalf("valid plan: %s is %d bytes long", field, len(s))
			}
			if !utf8.ValidString(s) {
				t.Fatalf("valid plan: %s = %q is not valid UTF-8", field, s)
			}
			for _, r := range s {
				if refused(r) {
					t.Fatalf("valid plan: %s = %q holds %U", field, s, r)
				}
			}
		}, func(field string, n int) {
			if limit := map[bool]int{true: plan.MaxNodes, false: plan.MaxListItems}[field == "plan.Nodes"]; n > limit {
				t.Fatalf("valid plan: %s has %d entries", field, n)
			}
		})
	})
}

// refused is what no valid plan may hold, written out apart from the
// package's own rule: control characters, line and paragraph
// separators, NEL, BOM, non-characters and the replacement character.
func refused(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029, r == 0x85, r == 0xFEFF, r == utf8.RuneError:
		return true
	case r >= 0xFDD0 && r <= 0xFDEF, r%0x10000 == 0xFFFE, r%0x10000 == 0xFFFF:
		return true
	}
	return false
}

// eachString calls text for every string and list for every slice in v.
func eachString(v reflect.Value, path string, text func(field, s string), list func(field string, n int)) {
	switch v.Kind() {
	case reflect.String:
		text(path, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			eachString(v.Field(i), path+"."+v.Type().Field(i).Name, text, list)
		}
	case reflect.Slice:
		list(path, v.Len())
		for i := range v.Len() {
			eachString(v.Index(i), path+"["+strconv.Itoa(i)+"]", text, list)
		}
	}
}

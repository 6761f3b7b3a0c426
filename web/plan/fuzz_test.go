package plan_test

import (
	"bytes"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// FuzzDecodeValidate: no input panics, every problem names a field and a
// sentence, and a plan that validates survives an encode/decode round trip.
func FuzzDecodeValidate(f *testing.F) {
	f.Add([]byte(`{"version":1,"topology":"unique-port","server":{"url":"https://o.example.com","thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},"nodes":[{"address":"10.0.0.1","port":10943},{"address":"10.0.0.2","port":10944}],"loadBalancer":{"address":"lb","kinds":["nginx"]},"tentacle":{"name":"w","environments":["e"],"roles":["r"]}}`))
	f.Add([]byte(`{"topology":"multi-node","server":{"version":"2026.4.6909"},"nodes":[{"address":"[::1]"}]}`))
	f.Add([]byte(`{"nodes":[{"address":"https://x:1/"}],"tentacle":{"kind":"worker"}}`))
	f.Add([]byte(`not json`))
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
	})
}

package plan_test

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestNormalizedIPv6 pins the form .NET's System.Uri gives an IPv6 host
// (IPv6AddressHelper.ParseCanonicalName), which is what Tentacle stores in
// TrustedOctopusServers: the expectations are written out by hand from
// that code, not computed.
func TestNormalizedIPv6(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"zero groups compressed, lower case", "2001:DB8:0:0::1", "2001:db8::1"},
		{"brackets and leading zeros dropped", "[2001:0DB8::0001]", "2001:db8::1"},
		{"full form", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3::8a2e:370:7334"},
		{"longest run wins", "2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
		{"first run wins a tie", "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
		{"a single zero group stays", "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
		{"unspecified", "0:0:0:0:0:0:0:0", "::"},
		{"loopback", "0:0:0:0:0:0:0:1", "::1"},
		{"trailing zeros", "fd00:0:0:0:0:0:0:0", "fd00::"},
		{"ipv4-mapped, dotted", "::FFFF:10.0.0.1", "::ffff:10.0.0.1"},
		{"ipv4-mapped, hex", "::ffff:a00:1", "::ffff:10.0.0.1"},
		{"ipv4-mapped, long", "0:0:0:0:0:ffff:0a00:0001", "::ffff:10.0.0.1"},
		{"ipv4-compatible stays dotted (netip would write ::a00:1)", "::10.0.0.1", "::10.0.0.1"},
		{"siit", "::ffff:0:a00:1", "::ffff:0:10.0.0.1"},
		{"isatap", "FE80::5EFE:a00:1", "fe80::5efe:10.0.0.1"},
		{"low groups read as ipv4-compatible, as .NET does", "::1:2", "::0.1.0.2"},
		{"already canonical", "2001:db8::a", "2001:db8::a"},
		{"zone kept for Validate to refuse", "fe80::1%eth0", "fe80::1%eth0"},
		{"ipv4 untouched", "10.0.0.1", "10.0.0.1"},
		{"dns name lower case without final dot", "Octo1.Example.COM.", "octo1.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := uniquePort()
			p.Nodes[0].Address = tt.in
			p.LoadBalancer.Address = " " + tt.in + " "
			q := p.Normalized()
			if got := q.Nodes[0].Address; got != tt.want {
				t.Errorf("Normalized node address %q = %q, want %q", tt.in, got, tt.want)
			}
			if got := q.LoadBalancer.Address; got != tt.want {
				t.Errorf("Normalized balancer address %q = %q, want %q", tt.in, got, tt.want)
			}
			if got := q.Normalized().Nodes[0].Address; got != tt.want {
				t.Errorf("Normalized twice = %q, want %q (idempotent)", got, tt.want)
			}
		})
	}
}

// TestCanonicalIPv6AgreesWithNetip: for every address .NET does not write
// with a dotted tail, its form is netip's (RFC 5952) form.
func TestCanonicalIPv6AgreesWithNetip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for range 20000 {
		var b [16]byte
		for i := 0; i < 16; i += 2 {
			if r.IntN(2) == 0 { // many zero groups, to exercise the runs
				b[i], b[i+1] = byte(r.IntN(256)), byte(r.IntN(256))
			}
		}
		a := netip.AddrFrom16(b)
		got := plan.CanonicalIPv6(a)
		back, err := netip.ParseAddr(got)
		if err != nil || back != a {
			t.Fatalf("CanonicalIPv6(%s) = %q, which reads back as %v (%v)", a, got, back, err)
		}
		if a.Is4In6() || b[0]|b[1]|b[2]|b[3]|b[4]|b[5]|b[6]|b[7] == 0 || (b[8]|b[9] == 0 && b[10] == 0x5e && b[11] == 0xfe) {
			continue // dotted tails: covered by the literal table above
		}
		checked++
		if want := a.String(); got != want {
			t.Fatalf("CanonicalIPv6(%s) = %q, want %q", a, got, want)
		}
	}
	if checked < 10000 {
		t.Errorf("only %d addresses compared with netip", checked)
	}
}

func TestIPv6ZoneRefused(t *testing.T) {
	p := validPlan()
	p.Nodes[0].Address = "fe80::1%eth0"
	for _, pr := range p.Validate().Errors() {
		if pr.Field == "nodes[0].address" {
			return
		}
	}
	t.Errorf("Validate accepted the zone in %q; want an error on nodes[0].address", p.Nodes[0].Address)
}

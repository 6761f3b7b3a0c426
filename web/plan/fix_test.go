package plan_test

import (
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// fixFields are the fields whose errors can suggest a corrected value,
// each with how to set it in a plan of the topology that has it.
var fixFields = []struct {
	field string
	base  func() plan.Plan
	set   func(*plan.Plan, string)
}{
	{"nodes[1].address", validPlan, func(p *plan.Plan, s string) { p.Nodes[1].Address = s }},
	{"loadBalancer.address", uniquePort, func(p *plan.Plan, s string) { p.LoadBalancer.Address = s }},
	{"server.url", validPlan, func(p *plan.Plan, s string) { p.Server.URL = s }},
	{"nodes[1].webUrl", multiNode, func(p *plan.Plan, s string) { p.Nodes[1].WebURL = s }},
}

// badInputs are what people paste into address and URL fields.
var badInputs = []string{
	"https://octo1.corp.example:10943/",
	"https://octo1.corp.example:10943/api?x=1#top",
	"http://admin:secret@octo1.corp.example/",
	"octo1.corp.example:10943",
	"octo1.corp.example:abc",
	"octo1.corp.example:99999",
	"octo1.corp.example/",
	"octo1.corp.example/octopus",
	"user@octo1.corp.example",
	"tcp://10.0.0.5:10943",
	"https://[2001:db8::5]:10943/",
	"[2001:db8::5]:10943",
	"ftp://octo1.corp.example",
	"ftp://octo1.corp.example:10943/files",
	"octopus.corp.example",
	"10.0.0.5",
	"10.0.0.5:10943",
	"https://octo 1.corp.example/",
	"https://-octo.corp.example/",
	"https://octo1.corp.example/?q",
	"https://octo1.corp.example#frag",
	"//octo1.corp.example",
	"https://",
	"https://:10943",
	"https://octo1.corp.example:0/",
	"octo1..corp.example",
	"http://octo_1.corp.example:8080/path",
	"https://xn--bcher-kva.example/",
	"https://bücher.example/",
	"octo1.corp.example:10943:1",
	"https://octo1.corp.example:10943@evil.example/",
}

func fieldErrors(p plan.Plan, field string) plan.Problems {
	var out plan.Problems
	for _, pr := range p.Validate().Errors() {
		if pr.Field == field {
			out = append(out, pr)
		}
	}
	return out
}

// TestSuggestedFixesValidate applies every fix an error suggests, for a
// corpus of bad inputs in every field that suggests fixes, and validates
// again: the suggestion must be accepted (the oracle is Validate itself,
// on the value the message tells the user to write). A message without a
// Fix must not quote a corrected value either: it does not repeat the
// input's host.
func TestSuggestedFixesValidate(t *testing.T) {
	suggested := 0
	for _, f := range fixFields {
		for _, bad := range badInputs {
			p := f.base()
			f.set(&p, bad)
			for _, pr := range fieldErrors(p, f.field) {
				if pr.Fix == "" {
					_, rest, _ := strings.Cut(bad, "://")
					if rest != "" && strings.Contains(pr.Message, rest) {
						t.Errorf("%s = %q: the message %q quotes a value but suggests no fix that validates", f.field, bad, pr.Message)
					}
					continue
				}
				t.Logf("%s = %q: %s", f.field, bad, pr.Message)
				suggested++
				if !strings.Contains(pr.Message, pr.Fix) {
					t.Errorf("%s = %q: the message %q does not show its fix %q", f.field, bad, pr.Message, pr.Fix)
				}
				q := f.base()
				f.set(&q, pr.Fix)
				if again := fieldErrors(q, f.field); len(again) > 0 {
					t.Errorf("%s = %q: the suggested fix %q is refused in turn: %s", f.field, bad, pr.Fix, again[0].Message)
				}
			}
		}
	}
	if suggested < 20 {
		t.Errorf("only %d fixes were suggested for the corpus; the test proves little", suggested)
	}
}

// TestSuggestedFixesLiteral: what the messages say for a few inputs.
func TestSuggestedFixesLiteral(t *testing.T) {
	tests := []struct {
		field, in, msg, fix string
	}{
		// The report that asked for this: the first suggestion kept the
		// path, whose own error then asked for another fix.
		{"nodes[1].address", "https://octo1.corp.example:10943/", "Write only the host name or IP address: octo1.corp.example, and 10943 in the port field.", "octo1.corp.example"},
		{"nodes[1].address", "octo1.corp.example:10943", "Write only the host name or IP address: octo1.corp.example, and 10943 in the port field.", "octo1.corp.example"},
		{"nodes[1].address", "octo1.corp.example:abc", "Write only the host name or IP address: octo1.corp.example, and the port in the port field.", "octo1.corp.example"},
		{"loadBalancer.address", "[2001:db8::5]:10943", "Write only the host name or IP address: 2001:db8::5, and 10943 in the port field.", "2001:db8::5"},
		{"nodes[1].address", "https://octo 1.corp.example/", "Write only the host name or IP address, without a scheme, path, port or user name.", ""},
		{"server.url", "octopus.corp.example", "Enter an absolute web address that starts with https:// or http://: https://octopus.corp.example.", "https://octopus.corp.example"},
	}
	for _, tt := range tests {
		var base func() plan.Plan
		var set func(*plan.Plan, string)
		for _, f := range fixFields {
			if f.field == tt.field {
				base, set = f.base, f.set
			}
		}
		p := base()
		set(&p, tt.in)
		errs := fieldErrors(p, tt.field)
		if len(errs) != 1 || errs[0].Message != tt.msg || errs[0].Fix != tt.fix {
			t.Errorf("%s = %q: got %+v, want message %q, fix %q", tt.field, tt.in, errs, tt.msg, tt.fix)
		}
	}
}

package plan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func TestNodeWebURLAccepted(t *testing.T) {
	tests := []struct{ name, url, want string }{
		{"absent", "", ""},
		{"https name", "https://octo1.example.com", "https://octo1.example.com"},
		{"http with port, trimmed", "  http://10.0.0.1:8080/ ", "http://10.0.0.1:8080/"},
		{"ipv6 literal", "https://[2001:db8::1]", "https://[2001:db8::1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := multiNode()
			p.Nodes[1].WebURL = tt.url
			if got := p.Normalized().Nodes[1].WebURL; got != tt.want {
				t.Errorf("Normalized webUrl = %q, want %q", got, tt.want)
			}
			if probs := p.Validate().ByField()["nodes[1].webUrl"]; len(probs) != 0 {
				t.Errorf("Validate(webUrl %q) = %v, want no problem", tt.url, probs)
			}
		})
	}
}

func TestNodeWebURLRefused(t *testing.T) {
	tests := []struct{ name, url, want, fix string }{
		{"no scheme", "octo2.example.com", "Enter an absolute web address that starts with https:// or http://: https://octo2.example.com.", "https://octo2.example.com"},
		{"no scheme, not a host either", "octo 2", "Enter an absolute web address that starts with https:// or http://, such as https://octopus.example.com.", ""},
		{"other scheme", "ftp://octo2.example.com", "The web address must start with https:// or http://, not ftp://: https://octo2.example.com.", "https://octo2.example.com"},
		{"credentials", "https://admin:secret@octo2.example.com", "Remove the user name and password from the address; credentials never belong in a plan: https://octo2.example.com.", "https://octo2.example.com"},
		{"query", "https://octo2.example.com/?node=2", "Remove the query string or fragment from the web address: https://octo2.example.com/.", "https://octo2.example.com/"},
		{"port out of range", "https://octo2.example.com:70000", "The port in the web address must be a number from 1 to 65535.", ""},
		{"bad host", "https://octo_2!.example.com", "The host of the web address is not valid: A DNS name may contain only letters, digits and hyphens; '!' is not allowed.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := multiNode()
			p.Nodes[1].WebURL = tt.url
			got := p.Validate().ByField()["nodes[1].webUrl"]
			want := []plan.Problem{{Field: "nodes[1].webUrl", Severity: plan.Error, Message: tt.want, Fix: tt.fix}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Validate(webUrl %q) (-want +got):\n%s", tt.url, diff)
			}
		})
	}
}

func TestNodeWebURLDecodes(t *testing.T) {
	p, probs := plan.Decode([]byte(`{"version":1,"topology":"multi-node","server":{"url":"https://octopus.example.com","thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
		"nodes":[{"name":"n1","address":"10.0.0.1","port":10943,"webUrl":"https://n1.example.com"}],"tentacle":{"name":"web01"}}`))
	if len(probs) != 0 {
		t.Fatalf("Decode: %v", probs)
	}
	if got := p.Nodes[0].WebURL; got != "https://n1.example.com" {
		t.Errorf("nodes[0].webUrl = %q, want https://n1.example.com", got)
	}
}

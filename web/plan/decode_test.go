package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name, in, field, contains string
	}{
		{"empty", "", "plan", "empty"},
		{"not json", "topology: unique-port", "plan", "not valid JSON (line 1,"},
		{"syntax error position", "{\n  \"version\": 1,\n  \"topology\" \"x\"\n}", "plan", "line 3"},
		{"truncated", `{"version": 1, "nodes": [`, "plan", "ends too early"},
		{"unknown field", `{"version": 1, "topolgy": "unique-port"}`, "plan", `Unknown field "topolgy"`},
		{"port as string", `{"nodes": [{"port": "10943"}]}`, "nodes.port", "whole number"},
		{"nodes as object", `{"nodes": {"name": "a"}}`, "nodes", "list"},
		{"array at top", `[1, 2]`, "plan", "JSON object"},
		{"trailing data", `{"version": 1} {"version": 1}`, "plan", "more text"},
		{"huge", `{"server": {"url": "` + strings.Repeat("a", plan.MaxPlanBytes) + `"}}`, "plan", "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := plan.Decode([]byte(tt.in))
			if len(probs) != 1 || probs[0].Field != tt.field || !strings.Contains(probs[0].Message, tt.contains) || probs[0].Severity != plan.Error {
				t.Fatalf("Decode(%.40q) = %v, want one error on %s containing %q", tt.in, probs, tt.field, tt.contains)
			}
			if strings.Contains(probs[0].Message, "json:") || strings.Contains(probs[0].Message, "Go ") {
				t.Errorf("message shows a Go error string: %q", probs[0].Message)
			}
		})
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	p := uniquePort()
	p.Tentacle.SubscriptionID = "poll://g3662re9njtelsyfhm7t/"
	p = p.Normalized()
	var buf bytes.Buffer
	if err := p.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	got, probs := plan.Decode(buf.Bytes())
	if probs.HasErrors() {
		t.Fatalf("Decode(Encode(p)) problems: %v", probs)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if !strings.Contains(buf.String(), `"loadBalancer"`) {
		t.Errorf("unique-port plan lost its loadBalancer:\n%s", buf.String())
	}
	ua := validPlan().Normalized()
	buf.Reset()
	_ = ua.Encode(&buf)
	if strings.Contains(buf.String(), `"loadBalancer"`) {
		t.Errorf("unique-address plan has an empty loadBalancer:\n%s", buf.String())
	}
}

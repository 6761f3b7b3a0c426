package plan_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
	"testing/iotest"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func TestNewSubscriptionID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		id, err := plan.NewSubscriptionID(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !plan.ValidSubscriptionID(id) {
			t.Fatalf("NewSubscriptionID() = %q, not valid", id)
		}
		for _, c := range id[len("poll://") : len(id)-1] {
			if bytes.ContainsRune([]byte("01io"), c) {
				t.Fatalf("NewSubscriptionID() = %q uses %q, outside Tentacle's alphabet", id, c)
			}
		}
		seen[id] = true
	}
	if len(seen) != 200 {
		t.Errorf("200 ids had %d distinct values", len(seen))
	}
	all := bytes.Repeat([]byte{0xff}, 20)
	if id, _ := plan.NewSubscriptionID(bytes.NewReader(all)); id != "poll://99999999999999999999/" {
		t.Errorf("NewSubscriptionID(0xff...) = %q, want the last letter of the alphabet", id)
	}
	if _, err := plan.NewSubscriptionID(iotest.ErrReader(errors.New("no entropy"))); err == nil {
		t.Error("NewSubscriptionID(failing reader) = nil error")
	}
}

func TestWithSubscriptionIDKeepsExisting(t *testing.T) {
	p := validPlan()
	p.Tentacle.SubscriptionID = "poll://g3662re9njtelsyfhm7t/"
	got, err := p.WithSubscriptionID(rand.Reader)
	if err != nil || got.Tentacle.SubscriptionID != "poll://g3662re9njtelsyfhm7t/" {
		t.Errorf("WithSubscriptionID() = %q, %v; want the plan's own id", got.Tentacle.SubscriptionID, err)
	}
	p.Tentacle.SubscriptionID = ""
	got, err = p.WithSubscriptionID(rand.Reader)
	if err != nil || !plan.ValidSubscriptionID(got.Tentacle.SubscriptionID) {
		t.Errorf("WithSubscriptionID() = %q, %v; want a new valid id", got.Tentacle.SubscriptionID, err)
	}
}

func TestServerVersion(t *testing.T) {
	tests := []struct {
		a, b string
		less bool
	}{
		{"2026.4.6908", "2026.4.6909", true},
		{"2026.4.6909", "2026.4.6909", false},
		{"2026.10.1", "2026.4.6909", false},
		{"2026.4", "2026.4.6909", true},
		{"v2027.1.0-beta", "2026.4.6909", false},
	}
	for _, tt := range tests {
		a, okA := plan.ParseServerVersion(tt.a)
		b, okB := plan.ParseServerVersion(tt.b)
		if !okA || !okB || a.Less(b) != tt.less {
			t.Errorf("ParseServerVersion(%q).Less(%q) = %v (ok %v %v), want %v", tt.a, tt.b, a.Less(b), okA, okB, tt.less)
		}
	}
	for _, bad := range []string{"", "x.y", "1.2.3.4.5", "1..2", "99999999999.1"} {
		if _, ok := plan.ParseServerVersion(bad); ok {
			t.Errorf("ParseServerVersion(%q) ok, want rejected", bad)
		}
	}
}

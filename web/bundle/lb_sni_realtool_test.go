//go:build !js

package bundle_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestSNILongNames: host names of every length validation accepts, up to
// 200 characters (its limit on any text value), pass nginx -t (whose map refuses a key longer than its
// hash bucket) and haproxy -c. The nginx check with the bucket size
// written down to the default proves the size matters.
func TestSNILongNames(t *testing.T) {
	label := strings.Repeat("a", 63)
	longest := strings.Join([]string{label, label, label, strings.Repeat("b", 8)}, ".")
	p := mustCase(t, "unique-hostname")
	p.LoadBalancer.Kinds = []string{"nginx", "haproxy"}
	p.Nodes[0].Address = longest
	p.Nodes[1].Address = label + ".example.com"
	p = p.Normalized()
	if errs := p.Validate().Errors(); len(errs) > 0 {
		t.Fatalf("Validate() = %v", errs)
	}
	if len(p.Nodes[0].Address) != 200 {
		t.Fatalf("longest name has %d characters, want 200", len(p.Nodes[0].Address))
	}
	var nginx, haproxy bytes.Buffer
	if err := bundle.WriteNginx(&nginx, p); err != nil {
		t.Fatal(err)
	}
	if err := bundle.WriteHAProxy(&haproxy, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(nginx.String(), "map_hash_bucket_size 256;") {
		t.Errorf("nginx.conf for a 200-character name lacks map_hash_bucket_size 256")
	}
	if err := realCheck(t, "nginx", nginx.Bytes(), p); err != nil {
		t.Errorf("nginx rejected a 200-character host name:\n%v", err)
	}
	if err := realCheck(t, "haproxy", haproxy.Bytes(), p); err != nil {
		t.Errorf("haproxy rejected a 200-character host name:\n%v", err)
	}
	small := strings.Replace(nginx.String(), "map_hash_bucket_size 256;", "map_hash_bucket_size 64;", 1)
	if err := realCheck(t, "nginx", []byte(small), plan.Plan{}); err == nil {
		t.Error("nginx accepted a 200-character map key in 64-byte buckets: the check proves nothing")
	}
}

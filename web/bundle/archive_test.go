package bundle_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// contents maps path to content.
func contents(files []bundle.File) map[string]string {
	m := make(map[string]string, len(files))
	for _, f := range files {
		m[f.Path] = string(f.Content)
	}
	return m
}

func TestArchivesHoldTheBundle(t *testing.T) {
	for _, name := range caseNames(t) {
		t.Run(name, func(t *testing.T) {
			p := mustCase(t, name)
			files := mustFiles(t, name)
			prefix := bundle.ArchivePrefix(p)
			want := contents(files)

			var zbuf bytes.Buffer
			if err := bundle.WriteZip(&zbuf, prefix, files); err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(zbuf.Bytes()), int64(zbuf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				got[strings.TrimPrefix(f.Name, prefix)] = string(b)
				if strings.HasSuffix(f.Name, ".sh") && f.Mode().Perm()&0o100 == 0 {
					t.Errorf("zip: %s is not executable (%v)", f.Name, f.Mode())
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("zip contents (-want +got):\n%s", diff)
			}

			var tbuf bytes.Buffer
			if err := bundle.WriteTarGz(&tbuf, prefix, files); err != nil {
				t.Fatal(err)
			}
			gz, err := gzip.NewReader(&tbuf)
			if err != nil {
				t.Fatal(err)
			}
			tr := tar.NewReader(gz)
			got = map[string]string{}
			for {
				h, err := tr.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(tr)
				got[strings.TrimPrefix(h.Name, prefix)] = string(b)
				if strings.HasSuffix(h.Name, ".sh") && h.Mode&0o100 == 0 {
					t.Errorf("tar: %s is not executable (%o)", h.Name, h.Mode)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("tar.gz contents (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, name := range caseNames(t) {
		a, b := mustFiles(t, name), mustFiles(t, name)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two runs differ:\n%s", name, diff)
		}
		var za, zb, ta, tb bytes.Buffer
		_ = bundle.WriteZip(&za, "x/", a)
		_ = bundle.WriteZip(&zb, "x/", b)
		_ = bundle.WriteTarGz(&ta, "x/", a)
		_ = bundle.WriteTarGz(&tb, "x/", b)
		if !bytes.Equal(za.Bytes(), zb.Bytes()) || !bytes.Equal(ta.Bytes(), tb.Bytes()) {
			t.Errorf("%s: archives of the same plan differ", name)
		}
	}
}

func TestSHA256SUMS(t *testing.T) {
	files := mustFiles(t, "unique-port-all-kinds")
	last := files[len(files)-1]
	if last.Path != "SHA256SUMS" {
		t.Fatalf("last file = %s, want SHA256SUMS", last.Path)
	}
	lines := strings.Split(strings.TrimSuffix(string(last.Content), "\n"), "\n")
	if len(lines) != len(files)-1 {
		t.Fatalf("SHA256SUMS has %d lines for %d files", len(lines), len(files)-1)
	}
	byPath := contents(files)
	for _, l := range lines {
		sum, path, ok := strings.Cut(l, "  ")
		h := sha256.Sum256([]byte(byPath[path]))
		if !ok || sum != hex.EncodeToString(h[:]) {
			t.Errorf("SHA256SUMS line %q does not match %s", l, path)
		}
	}
}

func TestFilesPerTopologyAndOS(t *testing.T) {
	tests := []struct {
		name      string
		want, not []string
	}{
		{"docs-unique-address", []string{"README.md", "plan.json", "tentacle/trusted-servers.xml", "tentacle/register.sh", "octopus-server/Node1.ps1", "octopus-server/Node3.ps1", "SHA256SUMS"}, []string{"tentacle/register.ps1", "loadbalancer/nginx.conf", "kubernetes-agent/values.yaml", "kubernetes-agent/install.sh"}},
		{"unique-port-windows-worker", []string{"tentacle/register.ps1", "loadbalancer/nginx.conf", "loadbalancer/haproxy.cfg", "loadbalancer/kubernetes.yaml", "loadbalancer/azure-lb.sh", "octopus-server/octo-d.ps1"}, []string{"tentacle/register.sh", "loadbalancer/nftables.nft", "kubernetes-agent/values.yaml", "kubernetes-agent/install.sh"}},
		{"fleet-mixed", []string{"README.md", "tentacle/register-any.sh"}, []string{"kubernetes-agent/values.yaml", "kubernetes-agent/install.sh"}},
		// A Kubernetes agent: the chart registers it, so its Helm values and
		// install script, the cluster's files, and no Tentacle file.
		{"unique-port-kubernetes-agent", []string{"README.md", "plan.json", "kubernetes-agent/values.yaml", "kubernetes-agent/install.sh", "loadbalancer/nginx.conf", "octopus-server/Node1.ps1", "SHA256SUMS"}, []string{"tentacle/register.sh", "tentacle/register.ps1", "tentacle/trusted-servers.xml"}},
		{"multi-node", []string{"loadbalancer/nginx.conf", "loadbalancer/haproxy.cfg", "loadbalancer/nftables.nft", "loadbalancer/iptables.rules", "loadbalancer/aws-nlb.tf", "loadbalancer/azure-lb.sh", "loadbalancer/kubernetes.yaml"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := contents(mustFiles(t, tt.name))
			for _, w := range tt.want {
				if _, ok := got[w]; !ok {
					t.Errorf("bundle lacks %s", w)
				}
			}
			for _, n := range tt.not {
				if _, ok := got[n]; ok {
					t.Errorf("bundle has %s, want none", n)
				}
			}
		})
	}
}

func TestFilesRefusesInvalidPlans(t *testing.T) {
	p := mustCase(t, "docs-unique-address")
	p.Nodes[1].Address = "https://bad"
	_, err := bundle.Files(p)
	var inv *plan.InvalidError
	if !errors.As(err, &inv) || inv.Problems.Errors()[0].Field != "nodes[1].address" {
		t.Fatalf("Files(invalid) error = %v, want *plan.InvalidError on nodes[1].address", err)
	}
	p = mustCase(t, "docs-unique-address")
	p.Tentacle.SubscriptionID = ""
	if _, err := bundle.Files(p); !errors.Is(err, bundle.ErrNoSubscriptionID) {
		t.Fatalf("Files(no subscription id) error = %v, want ErrNoSubscriptionID", err)
	}
}

func TestArchiveName(t *testing.T) {
	p := mustCase(t, "unique-port-windows-worker")
	p.Tentacle.Name = "Build Agent/07"
	if got := bundle.ArchiveName(p); got != "tentacle-ha-build-agent-07" {
		t.Errorf("ArchiveName = %q", got)
	}
}

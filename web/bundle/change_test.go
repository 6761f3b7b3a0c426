package bundle_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// changeCase reads testdata/changes/<name>/current.json and new.json.
func changeCase(tb testing.TB, name string) (from, to plan.Plan) {
	tb.Helper()
	read := func(file string) plan.Plan {
		data, err := os.ReadFile(filepath.Join("testdata", "changes", name, file))
		if err != nil {
			tb.Fatal(err)
		}
		p, probs := plan.Decode(data)
		if probs.HasErrors() {
			tb.Fatalf("change %s/%s: %s", name, file, probs)
		}
		return p.Normalized()
	}
	return read("current.json"), read("new.json")
}

// changeCaseNames lists the folders of testdata/changes.
func changeCaseNames(tb testing.TB) []string {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", "changes"))
	if err != nil || len(entries) == 0 {
		tb.Fatalf("no change cases: %v", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

func mustChangeFiles(tb testing.TB, name string) []bundle.File {
	tb.Helper()
	from, to := changeCase(tb, name)
	files, err := bundle.ChangeFiles(from, to)
	if err != nil {
		tb.Fatalf("ChangeFiles(%s): %v", name, err)
	}
	return files
}

// TestChangeGolden compares every file of every change pack with
// testdata/changes/<case>/golden (go test -run TestChangeGolden -update
// rewrites them), and generates each pack twice: same plans, same bytes.
func TestChangeGolden(t *testing.T) {
	for _, name := range changeCaseNames(t) {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", "changes", name, "golden")
			files := mustChangeFiles(t, name)
			if again := mustChangeFiles(t, name); !cmp.Equal(files, again) {
				t.Error("two runs of ChangeFiles differ")
			}
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
			}
			var got, onDisk []string
			for _, f := range files {
				got = append(got, f.Path)
				path := filepath.Join(dir, filepath.FromSlash(f.Path))
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, f.Content, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%s: no golden file (run go test ./web/bundle -run TestChangeGolden -update): %v", f.Path, err)
					continue
				}
				if diff := cmp.Diff(string(want), string(f.Content)); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", f.Path, diff)
				}
			}
			_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, path)
					onDisk = append(onDisk, filepath.ToSlash(rel))
				}
				return nil
			})
			sort.Strings(got)
			sort.Strings(onDisk)
			if diff := cmp.Diff(onDisk, got); diff != "" && !*update {
				t.Errorf("change pack file list differs from the golden folder (-golden +generated):\n%s", diff)
			}
		})
	}
}

// TestChangeWhatChanges checks the comparison each pack is built from.
func TestChangeWhatChanges(t *testing.T) {
	tests := []struct {
		name                   string
		added, kept, removed   []string
		cluster                []string // loadbalancer/ and octopus-server/ files
		wantBalancer, topology bool
	}{
		{"add-node", []string{"https://octo3.example.com:10943"}, []string{"https://octo1.example.com:10943", "https://octo2.example.com:10943"}, nil,
			[]string{"octopus-server/Node3.ps1"}, false, false},
		{"remove-node", nil, []string{"https://octo2.example.com:10943", "https://octo3.example.com:10943"}, []string{"https://octo1.example.com:10943"},
			nil, false, false},
		{"to-multi-node", []string{"https://lb.example.com:10943"}, nil, []string{"https://octo1.example.com:10943", "https://octo2.example.com:10943", "https://octo3.example.com:10943"},
			[]string{"loadbalancer/haproxy.cfg", "loadbalancer/haproxy-standalone.cfg", "loadbalancer/nftables.nft", "octopus-server/Node1.ps1", "octopus-server/Node2.ps1", "octopus-server/Node3.ps1"}, true, true},
		{"more-ports", []string{"https://lb.example.com:10945", "https://lb.example.com:10946"}, []string{"https://lb.example.com:10943"}, []string{"https://lb.example.com:10944"},
			[]string{"loadbalancer/nginx.conf", "loadbalancer/haproxy.cfg", "loadbalancer/haproxy-standalone.cfg", "loadbalancer/nftables.nft",
				"loadbalancer/transition/nginx.conf", "loadbalancer/transition/haproxy.cfg", "loadbalancer/transition/haproxy-standalone.cfg", "loadbalancer/transition/nftables.nft",
				"octopus-server/Node3.ps1", "octopus-server/Node4.ps1"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := changeCase(t, tt.name)
			c, err := bundle.NewChange(from, to)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([][]string{tt.added, tt.kept, tt.removed}, [][]string{c.Added, c.Kept, c.Removed}); diff != "" {
				t.Errorf("added, kept, removed (-want +got):\n%s", diff)
			}
			if c.BalancerChanged != tt.wantBalancer || c.TopologyChanged() != tt.topology {
				t.Errorf("BalancerChanged = %v, TopologyChanged = %v, want %v, %v", c.BalancerChanged, c.TopologyChanged(), tt.wantBalancer, tt.topology)
			}
			var cluster []string
			for _, f := range mustChangeFiles(t, tt.name) {
				if strings.HasPrefix(f.Path, "loadbalancer/") || strings.HasPrefix(f.Path, "octopus-server/") {
					cluster = append(cluster, f.Path)
				}
			}
			if diff := cmp.Diff(tt.cluster, cluster); diff != "" {
				t.Errorf("cluster files (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChangeRefuses: plans of two clusters, and an invalid plan on either
// side, give no pack.
func TestChangeRefuses(t *testing.T) {
	from, to := changeCase(t, "add-node")
	other := to
	other.Server.Thumbprint = "0123456789ABCDEF0123456789ABCDEF01234567"
	_, err := bundle.ChangeFiles(from, other)
	if !errors.Is(err, bundle.ErrDifferentCluster) || !strings.Contains(err.Error(), "update-trust") {
		t.Errorf("ChangeFiles(two clusters) = %v, want ErrDifferentCluster saying what to do instead", err)
	}
	bad := to
	bad.Nodes = nil
	for _, pair := range [][2]plan.Plan{{bad, to}, {from, bad}} {
		_, err := bundle.ChangeFiles(pair[0], pair[1])
		var invalid *plan.InvalidError
		if !errors.As(err, &invalid) {
			t.Errorf("ChangeFiles(a plan without nodes) = %v, want a *plan.InvalidError", err)
		}
	}
}

// TestChangeScriptsNeedNoKey: the update scripts use poll-server
// --reuse-server-thumbprint and never the API options, so Octopus can run
// them without the key.
func TestChangeScriptsNeedNoKey(t *testing.T) {
	for _, name := range changeCaseNames(t) {
		for _, f := range mustChangeFiles(t, name) {
			if !strings.HasPrefix(f.Path, "change/update-tentacle.") {
				continue
			}
			if !bytes.Contains(f.Content, []byte("--reuse-server-thumbprint")) {
				t.Errorf("%s %s does not use --reuse-server-thumbprint", name, f.Path)
			}
			for i, line := range strings.Split(string(f.Content), "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "#") {
					continue
				}
				for _, banned := range []string{"--apiKey", "--server ", "OCTOPUS_API_KEY", "--reset-trust"} {
					if strings.Contains(line, banned) {
						t.Errorf("%s %s line %d contains %q: %s", name, f.Path, i+1, banned, line)
					}
				}
			}
		}
	}
}

package bundle_test

import (
	"flag"
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

var update = flag.Bool("update", false, "rewrite golden files")

// mustCase reads testdata/cases/<name>.json.
func mustCase(tb testing.TB, name string) plan.Plan {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cases", name+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	p, probs := plan.Decode(data)
	if probs.HasErrors() {
		tb.Fatalf("case %s: %s", name, probs)
	}
	return p
}

// mustFiles generates the bundle of a case.
func mustFiles(tb testing.TB, name string) []bundle.File {
	tb.Helper()
	files, err := bundle.Files(mustCase(tb, name))
	if err != nil {
		tb.Fatalf("Files(%s): %v", name, err)
	}
	return files
}

// caseNames lists testdata/cases/*.json without the extension.
func caseNames(tb testing.TB) []string {
	tb.Helper()
	matches, err := filepath.Glob(filepath.Join("testdata", "cases", "*.json"))
	if err != nil || len(matches) == 0 {
		tb.Fatalf("no cases: %v", err)
	}
	var names []string
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".json"))
	}
	return names
}

func TestGolden(t *testing.T) {
	for _, name := range caseNames(t) {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", "golden", name)
			files := mustFiles(t, name)
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
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
					t.Errorf("%s: no golden file (run go test ./web/bundle -run TestGolden -update): %v", f.Path, err)
					continue
				}
				if diff := cmp.Diff(string(want), string(f.Content)); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", f.Path, diff)
				}
			}
			var onDisk []string
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
				t.Errorf("bundle file list differs from golden folder (-golden +generated):\n%s", diff)
			}
		})
	}
}

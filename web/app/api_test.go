package app_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

const validPlan = `{
  "version": 1,
  "topology": "unique-port",
  "server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
  "nodes": [
    {"name": "Node1", "address": "10.0.1.11", "port": 10943},
    {"name": "Node2", "address": "10.0.1.12", "port": 10944}
  ],
  "loadBalancer": {"address": "203.0.113.10", "kinds": ["nginx", "haproxy"]},
  "tentacle": {"os": "linux", "name": "web01", "kind": "target", "environments": ["Production"], "roles": ["web"],
    "subscriptionId": "poll://g3662re9njtelsyfhm7t/"}
}`

// wantFiles is what bundle.Files gives for a plan, by path.
func wantFiles(tb testing.TB, js string) map[string]string {
	tb.Helper()
	p, probs := plan.Decode([]byte(js))
	if probs.HasErrors() {
		tb.Fatal(probs)
	}
	files, err := bundle.Files(p)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Content)
	}
	return out
}

func unzip(tb testing.TB, b []byte, prefix string) map[string]string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out[strings.TrimPrefix(f.Name, prefix)] = string(data)
	}
	return out
}

func untar(tb testing.TB, b []byte, prefix string) map[string]string {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		out[strings.TrimPrefix(h.Name, prefix)] = string(data)
	}
}

type problemsJSON struct {
	Problems []plan.Problem `json:"problems"`
}

func TestAPIValidate(t *testing.T) {
	app := mustApp(t)
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantField  string // a problem on this field, or "" for none
	}{
		{"valid plan", validPlan, http.StatusOK, ""},
		{"one node is a warning", onlyOneNode, http.StatusOK, "nodes"},
		{"missing thumbprint", strings.Replace(validPlan, "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", "", 1), http.StatusUnprocessableEntity, "server.thumbprint"},
		{"duplicate port", strings.Replace(validPlan, "10944", "10943", 1), http.StatusUnprocessableEntity, "nodes[1].port"},
		{"unknown field", `{"version": 1, "colour": "blue"}`, http.StatusUnprocessableEntity, "plan"},
		{"wrong type", `{"version": "one"}`, http.StatusUnprocessableEntity, "version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := app.postJSON(t, "/api/v1/validate", tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("POST /api/v1/validate = %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			var got problemsJSON
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Problems == nil {
				t.Fatalf("body %s is not {\"problems\":[...]}: %v", rec.Body, err)
			}
			found := tt.wantField == ""
			for _, p := range got.Problems {
				found = found || p.Field == tt.wantField
			}
			if !found {
				t.Errorf("problems %+v lack field %q", got.Problems, tt.wantField)
			}
		})
	}
}

const onlyOneNode = `{"version": 1, "topology": "unique-address",
  "server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
  "nodes": [{"address": "octo1.example.com"}],
  "tentacle": {"name": "web01", "environments": ["Production"], "roles": ["web"]}}`

func TestAPIMalformed(t *testing.T) {
	app := mustApp(t)
	for _, path := range []string{"/api/v1/validate", "/api/v1/bundle", "/api/v1/files"} {
		for _, body := range []string{`{"version": 1,`, `not json`, ``} {
			rec := app.postJSON(t, path, body)
			var got struct{ Message string }
			json.Unmarshal(rec.Body.Bytes(), &got)
			if rec.Code != http.StatusBadRequest || got.Message == "" {
				t.Errorf("POST %s %q = %d %q, want 400 with a message", path, body, rec.Code, got.Message)
			}
		}
	}
}

func TestAPIBundle(t *testing.T) {
	app := mustApp(t)
	want := wantFiles(t, validPlan)
	for _, tt := range []struct {
		query, wantType, wantName string
		read                      func(testing.TB, []byte, string) map[string]string
	}{
		{"?format=zip", "application/zip", "tentacle-ha-web01.zip", unzip},
		{"", "application/zip", "tentacle-ha-web01.zip", unzip},
		{"?format=tar.gz", "application/gzip", "tentacle-ha-web01.tar.gz", untar},
	} {
		rec := app.postJSON(t, "/api/v1/bundle"+tt.query, validPlan)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.wantType {
			t.Fatalf("POST /api/v1/bundle%s = %d %s, want 200 %s", tt.query, rec.Code, rec.Header().Get("Content-Type"), tt.wantType)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, `filename="`+tt.wantName+`"`) {
			t.Errorf("Content-Disposition = %q, want %s", cd, tt.wantName)
		}
		if diff := cmp.Diff(want, tt.read(t, rec.Body.Bytes(), "tentacle-ha-web01/")); diff != "" {
			t.Errorf("bundle%s files differ from bundle.Files (-want +got):\n%s", tt.query, diff)
		}
	}
	if rec := app.postJSON(t, "/api/v1/bundle?format=rar", validPlan); rec.Code != http.StatusBadRequest {
		t.Errorf("format=rar = %d, want 400", rec.Code)
	}
	rec := app.postJSON(t, "/api/v1/bundle?format=zip", strings.Replace(validPlan, `"web01"`, `""`, 1))
	var probs problemsJSON
	if json.Unmarshal(rec.Body.Bytes(), &probs); rec.Code != http.StatusUnprocessableEntity || len(probs.Problems) == 0 {
		t.Errorf("bundle of an invalid plan = %d %s, want 422 with problems", rec.Code, rec.Body)
	}
}

func TestAPIFiles(t *testing.T) {
	app := mustApp(t)
	rec := app.postJSON(t, "/api/v1/files", validPlan)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /api/v1/files = %d: %s", rec.Code, rec.Body)
	}
	var got struct {
		Files []struct{ Path, Content string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range got.Files {
		files[f.Path] = f.Content
	}
	if diff := cmp.Diff(wantFiles(t, validPlan), files); diff != "" {
		t.Errorf("files differ from bundle.Files (-want +got):\n%s", diff)
	}
	// A plan without a subscription id gets one, the same in every file.
	rec = app.postJSON(t, "/api/v1/files", strings.Replace(validPlan, `"poll://g3662re9njtelsyfhm7t/"`, `""`, 1))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "poll://") {
		t.Errorf("files without a subscription id = %d, want 200 with a new id", rec.Code)
	}
}

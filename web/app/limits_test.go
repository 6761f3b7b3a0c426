package app_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// hostilePlan is the plan of problem 6 of issue 9: 300,000 empty nodes,
// just under the 1 MiB body limit with the form around it.
func hostilePlan() []byte {
	return []byte(`{"version": 1, "nodes": [` + strings.TrimSuffix(strings.Repeat("{},", 300000), ",") + `]}`)
}

// multipartBody is a wizard post with a file, as the browser sends it.
func multipartBody(tb testing.TB, v url.Values, fileField, fileName string, file []byte) ([]byte, string) {
	tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vals := range v {
		for _, val := range vals {
			if err := mw.WriteField(k, val); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(file)
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return body.Bytes(), mw.FormDataContentType()
}

// TestHostilePlanRefusedBeforeWork: an import or a share link of 300,000
// nodes is refused before anything is built or rendered. Four arrive at
// once, as in the issue; together they may allocate under 64 MiB.
func TestHostilePlanRefusedBeforeWork(t *testing.T) {
	const parallel = 4
	const budget = 64 << 20
	app := mustApp(t)
	fresh := app.open(t)
	before := planOf(t, fresh.doc)
	hostile := hostilePlan()
	load := withOp(fresh.form, "load")
	load.Set("plan", string(hostile))
	tests := []struct {
		name   string
		values url.Values
		file   []byte // the plan.json of an import; nil for none
	}{
		{"import", withOp(fresh.form, "import"), hostile},
		{"share link", load, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field := ""
			if tt.file != nil {
				field = "planfile"
			}
			body, ctype := multipartBody(t, tt.values, field, "plan.json", tt.file)
			if len(body) > 1<<20 {
				t.Fatalf("the request is %d bytes, over the 1 MiB body limit", len(body))
			}
			recs := make([]*httptest.ResponseRecorder, parallel)
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			start := time.Now()
			var wg sync.WaitGroup
			for i := range recs {
				wg.Go(func() {
					req := httptest.NewRequest(http.MethodPost, "/wizard", bytes.NewReader(body))
					req.Header.Set("Content-Type", ctype)
					recs[i] = httptest.NewRecorder()
					app.ServeHTTP(recs[i], req)
				})
			}
			finished := make(chan struct{})
			go func() { wg.Wait(); close(finished) }()
			select {
			case <-finished:
			case <-time.After(time.Minute):
				t.Fatalf("%d parallel posts did not finish within a minute", parallel)
			}
			took := time.Since(start)
			runtime.ReadMemStats(&m1)
			alloc := m1.TotalAlloc - m0.TotalAlloc
			t.Logf("%d requests of %d KiB: %d MiB allocated in all (heap in use %d MiB before, %d MiB after), %v",
				parallel, len(body)>>10, alloc>>20, m0.HeapAlloc>>20, m1.HeapAlloc>>20, took.Round(time.Millisecond))
			if alloc > budget {
				t.Errorf("%d hostile requests allocated %d MiB, want under %d MiB", parallel, alloc>>20, budget>>20)
			}
			for _, rec := range recs {
				if rec.Code != http.StatusOK {
					t.Fatalf("POST /wizard = %d, want 200 with an alert", rec.Code)
				}
				doc := mustDoc(t, rec)
				if got := testid(doc, "alert").Text(); !strings.Contains(got, "nodes: A plan can have at most 256 nodes") {
					t.Errorf("alert = %q, want the node limit", got)
				}
				if got := planOf(t, doc); len(got.Nodes) != len(before.Nodes) {
					t.Errorf("the page's plan has %d nodes, want the %d it had", len(got.Nodes), len(before.Nodes))
				}
			}
		})
	}
}

// TestInvalidTextOnEveryInputPath: a value that is not valid UTF-8, or
// holds a refused character, is refused beside its field whichever way
// it arrives.
func TestInvalidTextOnEveryInputPath(t *testing.T) {
	app := mustApp(t)
	step3 := app.toTentacle(t)
	// form posts step 3 with one hostile value, URL-encoded.
	form := func(field, value string) func(t *testing.T) *httptest.ResponseRecorder {
		return func(t *testing.T) *httptest.ResponseRecorder {
			v := cloneValues(step3.form)
			v.Set(field, value)
			v.Set("go", "4")
			return app.post(t, "/wizard", v)
		}
	}
	multipartForm := func(field, value string) func(t *testing.T) *httptest.ResponseRecorder {
		return func(t *testing.T) *httptest.ResponseRecorder {
			v := cloneValues(step3.form)
			v.Set(field, value)
			v.Set("go", "4")
			return app.postMultipart(t, "/wizard", v, "", "", nil)
		}
	}
	planWithName := strings.Replace(validPlan, `"web01"`, "\"web\xff01\"", 1)
	tests := []struct {
		name       string
		send       func(t *testing.T) *httptest.ResponseRecorder
		wantStatus int
		field      string
		contains   string
	}{
		{"form post, invalid UTF-8", form("tentacle.name", "web\xff01"), http.StatusUnprocessableEntity, "tentacle.name", "not valid UTF-8"},
		{"form post, U+2028", form("tentacle.name", "web\u2028image: x"), http.StatusUnprocessableEntity, "tentacle.name", "U+2028"},
		{"form post, U+FFFE in a list", form("tentacle.roles", "web\n\uFFFE"), http.StatusUnprocessableEntity, "tentacle.roles", "U+FFFE"},
		{"form post, 101 roles", form("tentacle.roles", lines("role", 101)), http.StatusUnprocessableEntity, "tentacle.roles", "at most 100"},
		{"form post, instance out of its folder", form("tentacle.instance", "../../etc"), http.StatusUnprocessableEntity, "tentacle.instance", `".."`},
		{"multipart form post, invalid UTF-8", multipartForm("tentacle.name", "web\xc0\xaf01"), http.StatusUnprocessableEntity, "tentacle.name", "not valid UTF-8"},
		{"import", func(t *testing.T) *httptest.ResponseRecorder {
			return app.postMultipart(t, "/wizard", withOp(step3.form, "import"), "planfile", "plan.json", []byte(planWithName))
		}, http.StatusOK, "tentacle.name", "not valid UTF-8"},
		{"share link", func(t *testing.T) *httptest.ResponseRecorder {
			v := withOp(step3.form, "load")
			v.Set("plan", planWithName)
			return app.postMultipart(t, "/wizard", v, "", "", nil)
		}, http.StatusOK, "tentacle.name", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.send(t)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			doc := mustDoc(t, rec)
			if got := doc.Find("form#wizard").AttrOr("data-step", ""); got != "3" {
				t.Errorf("the page is on step %s, want 3 with the error", got)
			}
			if got := testid(doc, "error-"+tt.field).Text(); !strings.Contains(got, tt.contains) {
				t.Errorf("error beside %s = %q, want it to contain %q", tt.field, got, tt.contains)
			}
		})
	}
	t.Run("API", func(t *testing.T) {
		rec := app.postJSON(t, "/api/v1/validate", planWithName)
		var got problemsJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("POST /api/v1/validate = %d %s, want 422", rec.Code, rec.Body)
		}
		var errs []plan.Problem
		for _, p := range got.Problems {
			if p.Severity == plan.Error {
				errs = append(errs, p)
			}
		}
		if len(errs) != 1 || errs[0].Field != "tentacle.name" || !strings.Contains(errs[0].Message, "not valid UTF-8") {
			t.Errorf("errors = %+v, want one on tentacle.name about UTF-8", errs)
		}
	})
}

// lines is a list field of n different items, one a line.
func lines(prefix string, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(prefix + strconv.Itoa(i+1) + "\n")
	}
	return b.String()
}

func TestAPIRefusesAmbiguousKeys(t *testing.T) {
	app := mustApp(t)
	tests := []struct {
		name, body, want string
	}{
		{"duplicate key", strings.Replace(validPlan, `"topology": "unique-port",`, `"topology": "unique-port", "topology": "multi-node",`, 1),
			`The plan has a duplicate key "topology"`},
		{"key that matches only by case", strings.Replace(validPlan, `"topology": "unique-port",`, `"topology": "unique-port", "TOPOLOGY": "multi-node",`, 1),
			`Unknown key "TOPOLOGY" (did you mean "topology"?)`},
		{"nested duplicate key", strings.Replace(validPlan, `"name": "web01",`, `"name": "web01", "name": "evil",`, 1),
			`The plan has a duplicate key "name" in tentacle`},
	}
	for _, tt := range tests {
		for _, path := range []string{"/api/v1/validate", "/api/v1/bundle", "/api/v1/files"} {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				rec := app.postJSON(t, path, tt.body)
				var got struct{ Message string }
				json.Unmarshal(rec.Body.Bytes(), &got)
				if rec.Code != http.StatusBadRequest || !strings.Contains(got.Message, tt.want) {
					t.Errorf("POST %s = %d %q, want 400 with %q", path, rec.Code, got.Message, tt.want)
				}
			})
		}
	}
}

func TestAPIBundleFormatInAnyCase(t *testing.T) {
	app := mustApp(t)
	tests := []struct {
		format, wantType string
	}{
		{"ZIP", "application/zip"},
		{"Zip", "application/zip"},
		{"TAR.GZ", "application/gzip"},
		{"Tar.Gz", "application/gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			rec := app.postJSON(t, "/api/v1/bundle?format="+tt.format, validPlan)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.wantType {
				t.Errorf("POST /api/v1/bundle?format=%s = %d %s, want 200 %s", tt.format, rec.Code, rec.Header().Get("Content-Type"), tt.wantType)
			}
		})
	}
}

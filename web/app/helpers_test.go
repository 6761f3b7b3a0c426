package app_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// counter is a predictable stand-in for crypto/rand, safe for the
// concurrent requests some tests send.
type counter struct {
	mu sync.Mutex
	n  byte
}

func (r *counter) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range p {
		r.n++
		p[i] = r.n
	}
	return len(p), nil
}

// testApp is the real app with a predictable random source and a log the
// test can read.
type testApp struct {
	*echo.Echo
	log *bytes.Buffer
}

func mustApp(tb testing.TB) testApp {
	tb.Helper()
	var log bytes.Buffer
	e := app.New(app.Config{Logger: slog.New(slog.NewTextHandler(&log, nil)), Random: &counter{}})
	return testApp{Echo: e, log: &log}
}

func (a testApp) do(tb testing.TB, req *http.Request) *httptest.ResponseRecorder {
	tb.Helper()
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	return rec
}

func (a testApp) get(tb testing.TB, path string) *httptest.ResponseRecorder {
	tb.Helper()
	return a.do(tb, httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form the way a browser without JavaScript does.
func (a testApp) post(tb testing.TB, path string, v url.Values) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return a.do(tb, req)
}

// postMultipart sends a form with a file, as the wizard's form does.
func (a testApp) postMultipart(tb testing.TB, path string, v url.Values, fileField, fileName string, file []byte) *httptest.ResponseRecorder {
	tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vals := range v {
		for _, val := range vals {
			mw.WriteField(k, val)
		}
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return a.do(tb, req)
}

func (a testApp) postJSON(tb testing.TB, path, body string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return a.do(tb, req)
}

func mustDoc(tb testing.TB, rec *httptest.ResponseRecorder) *goquery.Document {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		tb.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// testid finds elements by data-testid.
func testid(doc *goquery.Document, id string) *goquery.Selection {
	return doc.Find(`[data-testid="` + id + `"]`)
}

// browserForm is what a browser would submit from the wizard form, before
// the user presses a button: every named control with its current value.
func browserForm(doc *goquery.Document) url.Values {
	v := url.Values{}
	doc.Find("form#wizard input, form#wizard textarea, form#wizard select").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		if _, disabled := s.Attr("disabled"); name == "" || disabled {
			return
		}
		switch goquery.NodeName(s) {
		case "textarea":
			v.Add(name, s.Text())
		case "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", ""))
		default:
			switch s.AttrOr("type", "text") {
			case "radio", "checkbox":
				if _, on := s.Attr("checked"); on {
					v.Add(name, s.AttrOr("value", "on"))
				}
			case "file", "submit", "button":
			default:
				v.Add(name, s.AttrOr("value", ""))
			}
		}
	})
	return v
}

// press submits the page's form with one of its buttons.
func (a testApp) press(tb testing.TB, doc *goquery.Document, v url.Values, button, value string) *httptest.ResponseRecorder {
	tb.Helper()
	if sel := doc.Find(`form#wizard button[name="` + button + `"][value="` + value + `"]`); sel.Length() == 0 {
		tb.Fatalf("the page has no button %s=%s", button, value)
	}
	v = cloneValues(v)
	v.Set(button, value)
	return a.post(tb, "/wizard", v)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	return out
}

// planOf decodes the plan a page carries in its hidden field.
func planOf(tb testing.TB, doc *goquery.Document) plan.Plan {
	tb.Helper()
	raw, ok := testid(doc, "plan-field").Attr("value")
	if !ok {
		tb.Fatal("the page carries no plan")
	}
	p, probs := plan.Decode([]byte(raw))
	if probs.HasErrors() {
		tb.Fatalf("the page's plan does not decode: %s", probs)
	}
	return p
}

func gunzip(tb testing.TB, b []byte) []byte {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

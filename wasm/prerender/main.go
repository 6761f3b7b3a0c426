// Command prerender writes the static site's files that are not the .wasm:
// index.html rendered at build time by the same web application (so the
// first step is usable before the .wasm arrives), the embedded static
// assets at the paths the pages link, the service worker with the list of
// files to keep offline, and its boot script.
//
//	go run ./wasm/prerender -out dist/static -src wasm/browser
//
// The folder must already hold app.wasm and wasm_exec.js (make static).
//
// With -worker the folder is the Cloudflare Worker's static assets (make
// worker): the same files, a first page that works without JavaScript
// (the Worker's Go answers its form posts), and a _headers file giving the
// files the headers the app gives its own answers.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/static"
	"github.com/tentacle-ha-wizard/wizard/web/app"
)

// bootPath is where the static host serves the boot script.
const bootPath = "/boot.js"

func main() {
	out := flag.String("out", "dist/static", "site folder (holds app.wasm and wasm_exec.js already)")
	src := flag.String("src", "wasm/browser", "folder with sw.js and boot.js")
	worker := flag.Bool("worker", false, "write the Worker's static assets (no-JavaScript form posts go to its Go, plus _headers)")
	flag.Parse()
	if err := run(*out, *src, *worker); err != nil {
		fmt.Fprintf(os.Stderr, "prerender: %v\n", err)
		os.Exit(1)
	}
}

func run(out, src string, worker bool) error {
	for _, need := range []string{"app.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(out, need)); err != nil {
			return fmt.Errorf("%s missing in %s: build it first (make static)", need, out)
		}
	}
	wizard := app.New(app.Config{BootScript: bootPath, FormsServed: worker, Prerender: true, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	rec := httptest.NewRecorder()
	wizard.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		return fmt.Errorf("GET / answered %d: %.300s", rec.Code, rec.Body.String())
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), rec.Body.Bytes(), 0o644); err != nil {
		return err
	}
	if worker {
		if err := writeHeaders(out, rec.Header()); err != nil {
			return err
		}
	}
	err := fs.WalkDir(static.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static.FS, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(out, "static", filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		return fmt.Errorf("static files: %w", err)
	}
	boot, err := os.ReadFile(filepath.Join(src, "boot.js"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, strings.TrimPrefix(bootPath, "/")), boot, 0o644); err != nil {
		return err
	}
	return writeServiceWorker(out, src)
}

// writeServiceWorker fills in sw.js: the files to cache (everything in the
// folder) and a version that changes whenever any of them does.
func writeServiceWorker(out, src string) error {
	sw, err := os.ReadFile(filepath.Join(src, "sw.js"))
	if err != nil {
		return err
	}
	var files []string
	h := sha256.New()
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		rel = filepath.ToSlash(rel)
		// Precompressed copies (app.wasm.br, .gz) are for hosts that
		// serve them in place of the file; the browser never asks for them.
		if rel == "sw.js" || rel == headersFile || strings.HasSuffix(rel, ".br") || strings.HasSuffix(rel, ".gz") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		h.Write([]byte(rel))
		h.Write(b)
		if rel == "index.html" {
			rel = ""
		}
		files = append(files, "./"+rel)
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	list, _ := json.Marshal(files)
	version := hex.EncodeToString(h.Sum(nil))[:12]
	text := strings.Replace(string(sw), "__FILES__", string(list), 1)
	text = strings.Replace(text, "__VERSION__", version, 1)
	return os.WriteFile(filepath.Join(out, "sw.js"), []byte(text), 0o644)
}

// headersFile is where Workers Static Assets reads the headers of files.
const headersFile = "_headers"

// sameHeaders are the app's headers every static file gets too.
var sameHeaders = []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy"}

// workerPolicy is the service worker's own Content-Security-Policy: it
// compiles app.wasm, which a page's policy rightly forbids.
const workerPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"

// writeHeaders writes _headers: the app's security headers (as it sent
// them for GET /) on the pages and files, so the Worker's static answers
// carry what its Go answers carry; the service worker gets its own policy
// and no-cache. Rules name paths, not /*, because rules add up.
func writeHeaders(out string, h http.Header) error {
	var common strings.Builder
	for _, name := range sameHeaders {
		v := h.Get(name)
		if v == "" {
			return fmt.Errorf("GET / has no %s header to copy into %s", name, headersFile)
		}
		if name != "Content-Security-Policy" {
			fmt.Fprintf(&common, "  %s: %s\n", name, v)
		}
	}
	var b strings.Builder
	for _, path := range []string{"/", "/index.html", "/boot.js", "/wasm_exec.js", "/app.wasm", "/static/*"} {
		fmt.Fprintf(&b, "%s\n  Content-Security-Policy: %s\n%s", path, h.Get("Content-Security-Policy"), common.String())
	}
	fmt.Fprintf(&b, "/sw.js\n  Content-Security-Policy: %s\n%s  Cache-Control: no-cache\n", workerPolicy, common.String())
	return os.WriteFile(filepath.Join(out, headersFile), []byte(b.String()), 0o644)
}

//go:build js && wasm

// Command worker is the Go half of the wizard as a Cloudflare Worker
// (github.com/syumai/workers): the same echo application the self-hosted
// server runs. Pages and files are Workers Static Assets (the static site's
// build, dist/worker), served without starting Go; this answers only what
// they do not: the HTTP API and the form posts of a browser without
// JavaScript. The Worker runtime starts a fresh Go instance for every
// request, so nothing here is kept between requests, and start-up stays
// cheap.
package main

import (
	"net/http"

	"github.com/syumai/workers"

	"github.com/tentacle-ha-wizard/wizard/web/app"
)

// goHeader marks every answer the Go app gives, so a test can tell them
// from the static assets Cloudflare serves without starting Go.
const goHeader = "X-Wizard-Go"

func main() {
	// Cloudflare compresses responses at the edge; compressing in a fresh
	// Go instance per request would only cost CPU. Pages load the boot
	// script, so a browser with JavaScript hands the wizard to its service
	// worker, as on the static site; posts without JavaScript come here.
	wizard := app.New(app.Config{NoCompress: true, BootScript: "/boot.js", FormsServed: true})
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(goHeader, "1")
		wizard.ServeHTTP(w, r)
	}))
}

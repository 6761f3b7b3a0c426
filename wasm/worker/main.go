//go:build js && wasm

// Command worker is the wizard as a Cloudflare Worker (github.com/syumai/workers):
// the same echo application the self-hosted server runs, serving its pages,
// static files and HTTP API from the edge. The Worker runtime starts a fresh
// Go instance for every request, so nothing here is kept between requests,
// and start-up stays cheap.
package main

import (
	"github.com/syumai/workers"

	"github.com/tentacle-ha-wizard/wizard/web/app"
)

func main() {
	// Cloudflare compresses responses at the edge; compressing in a fresh
	// Go instance per request would only cost CPU.
	workers.Serve(app.New(app.Config{NoCompress: true}))
}

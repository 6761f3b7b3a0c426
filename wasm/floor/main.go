//go:build js && wasm

// Command floor is the smallest Go Worker (net/http and
// github.com/syumai/workers, answering "ok"): make e2e-worker measures its
// CPU per request beside the wizard's, since every request starts a fresh
// Go instance and this is what that alone costs.
package main

import (
	"net/http"

	"github.com/syumai/workers"
)

func main() {
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	}))
}

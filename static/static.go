// Package static holds the wizard's stylesheet, script, icon and the
// vendored htmx and its SSE extension, embedded so that every host serves
// the same files and no page needs a CDN.
//
// The files in vendor/ are copied from the npm packages pinned in
// package.json by make vendor (make check-vendor proves they match):
//
//	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
//	cp node_modules/htmx-ext-sse/dist/sse.min.js static/vendor/sse.min.js
package static

import "embed"

// FS holds the files; paths are relative to this folder ("app.css").
//
//go:embed app.css app.js favicon.svg vendor/htmx.min.js vendor/sse.min.js
var FS embed.FS

// Package static holds the wizard's stylesheet, script, icon and the
// vendored htmx, embedded so that every host serves the same files and no
// page needs a CDN.
//
// vendor/htmx.min.js is copied from the npm package pinned in package.json:
//
//	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
package static

import "embed"

// FS holds the files; paths are relative to this folder ("app.css").
//
//go:embed app.css app.js favicon.svg vendor/htmx.min.js
var FS embed.FS

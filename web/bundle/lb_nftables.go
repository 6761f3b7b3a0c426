package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteNftables is a stub until the generator lands.
func WriteNftables(w io.Writer, p plan.Plan) error { return nil }

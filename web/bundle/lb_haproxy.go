package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteHAProxy is a stub until the generator lands.
func WriteHAProxy(w io.Writer, p plan.Plan) error { return nil }

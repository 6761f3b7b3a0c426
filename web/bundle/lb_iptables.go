package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteIptables is a stub until the generator lands.
func WriteIptables(w io.Writer, p plan.Plan) error { return nil }

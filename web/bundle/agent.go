package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteAgentValues is a stub until the generator lands.
func WriteAgentValues(w io.Writer, p plan.Plan) error { return nil }

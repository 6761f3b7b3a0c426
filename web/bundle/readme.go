package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteReadme is a stub until the generator lands.
func WriteReadme(w io.Writer, p plan.Plan) error { return nil }

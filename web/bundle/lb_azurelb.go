package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteAzureLB is a stub until the generator lands.
func WriteAzureLB(w io.Writer, p plan.Plan) error { return nil }

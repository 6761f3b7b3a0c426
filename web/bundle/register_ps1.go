package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteRegisterPS1 is a stub until the generator lands.
func WriteRegisterPS1(w io.Writer, p plan.Plan) error { return nil }

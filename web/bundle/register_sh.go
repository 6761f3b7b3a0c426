package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteRegisterSh is a stub until the generator lands.
func WriteRegisterSh(w io.Writer, p plan.Plan) error { return nil }

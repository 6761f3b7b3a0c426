package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteNginx is a stub until the generator lands.
func WriteNginx(w io.Writer, p plan.Plan) error { return nil }

package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteKubernetes is a stub until the generator lands.
func WriteKubernetes(w io.Writer, p plan.Plan) error { return nil }

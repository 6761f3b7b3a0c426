package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func nodeScript(i int) Generator {
	return func(w io.Writer, p plan.Plan) error { return nil }
}

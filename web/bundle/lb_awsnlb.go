package bundle

import (
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteAWSNLB is a stub until the generator lands.
func WriteAWSNLB(w io.Writer, p plan.Plan) error { return nil }

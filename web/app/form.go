package app

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// The form structs below hold a wizard post as text. Their validate tags
// check only the request's shape (is a port a number, is a choice one of
// the offered values); the domain rules are plan.Validate's. Limits are
// generous on purpose: plan.Validate gives the precise message.

// controlForm is what every wizard post carries besides the plan's fields.
type controlForm struct {
	Step   string `form:"step" validate:"required,step"`
	Go     string `form:"go" validate:"omitempty,step"`
	Op     string `form:"op" validate:"max=40"`
	Show   string `form:"show" validate:"max=400"`
	Tab    string `form:"tab" validate:"max=400"`
	Format string `form:"format" validate:"omitempty,oneof=zip tar.gz"`
	Plan   string `form:"plan" validate:"max=1048576"`
	Shown  string `form:"shown" validate:"max=1048576"`
	// ErrorShown and SummaryShown name the fields whose errors the page
	// shows beside them and in its summary (see templates.ErrorsShown).
	ErrorShown   []string `form:"errorShown" validate:"max=1024,dive,max=1000"`
	SummaryShown []string `form:"summaryShown" validate:"max=1024,dive,max=1000"`
	// Panes are the preview's file panes on the page, "id key" each
	// (templates.PreviewFile.ID and the key of the pane's markup). They
	// are only compared with the panes of the answer, never shown, so they
	// have no shape to check: a fleet's preview may hold thousands of
	// files, and the body limit bounds them.
	Panes []string `form:"pane"`
}

// topologyForm is step 1.
type topologyForm struct {
	Topology string `form:"topology" validate:"omitempty,topology"`
}

// serverForm is step 2; node fields are parallel lists, one item a row.
type serverForm struct {
	URL            string   `form:"server.url" validate:"max=4096"`
	Thumbprint     string   `form:"server.thumbprint" validate:"max=1000"`
	Space          string   `form:"server.space" validate:"max=1000"`
	Version        string   `form:"server.version" validate:"max=1000"`
	Instance       string   `form:"server.instance" validate:"max=1000"`
	NodeName       []string `form:"nodes.name" validate:"max=256,dive,max=1000"`
	NodeAddress    []string `form:"nodes.address" validate:"max=256,dive,max=1000"`
	NodePort       []string `form:"nodes.port" validate:"max=256,dive,omitempty,number,max=5"`
	NodeListenPort []string `form:"nodes.listenPort" validate:"max=256,dive,omitempty,number,max=5"`
	NodeWebURL     []string `form:"nodes.webUrl" validate:"max=256,dive,max=4096"`
	NodeBackend    []string `form:"nodes.backendAddress" validate:"max=256,dive,max=1000"`
	LBAddress      string   `form:"loadBalancer.address" validate:"max=1000"`
	LBPort         string   `form:"loadBalancer.port" validate:"omitempty,number,max=5"`
	LBKinds        []string `form:"loadBalancer.kinds" validate:"max=16,dive,max=32"`
	// ListenMode is unique-port's choice of how the nodes listen
	// (plan.ListenKeep, plan.ListenMove); it is not a plan field but
	// rewrites the nodes' listenPort when it changes.
	ListenMode string `form:"listenMode" validate:"omitempty,oneof=keep move"`
}

// tentacleForm is step 3; list fields hold one item a line.
type tentacleForm struct {
	OS             string `form:"tentacle.os" validate:"omitempty,oneof=linux windows"`
	Instance       string `form:"tentacle.instance" validate:"max=1000"`
	Name           string `form:"tentacle.name" validate:"max=1000"`
	Kind           string `form:"tentacle.kind" validate:"omitempty,targetkind"`
	Environments   string `form:"tentacle.environments" validate:"max=65536"`
	Roles          string `form:"tentacle.roles" validate:"max=65536"`
	Tenants        string `form:"tentacle.tenants" validate:"max=65536"`
	TenantTags     string `form:"tentacle.tenantTags" validate:"max=65536"`
	Participation  string `form:"tentacle.tenantedDeploymentParticipation" validate:"omitempty,oneof=Untenanted TenantedOrUntenanted Tenanted"`
	WorkerPools    string `form:"tentacle.workerPools" validate:"max=65536"`
	Policy         string `form:"tentacle.policy" validate:"max=1000"`
	SubscriptionID string `form:"tentacle.subscriptionId" validate:"max=1000"`
	Connections    string `form:"tentacle.pollingConnectionCount" validate:"omitempty,number,max=3"`
}

// newValidator builds the request-shape checker; field names in its errors
// are the form's field names. Its tags for choices from a table (a
// topology, a target kind, a wizard step) check against the table, so no
// tag repeats its list.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return f.Tag.Get("form") })
	must(v.RegisterValidation("topology", func(fl validator.FieldLevel) bool {
		_, ok := plan.Topology(fl.Field().String()).Row()
		return ok
	}))
	must(v.RegisterValidation("targetkind", func(fl validator.FieldLevel) bool {
		_, ok := plan.TargetKindOf(fl.Field().String())
		return ok
	}))
	must(v.RegisterValidation("step", func(fl validator.FieldLevel) bool {
		n, err := strconv.Atoi(fl.Field().String())
		return err == nil && isStep(n)
	}))
	return v
}

// must panics on an error that only a programming mistake causes (a
// validation tag registered with a bad name).
func must(err error) {
	if err != nil {
		panic(err)
	}
}

// shape checks a form struct and returns its problems by field path.
func (a *App) shape(form any) (plan.Problems, error) {
	err := a.check().Struct(form)
	if err == nil {
		return nil, nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return nil, err
	}
	var probs plan.Problems
	for _, fe := range ves {
		key := formKey(fe.Field())
		probs = append(probs, plan.Problem{Field: key, Severity: plan.Error, Message: shapeMessage(fe.Tag(), key)})
	}
	return probs, nil
}

// formKey turns a validator field name into a field path:
// "nodes.port[1]" is "nodes[1].port".
func formKey(name string) string {
	rest, ok := strings.CutPrefix(name, "nodes.")
	if !ok {
		return name
	}
	field, idx, ok := strings.Cut(rest, "[")
	if !ok {
		return "nodes"
	}
	return "nodes[" + idx + "." + field
}

func shapeMessage(tag, key string) string {
	numeric := strings.HasSuffix(key, "ort") || strings.HasSuffix(key, "Count")
	switch {
	case numeric && strings.HasSuffix(key, "Count"):
		return "Enter a whole number from 1 to 512, or leave it empty for Tentacle's default."
	case numeric:
		return "A port is a whole number from 1 to 65535, such as 10943."
	case tag == "step":
		return "The wizard has steps " + strconv.Itoa(firstStep) + " to " + strconv.Itoa(reviewStep()) + "; this form names another."
	case tag == "oneof", tag == "topology", tag == "targetkind":
		return "Choose one of the offered values."
	case tag == "max" && key == "nodes":
		return "A plan can have at most 256 nodes."
	case tag == "max":
		return "This value is far too long."
	}
	return "This value is not valid."
}

// parseForm reads a wizard post (URL-encoded or multipart) from the body
// only, never from the query string.
func parseForm(c echo.Context) (url.Values, error) {
	r := c.Request()
	var err error
	if strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		// Bodies are capped at maxBody, so every part stays in memory.
		err = r.ParseMultipartForm(maxBody + 1)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, tooLarge()
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read; reload the page and try again.").SetInternal(err)
	}
	return r.PostForm, nil
}

func readControl(v url.Values) controlForm {
	return controlForm{
		Step: v.Get("step"), Go: v.Get("go"), Op: v.Get("op"), Show: v.Get("show"), Tab: v.Get("tab"),
		Format: v.Get("format"), Plan: v.Get("plan"), Shown: v.Get("shown"),
		ErrorShown: v["errorShown"], SummaryShown: v["summaryShown"], Panes: v["pane"],
	}
}

// readStep reads the fields of step s into p (its row's Read). It
// returns the shape problems and what was typed into the fields they
// concern.
func (a *App) readStep(s int, v url.Values, p *plan.Plan) (plan.Problems, map[string]string, error) {
	if !isStep(s) || stepRow(s).Read == nil {
		return nil, nil, nil
	}
	probs, err := a.shape(stepRow(s).Read(v, p))
	if err != nil || len(probs) == 0 {
		return nil, nil, err
	}
	raw := make(map[string]string, len(probs))
	for _, pr := range probs {
		raw[pr.Field] = rawValue(v, pr.Field)
	}
	return probs, raw, nil
}

// rawValue is the submitted text of a field path.
func rawValue(v url.Values, key string) string {
	rest, ok := strings.CutPrefix(key, "nodes[")
	if !ok {
		return v.Get(key)
	}
	idx, field, _ := strings.Cut(rest, "].")
	i, err := strconv.Atoi(idx)
	if vals := v["nodes."+field]; err == nil && i >= 0 && i < len(vals) {
		return vals[i]
	}
	return ""
}

// number reads a whole number the shape check accepted; anything else is 0.
func number(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

func trimAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// splitLines reads a list field: one item a line, blank lines dropped.
func splitLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

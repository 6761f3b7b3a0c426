// Package templates holds the templ components of the wizard's pages: the
// layout, the steps, the live preview and the error page. Components take
// the view values below, built by package app (web/app), which owns the
// steps and every other piece of application state; they hold no logic
// beyond display: which field shows which problem, which step is current.
package templates

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// Assets are the versioned URLs of the files every page loads.
type Assets struct {
	CSS, JS, HTMX, Icon string
	// SSE is htmx's SSE extension, which only the Register page loads.
	SSE string
	// Boot is loaded first when set (the static site's service worker).
	Boot string
	// FormsServed says a server answers the pages' plain form posts even
	// though they load Boot (the Worker: its Go answers what its static
	// assets do not), so the page works without JavaScript there.
	FormsServed bool
}

// Page is what every page needs: its title and assets.
type Page struct {
	Title  string
	Assets Assets
	// CSRF, when set, is the token every form post and htmx request of
	// the page carries (the self-hosted server with -allow-register).
	CSRF string
}

// Wizard is one rendering of the wizard: the plan so far, the step shown,
// and the problems to show beside its fields.
type Wizard struct {
	Page
	// Presets are step 1's common shapes; each value is the action that
	// loads one.
	Presets []Choice
	// Step is the number of the step shown; Steps are all of them in
	// order, and Body is the shown step's component.
	Step  int
	Steps []StepView
	Body  templ.Component
	// Review: the step shown is the review step (the last): no live
	// preview beside it, and its summary is about the download.
	Review bool
	// IDOnStep: the step shown edits the subscription id.
	IDOnStep bool
	Plan     plan.Plan
	PlanJSON string
	// Raw holds what the user typed into fields that did not parse (a port
	// of "abc"), keyed by field path, so the form shows it back.
	Raw map[string]string
	// Problems are shown beside the field they belong to, keyed by field
	// path ("server.url", "nodes[1].port", "tentacle.roles").
	Problems map[string][]plan.Problem
	// Summary lists the errors at the top of the step.
	Summary []Issue
	// Warnings lists every warning of the plan (on the review step).
	Warnings []Issue
	Notice   string
	Alert    string
	ShareURL string
	// Focus is the id of the element that takes the focus when the page loads.
	Focus   string
	Preview Preview
	// Archive is the download's base name, such as tentacle-ha-web01.
	Archive     string
	CanDownload bool
	// Addresses are the URLs the Tentacle polls (review step).
	Addresses []string
	Files     int
	// Host says whether this host can check and register.
	Host Host
	// Setup is the review step's setup steps and paste (valid plans only).
	Setup *SetupView
	// Check is the result of the review step's Check, when it ran.
	Check *CheckView
	// Subscription is what the form carries about the subscription id.
	Subscription IDState
	// Fleet is the Tentacle step's table of machines (fleet.go).
	Fleet FleetView
	// Change is the cluster change being prepared, when step 1 loaded the
	// current plan (change.go).
	Change *ChangeView
}

// Issue is one problem as a summary lists it.
type Issue struct {
	Step    int
	Key     string
	Anchor  string // id of the control to fix it with
	Label   string
	Message string
	Warning bool
}

// Preview is the live preview of every generated file.
type Preview struct {
	Files  []PreviewFile
	Active string // path of the selected file
	// ShownJSON is the plan the files were generated from; the next preview
	// highlights the lines that changed since.
	ShownJSON string
	// Examples names the fields for which example values stand in.
	Examples []string
	// Blocked holds the errors that keep even a draft from being generated.
	Blocked []string
	Compact bool
	// OnScreen holds the "pane" fields of the preview on screen ("id
	// key", see previewPane); PreviewPanes leaves out the panes it names.
	OnScreen map[string]bool
	// Rendered are the files' pane bodies as RenderPanes made them, by
	// file; nil until then.
	Rendered []RenderedPane
}

// PreviewFile is one generated file, highlighted.
type PreviewFile struct {
	Path    string
	ID      string
	Lang    string
	Lines   []Line
	Changed int
	New     bool
	EOL     bool // the file ends with a newline
}

// Line is one highlighted line.
type Line struct {
	Changed bool
	Tokens  []Token
}

// Token is a run of text of one syntax class ("" for plain text).
type Token struct {
	Class, Text string
}

// ErrorPage is shown for anything but field problems.
type ErrorPage struct {
	Page
	Status    int
	Heading   string
	Message   string
	RequestID string
	// Stranger: the visitor has no access (the self-hosted server's token
	// is missing or wrong), so the page links nowhere: every page of the
	// wizard would refuse them again.
	Stranger bool
}

// ID is the element id of the control for a field path:
// "nodes[1].port" becomes "f-nodes-1-port".
func ID(key string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-")
	return "f-" + r.Replace(key)
}

// NodeKey is the field path of a node's field.
func NodeKey(i int, field string) string {
	return "nodes[" + strconv.Itoa(i) + "]." + field
}

// Value is what the field shows: what the user typed if it did not parse,
// else v.
func (w Wizard) Value(key, v string) string {
	if raw, ok := w.Raw[key]; ok {
		return raw
	}
	return v
}

// Invalid reports whether the field has an error to show.
func (w Wizard) Invalid(key string) bool {
	for _, p := range w.Problems[key] {
		if p.Severity == plan.Error {
			return true
		}
	}
	return false
}

// Describedby lists the ids of the hint and problems of a field.
func (w Wizard) Describedby(key string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, ID(key)+"-hint")
	}
	if len(w.Problems[key]) > 0 {
		ids = append(ids, ID(key)+"-problems")
	}
	return strings.Join(ids, " ")
}

// Autofocus reports whether the element with id takes the focus.
func (w Wizard) Autofocus(id string) bool { return w.Focus != "" && w.Focus == id }

// HasLB reports whether the plan's topology has a load balancer.
func (w Wizard) HasLB() bool { return w.Plan.Topology.HasLoadBalancer() }

// Port formats a port for a field: empty for zero.
func Port(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Lines joins a list one item a line, as list fields show it.
func Lines(items []string) string { return strings.Join(items, "\n") }

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// htmxConfig turns off what the wizard's Content-Security-Policy forbids
// (eval, injected styles) and what it does not use (history snapshots).
const htmxConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,"historyEnabled":false}`

// Field describes one text field of a step.
type Field struct {
	Key          string
	Label        string
	Hint         string
	Type         string // "text" when empty
	Value        string
	Placeholder  string
	Mode         string // inputmode
	Autocomplete string
	Required     bool
	Mono         bool // digits and ids read better in a fixed-width font
	Rows         int  // a list field: a textarea, one item a line
	Narrow       bool // a short value: a port, a count
}

// InputAttrs are the optional attributes of a field's control.
func (w Wizard) InputAttrs(f Field) templ.Attributes {
	a := templ.Attributes{"autocomplete": "off"}
	if f.Autocomplete != "" {
		a["autocomplete"] = f.Autocomplete
	}
	if f.Placeholder != "" {
		a["placeholder"] = f.Placeholder
	}
	if f.Mode != "" {
		a["inputmode"] = f.Mode
	}
	if d := w.Describedby(f.Key, f.Hint != ""); d != "" {
		a["aria-describedby"] = d
	}
	if w.Invalid(f.Key) {
		a["aria-invalid"] = "true"
	}
	if f.Required {
		a["aria-required"] = "true"
	}
	if w.Autofocus(ID(f.Key)) {
		a["autofocus"] = true
	}
	return a
}

// FocusAttrs gives the element with id the focus when the page loads.
func (w Wizard) FocusAttrs(id string) templ.Attributes {
	if w.Autofocus(id) {
		return templ.Attributes{"autofocus": true}
	}
	return templ.Attributes{}
}

// NodeButtonID is the id of a node row's button: "remove", "up" or "down".
func NodeButtonID(op string, i int) string { return op + "-node-" + strconv.Itoa(i) }

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func inputType(t string) string {
	if t == "" {
		return "text"
	}
	return t
}

package templates

import "github.com/a-h/templ"

// IDState is what the wizard form carries about the plan's subscription
// id, in hidden fields, so that renaming the machine gives it a new id
// with JavaScript and without, and no host keeps state between posts.
type IDState struct {
	// Generated is the id the wizard generated last; an id that differs
	// from it was typed (or chosen) by the user and is kept on a rename.
	Generated string
	// For is the machine name Generated was generated for.
	For string
	// Renewed says this post gave the plan a new id: the page's id field
	// must show it.
	Renewed bool
}

// Typed reports whether id is one the user typed rather than the one the
// wizard generated.
func (s IDState) Typed(id string) bool { return id != "" && id != s.Generated }

// Field names of the hidden fields that carry an IDState.
const (
	IDGeneratedField    = "subscriptionIdGenerated"
	IDGeneratedForField = "subscriptionIdGeneratedFor"
)

// PerMachine is the one sentence on why a subscription id belongs to one
// machine.
const PerMachine = "Octopus queues a Tentacle's work under its subscription id and hands it to whichever Tentacle polls with that id, so two machines sharing one would run each other's tasks: every machine needs its own."

// TypedIDWarning is the warning beside an id the user typed.
const TypedIDWarning = "You typed this id, so renaming the machine keeps it. Use it for this one machine only: another Tentacle polling with the same id would take this machine's tasks. Generate gives a new one."

// oob marks an element htmx swaps in by id, out of band.
func oob(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"hx-swap-oob": "true"}
	}
	return templ.Attributes{}
}

// idInputAttrs are the attributes of the subscription id's text box.
func (w Wizard) idInputAttrs() templ.Attributes {
	a := w.InputAttrs(Field{Key: "tentacle.subscriptionId", Hint: "x", Required: true})
	a["aria-describedby"] = w.Describedby("tentacle.subscriptionId", true) + " subscription-id-typed"
	return a
}

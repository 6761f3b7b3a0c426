package templates

import "strconv"

// SetupView is the review step's setup steps: the bundle's README as
// steps with a copy button per command, and the bundle as a paste for a
// host reached only by SSH or remote desktop.
type SetupView struct {
	Steps []SetupStep
	// Paste holds the paste scripts; Size is the archive's size in bytes,
	// SHA256 its digest; Large says a paste this long may be cut short.
	Bash, PowerShell string
	Size             int
	SHA256           string
	Large            bool
	// Archive is the folder the paste unpacks, File the archive it writes.
	Archive, File string
}

// SetupStep is one section of the README: a numbered step (Number > 0) or
// a section after them.
type SetupStep struct {
	Number int
	Title  string
	Blocks []SetupBlock
}

// SetupBlock is a paragraph, a list, a sub-heading or a command.
type SetupBlock struct {
	// Kind is "p", "ul", "h" or "code".
	Kind string
	// Text is a paragraph's or heading's text; Items a list's.
	Text  []Inline
	Items [][]Inline
	// Code is a command block's text, Lang its fence's language.
	Code, Lang string
}

// Inline is a run of text: plain (""), "code", "strong" or "link" (Href).
type Inline struct {
	Kind, Text, Href string
}

// sizeText is a size in bytes for people: "812 bytes", "14.2 KiB".
func sizeText(n int) string {
	if n < 1024 {
		return itoa(n) + " bytes"
	}
	return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KiB"
}

package templates

// ChangeView is a cluster change the wizard prepares: the current plan
// loaded on step 1 and, on the review, what the new plan changes.
type ChangeView struct {
	// FromJSON is the current plan, carried in the hidden field "from".
	FromJSON string
	// From sums the current cluster up.
	From string
	// Ready says the change pack could be made; Alert says why not.
	Ready bool
	Alert string
	// Added, Kept and Removed are polled addresses; the node lists are names.
	Added, Kept, Removed                   []string
	AddedNodes, ChangedNodes, RetiredNodes []string
	// TopologyChange is "unique-port → multi-node", or empty.
	TopologyChange string
	// Steps are what to do, in order.
	Steps []string
	// Files are the change pack's files against the current bundle's.
	Files []ChangeFile
	// CanRollout says this host can roll the change out through Octopus.
	CanRollout bool
}

// ChangeFile is one file of a change pack: "new", "changed" (Lines is its
// diff, with a little context) or "same" as in the current plan's bundle.
type ChangeFile struct {
	Path, ID, Status string
	Lines            []DiffLine
	Added, Removed   int
}

// DiffLine is one line of a diff: Kind "add", "del", "same", or "gap" (Text
// then says how many unchanged lines are left out).
type DiffLine struct {
	Kind, Text string
}

// Counts says how many files are new, changed and the same.
func (v ChangeView) Counts() (added, changed, same int) {
	for _, f := range v.Files {
		switch f.Status {
		case "new":
			added++
		case "changed":
			changed++
		default:
			same++
		}
	}
	return added, changed, same
}

func diffMark(kind string) string {
	switch kind {
	case "add":
		return "+"
	case "del":
		return "-"
	case "gap":
		return "…"
	}
	return " "
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	s := ""
	for i, it := range items {
		if i > 0 {
			s += ", "
		}
		s += it
	}
	return s
}

package app

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// preview generates every file of the plan for the live preview. Fields
// that still have errors show example values (see draft), marked, and
// each file of such a draft says DRAFT first (see draftLines). Lines that
// differ from the files of shownJSON, the plan of the preview on screen,
// are marked as changed. tab is the path of the file to select. cache
// (nil: none) keeps recent plans' files by their JSON, so the plan on
// screen is not generated again to compare with.
func preview(cache *previewCaches, p plan.Plan, shownJSON, tab string, compact bool) (templates.Preview, error) {
	pv := templates.Preview{Compact: compact, Active: tab}
	eff, filled, blocked := draft(p)
	for _, key := range filled {
		pv.Examples = append(pv.Examples, templates.Label(key))
	}
	if len(blocked) > 0 {
		for _, pr := range blocked {
			pv.Blocked = append(pv.Blocked, templates.Label(displayKey(pr.Field))+": "+pr.Message)
		}
		return pv, nil
	}
	shown, err := json.Marshal(eff)
	if err != nil {
		return pv, err
	}
	pv.ShownJSON = string(shown)
	files, err := planFiles(cache, eff, pv.ShownJSON)
	if err != nil {
		return pv, err
	}
	before := previousFiles(cache.filesCache(), shownJSON, pv.ShownJSON)
	marks := exampleMarks(eff, filled)

	pv.Files = make([]templates.PreviewFile, len(files))
	found := false
	for i, f := range files {
		lines, eol := highlightCached(cache.highlightCache(), f.Path, f.Content)
		pf := templates.PreviewFile{Path: f.Path, ID: fileID(i, f.Path), Lang: langOf(f.Path), Lines: lines, EOL: eol}
		if before != nil {
			old, ok := before[f.Path]
			pf.New = !ok
			marks := changedLines(splitContent(old), splitContent(f.Content))
			for j, changed := range marks {
				if changed {
					pf.Lines[j].Changed = true
					pf.Changed++
				}
			}
		}
		if len(filled) > 0 {
			// A draft: its example values marked, and DRAFT first.
			pf.Lines = draftLines(pf.Lang, markExamples(pf.Lines, marks))
		}
		found = found || f.Path == tab
		pv.Files[i] = pf
	}
	if !found && len(files) > 0 {
		pv.Active = defaultTab(files)
	}
	return pv, nil
}

// planFiles is bundle.Files(eff) through cache (nil: none), keyed by
// eff's JSON: the preview and the review's setup steps of one plan
// generate its bundle once. The files are shared: callers only read them.
func planFiles(cache *previewCaches, eff plan.Plan, key string) ([]bundle.File, error) {
	if files, ok := cache.filesCache().lookup(key); ok {
		return files, nil
	}
	files, err := bundle.Files(eff)
	if err != nil {
		return nil, err
	}
	cache.filesCache().store(key, files)
	return files, nil
}

// onScreen reads the preview's "pane" fields as posted: the set of panes
// the page holds, or nil when they are not the panes of files (the same
// files in the same order), so the whole preview must be swapped.
func onScreen(files []templates.PreviewFile, panes []string) map[string]bool {
	if len(files) == 0 || len(panes) != len(files) {
		return nil
	}
	set := make(map[string]bool, len(panes))
	for i, pane := range panes {
		id, _, ok := strings.Cut(pane, " ")
		if !ok || id != files[i].ID {
			return nil
		}
		set[pane] = true
	}
	return set
}

// previousFiles generates the files of the plan shown before, by path, or
// nil when there is nothing to compare with.
func previousFiles(cache *filesCache, shownJSON, nowJSON string) map[string][]byte {
	if shownJSON == "" || shownJSON == nowJSON {
		return nil
	}
	files, ok := cache.lookup(shownJSON)
	if !ok {
		prev, probs := plan.Decode([]byte(shownJSON))
		if probs.HasErrors() {
			return nil
		}
		var err error
		if files, err = bundle.Files(prev); err != nil {
			return nil
		}
		cache.store(shownJSON, files)
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		out[f.Path] = f.Content
	}
	return out
}

// defaultTab is the file a fresh preview selects: the Tentacle setting,
// the heart of the bundle.
func defaultTab(files []bundle.File) string {
	for _, f := range files {
		if f.Path == "tentacle/trusted-servers.xml" {
			return f.Path
		}
	}
	return files[0].Path
}

func splitContent(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// fileID is an element id for a file: its position and a readable tail.
func fileID(i int, path string) string {
	var b strings.Builder
	b.WriteString("file-")
	b.WriteString(strconv.Itoa(i))
	b.WriteByte('-')
	for _, r := range path {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// isInvalid reports an error that means the plan has problems.
func isInvalid(err error) (plan.Problems, bool) {
	var ie *plan.InvalidError
	if errors.As(err, &ie) {
		return ie.Problems, true
	}
	return nil, false
}

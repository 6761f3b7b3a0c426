package plan

import "strings"

// sentenceList joins names for a sentence: "a", "a or b", "a, b or c".
func sentenceList[S ~string](names []S) string { return joinWords(names, "or") }

// joinWords joins names for a sentence with a conjunction: "a, b and c".
func joinWords[S ~string](names []S, conj string) string {
	if len(names) == 0 {
		return ""
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = string(n)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + conj + " " + parts[len(parts)-1]
}

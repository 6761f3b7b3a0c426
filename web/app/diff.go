package app

// maxEdits bounds the work of one file's diff; a file with more changed
// lines than this is marked changed between its common start and end.
const maxEdits = 256

// changedLines reports, for each line of now, whether it is new or changed
// since before: the lines a shortest edit script (Myers' diff) inserts.
func changedLines(before, now []string) []bool {
	changed := make([]bool, len(now))
	// The common start and end cost nothing and are the usual case.
	pre := 0
	for pre < len(before) && pre < len(now) && before[pre] == now[pre] {
		pre++
	}
	suf := 0
	for suf < len(before)-pre && suf < len(now)-pre && before[len(before)-1-suf] == now[len(now)-1-suf] {
		suf++
	}
	a, b := before[pre:len(before)-suf], now[pre:len(now)-suf]
	if !inserted(a, b, changed[pre:]) {
		for i := range b {
			changed[pre+i] = true
		}
	}
	return changed
}

// inserted marks in mark the lines of b that a shortest edit script from a
// to b inserts. It reports false when the script is longer than maxEdits.
func inserted(a, b []string, mark []bool) bool {
	n, m := len(a), len(b)
	if m == 0 {
		return true
	}
	limit := min(n+m, maxEdits)
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			x := v[off+k-1] + 1
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				backtrack(trace, off, n, m, mark)
				return true
			}
		}
	}
	return false
}

// backtrack walks the saved frontiers back from (n, m) and marks each
// insertion (a step down) in mark.
func backtrack(trace [][]int, off, x, y int, mark []bool) {
	for d := len(trace) - 1; d > 0; d-- {
		v := trace[d]
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			prevK = k + 1
		}
		prevX := v[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
		}
		if prevK == k+1 {
			mark[prevY] = true
		}
		x, y = prevX, prevY
	}
}

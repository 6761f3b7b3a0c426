package app

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// clock is a test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestRunTable(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)}
	runs := newRunTable(context.Background(), clk.now)
	release := make(chan struct{})
	first, err := runs.start("a", func(ctx context.Context, emit func(report.Event)) runResult {
		emit(report.Event{Step: 1, Name: "one", Status: report.Running})
		<-release
		return runResult{OK: true}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runs.start("b", nil); !errors.Is(err, errBusy) {
		t.Errorf("a second run while one runs: err = %v, want errBusy", err)
	}
	close(release)
	waitDone(t, first.done)
	if _, ok := runs.get("a"); !ok {
		t.Fatal("a run that just ended is gone")
	}
	clk.add(runKeep + time.Second)
	if _, ok := runs.get("a"); ok {
		t.Error("a run is kept after runKeep")
	}

	// A panicking registrar ends its run as a failure and frees the table.
	r, err := runs.start("c", func(context.Context, func(report.Event)) runResult { panic("boom") })
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, r.done)
	if _, out, _ := r.since(0); out == nil || out.OK {
		t.Errorf("outcome after a panic = %+v, want a failure", out)
	}
	if _, err := runs.start("d", func(context.Context, func(report.Event)) runResult {
		return runResult{}
	}); err != nil {
		t.Errorf("start after a panicked run: %v", err)
	}
}

// waitDone waits for a run to end, for at most five seconds.
func waitDone(t *testing.T, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the run did not end within 5s")
	}
}

func TestLatestSteps(t *testing.T) {
	got := latestSteps([]report.Event{
		{Step: 1, Status: report.Running}, {Step: 1, Status: report.Pass},
		{Step: 2, Status: report.Skip},
		{Step: 3, Status: report.Running}, {Step: 3, Status: report.Fail},
	})
	var s string
	for _, ev := range got {
		s += string(ev.Status) + " "
	}
	if s != "pass skipped fail " {
		t.Errorf("latestSteps = %q, want pass skipped fail", s)
	}
}

func TestRunTableShutdownCancelsRuns(t *testing.T) {
	base, shutdown := context.WithCancel(context.Background())
	runs := newRunTable(base, time.Now)
	r, err := runs.start("a", func(ctx context.Context, _ func(report.Event)) runResult {
		<-ctx.Done()
		return runResult{Headline: "cancelled"}
	})
	if err != nil {
		t.Fatal(err)
	}
	shutdown()
	select {
	case <-r.done:
	case <-time.After(5 * time.Second):
		t.Fatal("shutting the host down did not end the running registration")
	}
}

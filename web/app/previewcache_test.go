package app

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func cachePlan(role string) plan.Plan {
	p, probs := plan.Decode([]byte(`{"version":1,"topology":"unique-port","server":{"url":"https://octopus.example.com","thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6","instance":"OctopusServer"},"nodes":[{"name":"Node1","address":"10.0.1.11","port":10943},{"name":"Node2","address":"10.0.1.12","port":10944}],"loadBalancer":{"address":"203.0.113.10","kinds":["nginx","haproxy","nftables","iptables","aws-nlb","azure-lb","kubernetes"]},"tentacle":{"os":"linux","instance":"Tentacle","name":"web01","kind":"target","environments":["Production"],"roles":["` + role + `"],"subscriptionId":"poll://g3662re9njtelsyfhm7t/"}}`))
	if probs.HasErrors() {
		panic(probs.String())
	}
	return p
}

// The cache changes no mark: a preview against a cached plan on screen
// is the preview that generates that plan again, and a plan's cached
// files are the files its JSON generates.
func TestPreviewCacheSameMarks(t *testing.T) {
	caches := newPreviewCaches()
	cache := caches.files
	first, err := preview(caches, cachePlan("web"), "", "", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cache.get(first.ShownJSON); !ok {
		t.Fatal("the previewed plan's files are not cached")
	}
	for _, role := range []string{"web", "db", "web-2"} {
		withCache, err := preview(caches, cachePlan(role), first.ShownJSON, "", true)
		if err != nil {
			t.Fatal(err)
		}
		without, err := preview(nil, cachePlan(role), first.ShownJSON, "", true)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(without, withCache); diff != "" {
			t.Errorf("role %s: preview with the cache differs (-without +with):\n%s", role, diff)
		}
		again, err := preview(caches, cachePlan(role), first.ShownJSON, "", true)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(without, again); diff != "" {
			t.Errorf("role %s: a second preview with the cache differs (-without +with):\n%s", role, diff)
		}
		changed := 0
		for _, f := range withCache.Files {
			changed += f.Changed
		}
		if role != "web" && changed == 0 || role == "web" && changed != 0 {
			t.Errorf("role %s: no line marked changed", role)
		}
	}
	// Round trip: the files cached under a plan's JSON are those the
	// JSON decodes to.
	p, probs := plan.Decode([]byte(first.ShownJSON))
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	want, err := bundle.Files(p)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := cache.get(first.ShownJSON)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cached files differ from the decoded plan's (-want +got):\n%s", diff)
	}
}

func TestFilesCacheBounds(t *testing.T) {
	files := func(n int) []bundle.File { return []bundle.File{{Path: "f", Content: []byte(strings.Repeat("x", n))}} }
	c := newFilesCache(3, 100)
	for i := range 5 {
		c.put(fmt.Sprint(i), files(10))
	}
	for i, want := range []bool{false, false, true, true, true} {
		if _, ok := c.get(fmt.Sprint(i)); ok != want {
			t.Errorf("entry %d cached = %v, want %v", i, ok, want)
		}
	}
	c.get("2") // 2 is now the most recent; 3 the least
	c.put("5", files(10))
	if _, ok := c.get("3"); ok {
		t.Error("the least recently used entry was kept")
	}
	if _, ok := c.get("2"); !ok {
		t.Error("a recently used entry was dropped")
	}
	c.put("big", files(200))
	if _, ok := c.get("big"); ok {
		t.Error("an entry over the byte bound was kept")
	}
	c.put("half", files(60))
	if c.bytes > 100 || c.order.Len() != len(c.byKey) {
		t.Errorf("bytes %d, %d entries, %d keys", c.bytes, c.order.Len(), len(c.byKey))
	}
	var nilCache *filesCache
	nilCache.store("x", files(1))
	if _, ok := nilCache.lookup("x"); ok {
		t.Error("a nil cache found something")
	}
}

func TestFilesCacheConcurrent(t *testing.T) {
	c := newFilesCache(4, 1<<20)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				key := fmt.Sprint((g + i) % 7)
				if fs, ok := c.get(key); ok && string(fs[0].Content) != key {
					t.Errorf("key %s holds %q", key, fs[0].Content)
				}
				c.put(key, []bundle.File{{Path: "f", Content: []byte(key)}})
			}
		})
	}
	wg.Wait()
}

package bundle_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// caseWant is, for every plan the bundle tests generate from (the cases in
// testdata/cases and lb_test.go's edgePlans), what its Tentacle polls and
// what its balancer forwards, written out by hand from the plan's JSON.
// Tests compare generated files with these literals rather than with the
// plan methods the generators call themselves (Addresses, Routes, Polls),
// and TestCaseExpectations pins those methods to the same literals, so a
// bug in a plan method cannot make a generator and its test agree.
var caseWant = map[string]struct {
	// polls are the Tentacle's polling addresses, in plan order.
	polls []string
	// listeners are the balancer's ports and the node host:ports behind
	// each, in port order; none without a balancer.
	listeners []lbListener
}{
	"docs-unique-address": {
		polls: []string{"https://10.0.255.160:10943", "https://10.0.255.161:10943", "https://10.0.255.162:10943"},
	},
	"multi-node": {
		polls:     []string{"https://lb.example.com:10943"},
		listeners: []lbListener{{10943, []string{"10.0.2.21:10943", "10.0.2.22:10943", "10.0.2.23:10943"}}},
	},
	"unique-hostname": {
		polls: []string{"https://polling1.octopus.example.com:443", "https://polling2.octopus.example.com:443", "https://polling3.octopus.example.com:443"},
		listeners: []lbListener{
			{443, []string{"polling1.octopus.example.com -> 10.0.7.21:10943"}},
			{443, []string{"polling2.octopus.example.com -> 10.0.7.22:10943"}},
			{443, []string{"polling3.octopus.example.com -> 10.0.7.23:10943"}},
		},
	},
	"unique-hostname-names-ipv6": {
		polls: []string{"https://a.polling.example.com:8443", "https://b.polling.example.com:8443"},
		listeners: []lbListener{
			{8443, []string{"a.polling.example.com -> octo-a.internal.example.com:10943"}},
			{8443, []string{"b.polling.example.com -> [2001:db8::b]:10950"}},
		},
	},
	"multi-node-moved-listen": {
		polls:     []string{"https://lb.example.com:10943"},
		listeners: []lbListener{{10943, []string{"10.0.6.21:10943", "10.0.6.22:10950"}}},
	},
	"unique-port-all-kinds": {
		polls: []string{"https://203.0.113.10:10943", "https://203.0.113.10:10944", "https://203.0.113.10:10945"},
		listeners: []lbListener{
			{10943, []string{"10.0.1.11:10943"}}, {10944, []string{"10.0.1.12:10944"}}, {10945, []string{"10.0.1.13:10945"}},
		},
	},
	"unique-port-ipv6": {
		polls:     []string{"https://[2001:db8::10]:10943", "https://[2001:db8::10]:10944"},
		listeners: []lbListener{{10943, []string{"[2001:db8:1::11]:10943"}}, {10944, []string{"[2001:db8:1::12]:10944"}}},
	},
	"unique-address-kubernetes-worker": {
		polls: []string{"https://octo1.example.com:10943", "https://octo2.example.com:10943"},
	},
	"unique-port-kubernetes-agent": {
		polls: []string{"https://polling.example.com:10943", "https://polling.example.com:10944", "https://polling.example.com:10945"},
		listeners: []lbListener{
			{10943, []string{"10.0.7.11:10943"}}, {10944, []string{"10.0.7.12:10944"}}, {10945, []string{"10.0.7.13:10945"}},
		},
	},
	"fleet-mixed": {
		polls: []string{"https://polling.example.com:10943", "https://polling.example.com:10944"},
		listeners: []lbListener{
			{10943, []string{"10.0.1.11:10943"}}, {10944, []string{"10.0.1.12:10943"}},
		},
	},
	"unique-port-keep-listen": {
		polls: []string{"https://polling.example.com:10943", "https://polling.example.com:10944", "https://polling.example.com:10945"},
		listeners: []lbListener{
			{10943, []string{"10.0.4.11:10943"}}, {10944, []string{"10.0.4.12:10943"}}, {10945, []string{"10.0.4.13:10943"}},
		},
	},
	"unique-port-mixed-families": {
		polls: []string{"https://lb.example.com:10943", "https://lb.example.com:10944", "https://lb.example.com:10945"},
		listeners: []lbListener{
			{10943, []string{"10.0.3.11:10943"}}, {10944, []string{"[2001:db8:3::12]:10944"}}, {10945, []string{"10.0.3.13:10943"}},
		},
	},
	"unique-port-moved-listen": {
		polls: []string{"https://polling.example.com:10943", "https://polling.example.com:10944", "https://polling.example.com:10945"},
		listeners: []lbListener{
			{10943, []string{"10.0.5.11:10943"}}, {10944, []string{"10.0.5.12:10944"}}, {10945, []string{"10.0.5.13:10943"}},
		},
	},
	"unique-port-windows-worker": {
		polls: []string{"https://polling.corp.example:10943", "https://polling.corp.example:10944",
			"https://polling.corp.example:10945", "https://polling.corp.example:10946"},
		listeners: []lbListener{
			{10943, []string{"octo-a.corp.example:10943"}}, {10944, []string{"octo-b.corp.example:10943"}},
			{10945, []string{"octo-c.corp.example:10943"}}, {10946, []string{"octo-d.corp.example:10943"}},
		},
	},
	// edgePlans
	"unique-port-names-and-ips": {
		polls: []string{"https://polling.example.com:10943", "https://polling.example.com:10944", "https://polling.example.com:10945"},
		listeners: []lbListener{
			{10943, []string{"octo-a.example.com:10943"}}, {10944, []string{"10.1.0.2:10943"}}, {10945, []string{"octo-c.example.com:443"}},
		},
	},
	"multi-node-ipv6-ports": {
		polls:     []string{"https://lb.example.com:443"},
		listeners: []lbListener{{443, []string{"[2001:db8::a]:10943", "[2001:db8::b]:10950"}}},
	},
}

// wantPolls is the literal polling addresses of a plan in caseWant.
func wantPolls(tb testing.TB, name string) []string {
	tb.Helper()
	w, ok := caseWant[name]
	if !ok {
		tb.Fatalf("caseWant has no entry for %s: write its addresses out in cases_want_test.go", name)
	}
	return w.polls
}

// TestCaseExpectations: every plan has its literal expectations, and the
// plan methods the generators use agree with them.
func TestCaseExpectations(t *testing.T) {
	plans := lbPlans(t)
	for name := range caseWant {
		if _, ok := plans[name]; !ok {
			t.Errorf("caseWant[%s] names no case or edge plan", name)
		}
	}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			w, ok := caseWant[name]
			if !ok {
				t.Fatalf("no literal expectations: add %s to caseWant in cases_want_test.go, written from its JSON", name)
			}
			if diff := cmp.Diff(w.polls, p.Addresses()); diff != "" {
				t.Errorf("Addresses() (-want +got):\n%s", diff)
			}
			var polls []string
			for _, poll := range p.Polls() {
				polls = append(polls, poll.Address())
			}
			if diff := cmp.Diff(w.polls, polls); diff != "" {
				t.Errorf("Polls() addresses (-want +got):\n%s", diff)
			}
			// wantListeners(p) is the oracle of TestLoadBalancerFiles.
			if diff := cmp.Diff(sortListeners(slices.Clone(w.listeners)), wantListeners(p)); diff != "" {
				t.Errorf("Routes() as listeners (-want +got):\n%s", diff)
			}
		})
	}
}

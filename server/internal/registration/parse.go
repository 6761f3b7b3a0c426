package registration

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

type instance struct {
	InstanceName          string
	ConfigurationFilePath string
}

// parseInstances reads `list-instances --format json`, ignoring any log
// lines around the JSON array.
func parseInstances(out string) ([]instance, error) {
	start, end := strings.Index(out, "["), strings.LastIndex(out, "]")
	if start < 0 || end < start {
		return nil, errors.New("no JSON array")
	}
	var list []instance
	if err := json.Unmarshal([]byte(out[start:end+1]), &list); err != nil {
		return nil, err
	}
	return list, nil
}

// trustedServer is an entry of Tentacle.Communication.TrustedOctopusServers.
type trustedServer struct {
	Thumbprint         string
	CommunicationStyle int
	Address            string
	SubscriptionID     string `json:"SubscriptionId"`
}

// UnmarshalJSON accepts CommunicationStyle as a number or a name, as Tentacle does.
func (t *trustedServer) UnmarshalJSON(b []byte) error {
	var raw struct {
		Thumbprint         string
		CommunicationStyle json.RawMessage
		Address            *string
		SubscriptionId     *string
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	t.Thumbprint = raw.Thumbprint
	if raw.Address != nil {
		t.Address = *raw.Address
	}
	if raw.SubscriptionId != nil {
		t.SubscriptionID = *raw.SubscriptionId
	}
	var n int
	var s string
	switch {
	case json.Unmarshal(raw.CommunicationStyle, &n) == nil:
		t.CommunicationStyle = n
	case json.Unmarshal(raw.CommunicationStyle, &s) == nil:
		t.CommunicationStyle = map[string]int{"tentaclepassive": 1, "tentacleactive": 2}[strings.ToLower(s)]
	}
	return nil
}

// trustState is what show-configuration says about the trusted servers.
type trustState struct {
	ours        []trustedServer // the plan's thumbprint, polling, with an address
	others      []string        // addresses of other servers' entries
	addressless int             // entries without an address (listening trusts)
	known       bool            // Octopus has a machine with this Tentacle's certificate
}

// registered: an entry of ours under the plan's subscription id.
func (st trustState) registered(id string) bool {
	return slices.ContainsFunc(st.ours, func(e trustedServer) bool { return strings.EqualFold(e.SubscriptionID, id) })
}

// trusts: the Tentacle polls address under the plan's subscription id.
func (st trustState) trusts(address string) bool {
	return slices.ContainsFunc(st.ours, func(e trustedServer) bool { return strings.EqualFold(e.Address, address) && e.SubscriptionID != "" })
}

// state reads the trusted servers through show-configuration (from the
// config file when it prints none); withServer also asks Octopus whether
// it knows this Tentacle's certificate.
func (r *runner) state(ctx context.Context, step string, withServer bool) (trustState, error) {
	out, err := r.cmd(ctx, step, bundle.RegistrationOf(r.p).ShowConfiguration(withServer), nil)
	if err != nil {
		return trustState{}, err
	}
	list, ok := findTrusted(out)
	if !ok && r.config != "" {
		if data, err := os.ReadFile(r.config); err == nil {
			list, _ = trustedFromXML(data)
		}
	}
	st := trustState{known: hasKey(out, "DisplayName")}
	for _, e := range list {
		switch {
		case e.Address == "":
			st.addressless++
		case !strings.EqualFold(e.Thumbprint, r.p.Server.Thumbprint):
			st.others = append(st.others, e.Address)
		case e.CommunicationStyle == 2:
			st.ours = append(st.ours, e)
		}
	}
	return st, nil
}

// hasKey reports whether the JSON document in out has the key anywhere.
func hasKey(out, key string) bool {
	start := strings.Index(out, "{")
	if start < 0 {
		return false
	}
	var doc any
	if json.NewDecoder(strings.NewReader(out[start:])).Decode(&doc) != nil {
		return false
	}
	_, ok := find(doc, key)
	return ok
}

// findTrusted looks for the TrustedOctopusServers value anywhere in a JSON
// document; the value may be an array or a string holding one.
func findTrusted(out string) ([]trustedServer, bool) {
	start := strings.Index(out, "{")
	if start < 0 {
		return nil, false
	}
	var doc any
	if err := json.NewDecoder(strings.NewReader(out[start:])).Decode(&doc); err != nil {
		return nil, false
	}
	raw, ok := find(doc, "TrustedOctopusServers")
	if !ok {
		return nil, false
	}
	var b []byte
	if s, isString := raw.(string); isString {
		b = []byte(s)
	} else {
		b, _ = json.Marshal(raw)
	}
	var list []trustedServer
	if len(b) == 0 || string(b) == "null" {
		return nil, true
	}
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, false
	}
	return list, true
}

// find looks for key (or a dotted key ending in it) anywhere in doc.
func find(v any, key string) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if strings.EqualFold(k, key) || strings.HasSuffix(strings.ToLower(k), "."+strings.ToLower(key)) {
				return val, true
			}
		}
		for _, val := range t {
			if found, ok := find(val, key); ok {
				return found, true
			}
		}
	case []any:
		for _, val := range t {
			if found, ok := find(val, key); ok {
				return found, true
			}
		}
	}
	return nil, false
}

func trustedFromXML(data []byte) ([]trustedServer, bool) {
	var doc struct {
		Sets []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:",chardata"`
		} `xml:"set"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, false
	}
	for _, s := range doc.Sets {
		if strings.EqualFold(s.Key, "Tentacle.Communication.TrustedOctopusServers") {
			var list []trustedServer
			if strings.TrimSpace(s.Value) == "" {
				return nil, true
			}
			if json.Unmarshal([]byte(s.Value), &list) != nil {
				return nil, false
			}
			return list, true
		}
	}
	return nil, true
}

// dryRun reports the commands a first run on a new Tentacle would
// execute, key masked.
func (r *runner) dryRun() {
	p, reg := r.p, bundle.RegistrationOf(r.p)
	addrs := p.Addresses()
	r.config = r.opt.ConfigPath
	if r.config == "" {
		r.config = p.Tentacle.ConfigPath()
	}
	cmds := []bundle.Command{reg.ListInstances(), reg.CreateInstance(), reg.NewCertificate(), reg.ShowConfiguration(true), reg.Configure(r.opt.AppDir != "")}
	if c, ok := reg.PollingConnections(); ok {
		cmds = append(cmds, c)
	}
	cmds = append(cmds, reg.Register(addrs[0]))
	var polls []string // the first address is trusted by registering
	for _, a := range addrs[1:] {
		cmds, polls = append(cmds, reg.PollServer()), append(polls, a)
	}
	cmds = append(cmds, reg.ShowConfiguration(false), reg.Service())
	r.total = len(cmds)
	vals := r.vars()
	for _, c := range cmds {
		if c.Step == "poll-server" {
			vals[bundle.VarAddress], polls = polls[0], polls[1:]
		}
		argv := c.Argv(vals)
		r.step++
		r.send(report.Event{Step: r.step, Total: r.total, Name: argv[0], Command: commandLine(r.opt.Tentacle, argv), Status: report.Skip, Message: "dry run: not executed"})
	}
}

func jsonUnmarshal(s string, v any) error {
	return json.NewDecoder(strings.NewReader(s)).Decode(v)
}

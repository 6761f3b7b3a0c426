package registration

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
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

// trusted reads the Tentacle's trusted servers: from show-configuration's
// JSON, or from the config file when that prints none.
func (r *runner) trusted(ctx context.Context, step string) ([]trustedServer, error) {
	out, err := r.tentacle(ctx, step, []string{"show-configuration", "--instance", r.p.Tentacle.Instance})
	if err != nil {
		return nil, err
	}
	if list, ok := findTrusted(out); ok {
		return list, nil
	}
	if r.config != "" {
		if data, err := os.ReadFile(r.config); err == nil {
			if list, ok := trustedFromXML(data); ok {
				return list, nil
			}
		}
	}
	return nil, nil
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
	raw, ok := search(doc)
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

func search(v any) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if strings.EqualFold(k, "TrustedOctopusServers") || strings.EqualFold(k, "Tentacle.Communication.TrustedOctopusServers") {
				return val, true
			}
		}
		for _, val := range t {
			if found, ok := search(val); ok {
				return found, true
			}
		}
	case []any:
		for _, val := range t {
			if found, ok := search(val); ok {
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

// split separates this cluster's entries (the plan's thumbprint) from
// other servers' entries.
func split(all []trustedServer, p plan.Plan) (ours, others []trustedServer) {
	for _, e := range all {
		if strings.EqualFold(e.Thumbprint, p.Server.Thumbprint) {
			ours = append(ours, e)
		} else {
			others = append(others, e)
		}
	}
	return ours, others
}

// dryRun reports the commands a first run would execute, key masked.
func (r *runner) dryRun() {
	p, inst := r.p, r.p.Tentacle.Instance
	addrs := p.Addresses()
	cfg := r.opt.ConfigPath
	if cfg == "" {
		cfg = p.Tentacle.ConfigPath()
	}
	cmds := [][]string{
		{"list-instances", "--format", "json"},
		{"create-instance", "--instance", inst, "--config", cfg},
		{"new-certificate", "--instance", inst, "--if-blank"},
		{"configure", "--instance", inst, "--noListen", "True"},
		r.registerArgs(addrs[0]),
	}
	for _, a := range addrs[1:] {
		cmds = append(cmds, []string{"poll-server", "--instance", inst, "--server", p.Server.URL, "--apiKey", r.opt.APIKey, "--server-comms-address", a})
	}
	if n := p.Tentacle.PollingConnectionCount; n > 0 {
		cmds = append(cmds, []string{"set-polling-connection-count", "--instance", inst, "--pollingConnectionCount", fmt.Sprint(n)})
	}
	cmds = append(cmds, []string{"service", "--instance", inst, "--install", "--start"})
	r.total = len(cmds)
	for _, c := range cmds {
		r.step++
		r.send(report.Event{Step: r.step, Total: r.total, Name: c[0], Command: commandLine(r.opt.Tentacle, c, r.opt.APIKey), Status: report.Skip, Message: "dry run: not executed"})
	}
}

func jsonUnmarshal(s string, v any) error {
	return json.NewDecoder(strings.NewReader(s)).Decode(v)
}

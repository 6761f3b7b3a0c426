package bundle_test

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
)

// docsExample is the value of the documented three-node example
// (../shared/seeds/registering-ha-polling-tentacles.md), compacted.
const docsExample = `[{"Thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6","CommunicationStyle":2,"Address":"https://10.0.255.160:10943","Squid":null,"SubscriptionId":"poll://g3662re9njtelsyfhm7t/"},{"Thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6","CommunicationStyle":2,"Address":"https://10.0.255.161:10943","Squid":null,"SubscriptionId":"poll://g3662re9njtelsyfhm7t/"},{"Thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6","CommunicationStyle":2,"Address":"https://10.0.255.162:10943","Squid":null,"SubscriptionId":"poll://g3662re9njtelsyfhm7t/"}]`

func TestTrustedServersMatchesTheDocs(t *testing.T) {
	got, err := bundle.TrustedServersJSON(mustCase(t, "docs-unique-address"))
	if err != nil || got != docsExample {
		t.Fatalf("TrustedServersJSON(docs example) =\n%s\nwant\n%s", got, docsExample)
	}
}

// setValue parses trusted-servers.xml and returns the <set> element's key and text.
func setValue(t *testing.T, doc []byte) (key, value string) {
	t.Helper()
	var set struct {
		XMLName xml.Name `xml:"set"`
		Key     string   `xml:"key,attr"`
		Value   string   `xml:",chardata"`
	}
	if err := xml.Unmarshal(doc, &set); err != nil {
		t.Fatalf("trusted-servers.xml is not well-formed: %v\n%s", err, doc)
	}
	return set.Key, set.Value
}

func TestTrustedServersXML(t *testing.T) {
	for _, name := range caseNames(t) {
		t.Run(name, func(t *testing.T) {
			p := mustCase(t, name).Normalized()
			files := contents(mustFiles(t, name))
			if p.Tentacle.KindRow().Helm {
				if _, ok := files["tentacle/trusted-servers.xml"]; ok {
					t.Errorf("a Kubernetes agent's bundle has tentacle/trusted-servers.xml; the chart keeps the agent's trusted servers")
				}
				return
			}
			xmlPath := "tentacle/trusted-servers.xml"
			if p.HasFleet() { // each machine's own, with its own id
				p = p.ForMachine(0)
				xmlPath = bundle.MachineDir(p.Tentacle.Name) + "trusted-servers.xml"
			}
			key, value := setValue(t, []byte(files[xmlPath]))
			if key != bundle.TrustedServersKey {
				t.Errorf("key = %q", key)
			}
			var entries []map[string]any
			if err := json.Unmarshal([]byte(value), &entries); err != nil {
				t.Fatalf("value is not a JSON array: %v", err)
			}
			addrs := wantPolls(t, name)
			if len(entries) != len(addrs) {
				t.Fatalf("%d entries, want %d", len(entries), len(addrs))
			}
			for i, e := range entries {
				if e["Thumbprint"] != p.Server.Thumbprint || e["SubscriptionId"] != p.Tentacle.SubscriptionID || e["CommunicationStyle"] != float64(2) || e["Address"] != addrs[i] || e["Squid"] != nil {
					t.Errorf("entry %d = %v", i, e)
				}
				if !strings.HasPrefix(addrs[i], "https://") || strings.Count(addrs[i], ":") < 2 {
					t.Errorf("address %q lacks scheme or explicit port", addrs[i])
				}
			}
			if strings.ContainsAny(value, "\n ") {
				t.Errorf("value is not compact JSON: %q", value)
			}
		})
	}
}

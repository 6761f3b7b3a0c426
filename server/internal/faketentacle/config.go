package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Tentacle.config keys the fake reads and writes (TentacleConfiguration.cs).
const (
	keyHome                   = "Octopus.Home"
	keyCertificate            = "Tentacle.Certificate"
	keyThumbprint             = "Tentacle.CertificateThumbprint"
	keyNoListen               = "Tentacle.Services.NoListen"
	keyPort                   = "Tentacle.Services.PortNumber"
	keyListenIP               = "Tentacle.Services.ListenIP"
	keyAppDir                 = "Tentacle.Deployment.ApplicationDirectory"
	keyTrustedServers         = "Tentacle.Communication.TrustedOctopusServers"
	keyPollingConnectionCount = "Tentacle.Communication.PollingConnectionCount"
)

// emptyConfig is what create-instance writes to a new config file.
const emptyConfig = "<?xml version='1.0' encoding='UTF-8' ?><octopus-settings></octopus-settings>"

var (
	xmlTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	xmlAttrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// settings is one Tentacle.config file: keys match ignoring case, and a
// blank value reads as unset, as in XmlKeyValueStore.
type settings struct {
	path   string
	values map[string]setting // by lower-cased key
}

type setting struct{ key, value string }

func loadSettings(path string) (*settings, error) {
	s := &settings{path: path, values: map[string]setting{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	var doc struct {
		Sets []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:",chardata"`
		} `xml:"set"`
	}
	if err := xml.Unmarshal(bytes.TrimPrefix(data, []byte("\ufeff")), &doc); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for _, set := range doc.Sets {
		if strings.TrimSpace(set.Value) != "" {
			s.set(set.Key, set.Value)
		}
	}
	return s, nil
}

func (s *settings) get(key string) (string, bool) {
	v, ok := s.values[strings.ToLower(key)]
	return v.value, ok
}

func (s *settings) set(key, value string) {
	s.values[strings.ToLower(key)] = setting{key: key, value: value}
}

// save rewrites the whole file as Tentacle does: a UTF-8 BOM, the XML
// declaration, then one <set> per key in sorted order, indented by two.
func (s *settings) save() error {
	keys := make([]setting, 0, len(s.values))
	for _, v := range s.values {
		keys = append(keys, v)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].key < keys[j].key })
	var b strings.Builder
	b.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
	b.WriteString(`<octopus-settings xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` + "\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "  <set key=\"%s\">%s</set>\n", xmlAttrEscaper.Replace(k.key), xmlTextEscaper.Replace(k.value))
	}
	b.WriteString("</octopus-settings>")
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(s.path, []byte(b.String()), 0o600)
}

// Communication styles (Octopus.Client CommunicationStyle); the config
// stores the number.
const (
	stylePassive = 1 // TentaclePassive, listening
	styleActive  = 2 // TentacleActive, polling
)

// parseStyle reads a style name ignoring case, like Enum.TryParse.
func parseStyle(name string) (int, bool) {
	names := [...]string{"None", "TentaclePassive", "TentacleActive", "Ssh", "OfflineDrop", "AzureWebApp", "Ftp",
		"AzureCloudService", "AzureServiceFabricCluster", "Kubernetes", "StepPackage", "KubernetesTentacle"}
	for i, n := range names {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			return i, true
		}
	}
	return 0, false
}

// trustedServer is one entry of TrustedOctopusServers, fields in the order
// Tentacle writes them (OctopusServerConfiguration.cs).
type trustedServer struct {
	Thumbprint         string  `json:"Thumbprint"`
	CommunicationStyle int     `json:"CommunicationStyle"`
	Address            *string `json:"Address"`
	Squid              *string `json:"Squid"`
	SubscriptionID     *string `json:"SubscriptionId"`
}

// UnmarshalJSON accepts the style as a number or a name, as Tentacle reads it.
func (t *trustedServer) UnmarshalJSON(data []byte) error {
	type plain trustedServer
	var aux struct {
		plain
		CommunicationStyle json.RawMessage `json:"CommunicationStyle"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*t = trustedServer(aux.plain)
	if len(aux.CommunicationStyle) == 0 || string(aux.CommunicationStyle) == "null" {
		return nil
	}
	if err := json.Unmarshal(aux.CommunicationStyle, &t.CommunicationStyle); err == nil {
		return nil
	}
	var name string
	if err := json.Unmarshal(aux.CommunicationStyle, &name); err != nil {
		return err
	}
	style, ok := parseStyle(name)
	if !ok {
		return fmt.Errorf("unknown CommunicationStyle %q", name)
	}
	t.CommunicationStyle = style
	return nil
}

func (s *settings) trusted() ([]trustedServer, error) {
	v, ok := s.get(keyTrustedServers)
	if !ok {
		return nil, nil
	}
	var list []trustedServer
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		return nil, fmt.Errorf("read %s in %s: %w", keyTrustedServers, s.path, err)
	}
	return list, nil
}

// setTrusted stores the list as compact JSON, unescaped like Newtonsoft.
func (s *settings) setTrusted(list []trustedServer) error {
	if list == nil {
		list = []trustedServer{}
	}
	data, err := marshalJSON(list, "")
	if err != nil {
		return err
	}
	s.set(keyTrustedServers, data)
	return nil
}

// addOrUpdate replaces the entry with the same thumbprint (ignoring case)
// and address, or appends (TentacleConfiguration.AddOrUpdateTrustedOctopusServer).
func addOrUpdate(list []trustedServer, entry trustedServer) []trustedServer {
	for i, e := range list {
		if strings.EqualFold(e.Thumbprint, entry.Thumbprint) && sameAddress(e.Address, entry.Address) {
			list[i] = entry
			return list
		}
	}
	return append(list, entry)
}

func sameAddress(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	na, errA := normalizeAddress(*a)
	nb, errB := normalizeAddress(*b)
	if errA != nil || errB != nil {
		return strings.EqualFold(*a, *b)
	}
	return strings.EqualFold(na, nb)
}

// normalizeAddress is an absolute URL as System.Uri compares it: scheme and
// host in lower case, the scheme's default port made explicit, no trailing
// slash.
func normalizeAddress(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Host == "" || u.Hostname() == "" {
		return "", failf(exitException, "Invalid URI: The format of the URI could not be determined: %s", s)
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https", "wss":
			port = "443"
		case "http", "ws":
			port = "80"
		default:
			return "", failf(exitException, "Invalid URI: no port and no default port for %s", s)
		}
	}
	if _, err := strconv.Atoi(port); err != nil {
		return "", failf(exitException, "Invalid URI: Invalid port specified: %s", s)
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port) + strings.TrimSuffix(u.EscapedPath(), "/"), nil
}

// marshalJSON encodes like Newtonsoft.Json: no HTML escaping, optionally indented.
func marshalJSON(v any, indent string) (string, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

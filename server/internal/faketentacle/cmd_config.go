package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// newCertificate writes a random thumbprint and a placeholder certificate;
// --if-blank keeps an existing one.
func newCertificate(inv *invocation) error {
	if inv.opts.has("export-file") || inv.opts.has("export-pfx") {
		return failf(exitFailure, "faketentacle: exporting the certificate is not simulated")
	}
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	if tp, ok := s.get(keyThumbprint); ok && inv.opts.has("if-blank") {
		fmt.Fprintf(inv.stdout, "A certificate already exists, no new certificate will be generated. Thumbprint: %s\n", tp)
		return nil
	}
	var raw [20]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	tp := strings.ToUpper(hex.EncodeToString(raw[:]))
	s.set(keyThumbprint, tp)
	s.set(keyCertificate, base64.StdEncoding.EncodeToString([]byte("faketentacle certificate "+tp)))
	if err := s.save(); err != nil {
		return err
	}
	fmt.Fprintf(inv.stdout, "A new certificate has been generated and installed. Thumbprint:\n%s\n", tp)
	return nil
}

const noCertificate = "No certificate has been generated for this Tentacle. Please run the new-certificate command first."

// showThumbprint prints the bare thumbprint (no newline) or {"Thumbprint"}.
func showThumbprint(inv *invocation) error {
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	tp, ok := s.get(keyThumbprint)
	if !ok {
		return failf(exitFailure, noCertificate)
	}
	out := tp
	switch format := inv.opts.valueOr("format", "text"); strings.ToLower(format) {
	case "text":
	case "json":
		out = `{"Thumbprint":"` + tp + `"}`
	default:
		return failf(exitFailure, "The format '%s' is not supported. Try text or json.", format)
	}
	if path := inv.opts.value("export-file"); path != "" {
		return os.WriteFile(path, []byte(out), 0o644)
	}
	fmt.Fprint(inv.stdout, out)
	return nil
}

// configure applies --reset-trust, then --remove-trust, then --trust, then
// the settings, as ConfigureCommand does.
func configure(inv *invocation) error {
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	o := inv.opts
	if o.has("reset-trust") || o.has("remove-trust") || o.has("trust") {
		list, err := s.trusted()
		if err != nil {
			return err
		}
		if o.has("reset-trust") {
			fmt.Fprintln(inv.stdout, "Removing all trusted Octopus Servers...")
			list = nil
		}
		for _, tp := range o.list("remove-trust") {
			kept := list[:0]
			for _, e := range list {
				if !strings.EqualFold(e.Thumbprint, tp) {
					kept = append(kept, e)
				}
			}
			list = kept
		}
		for _, tp := range o.list("trust") {
			list = addOrUpdate(list, trustedServer{Thumbprint: strings.TrimSpace(tp), CommunicationStyle: stylePassive})
		}
		if err := s.setTrusted(list); err != nil {
			return err
		}
	}
	if o.has("home") {
		s.set(keyHome, o.value("home"))
	}
	if o.has("app") {
		s.set(keyAppDir, o.value("app"))
	}
	if o.has("port") {
		port, err := strconv.Atoi(o.value("port"))
		if err != nil {
			return failf(exitException, "Input string was not in a correct format: --port %q", o.value("port"))
		}
		s.set(keyPort, strconv.Itoa(port))
	}
	if o.has("noListen") {
		v, err := parseBool(o.value("noListen"))
		if err != nil {
			return err
		}
		s.set(keyNoListen, strconv.FormatBool(v))
	}
	if o.has("listenIpAddress") {
		s.set(keyListenIP, o.value("listenIpAddress"))
	}
	if o.has("pollingConnectionCount") {
		if err := setCount(s, o.value("pollingConnectionCount")); err != nil {
			return err
		}
	}
	if err := s.save(); err != nil {
		return err
	}
	fmt.Fprintln(inv.stdout, "These changes require a restart of the Tentacle.")
	return nil
}

// parseBool is .NET's bool.Parse: True or False in any case, nothing else.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, failf(exitException, "String '%s' was not recognized as a valid Boolean.", v)
}

func setCount(s *settings, v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return failf(exitFailure, "The polling connection count must be a whole number greater than 0, not '%s'.", v)
	}
	s.set(keyPollingConnectionCount, strconv.Itoa(n))
	return nil
}

func setPollingConnectionCount(inv *invocation) error {
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	if err := setCount(s, inv.opts.value("pollingConnectionCount")); err != nil {
		return err
	}
	return s.save()
}

// clearTrustedServers keeps only the entries whose address is in --keep
// (http:// read as https://), or none without --keep.
func clearTrustedServers(inv *invocation) error {
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	list, err := s.trusted()
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	if inv.opts.has("keep") {
		for _, a := range strings.Split(inv.opts.value("keep"), ",") {
			n, err := normalizeAddress(strings.Replace(a, "http://", "https://", 1))
			if err != nil {
				return err
			}
			keep[strings.ToLower(n)] = true
		}
	}
	var kept []trustedServer
	for _, e := range list {
		if e.Address == nil {
			// ClearTrustedServersCommand calls s.Address.ToString() on
			// every entry: a listening trust (no address) throws.
			return failf(exitException, "System.NullReferenceException: Object reference not set to an instance of an object.\n   at Octopus.Tentacle.Commands.ClearTrustedServersCommand.Start()")
		}
		if n, err := normalizeAddress(*e.Address); err == nil && keep[strings.ToLower(n)] {
			kept = append(kept, e)
		}
	}
	fmt.Fprintf(inv.stdout, "Kept %d of %d trusted Octopus Servers.\n", len(kept), len(list))
	if err := s.setTrusted(kept); err != nil {
		return err
	}
	return s.save()
}

// showConfiguration prints the settings as nested JSON, keys split on dots
// (JsonHierarchicalConsoleKeyValueStore), without the certificate itself.
//
// With --server and credentials it also looks the Tentacle up on the
// simulated server by its certificate thumbprint, among the machines and
// workers of --space, as ShowConfigurationCommand does: one match adds
// Tentacle.DisplayName and the machine's environments, roles or pools;
// none logs an error and still exits 0; more than one fails.
func showConfiguration(inv *invocation) error {
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	values := make([]setting, 0, len(s.values))
	for _, v := range s.values {
		values = append(values, v)
	}
	if inv.opts.has("server") {
		if err := checkCredentials(inv.opts); err != nil {
			return err
		}
		extra, err := inv.serverSide(s)
		if err != nil {
			return err
		}
		values = append(values, extra...)
	}
	root := map[string]any{}
	for _, v := range values {
		if strings.EqualFold(v.key, keyCertificate) {
			continue
		}
		node := root
		parts := strings.Split(v.key, ".")
		for _, p := range parts[:len(parts)-1] {
			child, ok := node[p].(map[string]any)
			if !ok {
				child = map[string]any{}
				node[p] = child
			}
			node = child
		}
		node[parts[len(parts)-1]] = jsonValue(v.value)
	}
	out, err := marshalJSON(root, "  ")
	if err != nil {
		return err
	}
	if path := inv.opts.value("file"); path != "" {
		return os.WriteFile(path, []byte(out), 0o644)
	}
	fmt.Fprintln(inv.stdout, out)
	return nil
}

// jsonValue turns a stored value back into JSON: arrays, objects, numbers
// and booleans as they are stored (keeping the field order), anything else
// as a string.
func jsonValue(v string) any {
	if json.Valid([]byte(v)) && !strings.HasPrefix(strings.TrimSpace(v), `"`) {
		return json.RawMessage(v)
	}
	return v
}

// serverSide is the part of show-configuration that asks the server.
func (inv *invocation) serverSide(s *settings) ([]setting, error) {
	thumbprint, ok := s.get(keyThumbprint)
	if !ok {
		return nil, failf(exitFailure, "No certificate has been generated for this Tentacle. Unable to display configuration.")
	}
	server, err := inv.serverThumbprint()
	if err != nil {
		return nil, err
	}
	srv, err := loadServer(inv.home)
	if err != nil {
		return nil, err
	}
	var found []machine
	for _, m := range srv.Machines {
		if m.Server == server && strings.EqualFold(m.Thumbprint, thumbprint) && strings.EqualFold(m.Space, inv.opts.value("space")) {
			found = append(found, m)
		}
	}
	switch len(found) {
	case 0:
		fmt.Fprintf(inv.stdout, "No machines or workers were found on the specified server with the thumbprint '%s'. Unable to retrieve server side configuration.\n", thumbprint)
		return nil, nil
	case 1:
	default:
		return nil, failf(exitFailure, "This Tentacle is registered multiple times with the server. Unable to display configuration.")
	}
	m := found[0]
	list := func(key string, v []string) setting {
		b, _ := json.Marshal(append([]string{}, v...))
		return setting{key: key, value: string(b)}
	}
	out := []setting{{key: "Tentacle.DisplayName", value: m.Name}}
	if m.Kind == "worker" {
		return append(out, list("Tentacle.WorkerPools", m.WorkerPools)), nil
	}
	return append(out, list("Tentacle.Environments", m.Environments), list("Tentacle.Roles", m.Roles)), nil
}

package main

import (
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// checkCredentials wants exactly one of an API key, a bearer token, or a
// username with a password (ApiEndpointOptions.Validate).
func checkCredentials(o options) error {
	given := func(name string) bool { return strings.TrimSpace(o.value(name)) != "" }
	kinds := 0
	if given("apiKey") {
		kinds++
	}
	if given("bearerToken") {
		kinds++
	}
	if given("username") || given("password") {
		if !given("username") || !given("password") {
			return failf(exitFailure, "Please specify both a username and a password, e.g., --username=me --password=secret")
		}
		kinds++
	}
	switch {
	case kinds == 0:
		return failf(exitFailure, "Please specify an API key, a bearer token, or a username and password for the Octopus Server, e.g., --apiKey=API-XXXXXXXXXXXXXXXX")
	case kinds > 1:
		return failf(exitFailure, "Please specify only one of an API key, a bearer token, or a username and password")
	}
	return nil
}

// serverURL is --server, which must be an absolute http or https URL.
func serverURL(o options) (*url.URL, error) {
	u, err := url.Parse(o.value("server"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, failf(exitFailure, "The Octopus Server URL '%s' is not an absolute http or https URL, e.g., --server=https://octopus.example.com", o.value("server"))
	}
	return u, nil
}

// pollingAddress builds the address a polling entry stores, as
// GetActiveTentacleAddress does: https://, the host of
// --server-comms-address (else of --server), and --server-comms-port, else
// the address's own port (its scheme's default when it has none), else 10943.
func pollingAddress(o options, server *url.URL) (string, error) {
	if o.has("server-web-socket") {
		if o.has("server-comms-address") {
			return "", failf(exitFailure, "Use either --server-comms-address or --server-web-socket, not both")
		}
		return "", failf(exitException, "Websockets is only supported on Windows Server 2012 and later")
	}
	port := ""
	if o.has("server-comms-port") {
		n, err := strconv.Atoi(o.value("server-comms-port"))
		if err != nil {
			return "", failf(exitException, "Input string was not in a correct format: --server-comms-port %q", o.value("server-comms-port"))
		}
		port = strconv.Itoa(n)
	}
	host := server.Hostname()
	if o.has("server-comms-address") {
		n, err := normalizeAddress(o.value("server-comms-address"))
		if err != nil {
			return "", err
		}
		u, _ := url.Parse(n)
		host = u.Hostname()
		if port == "" {
			port = u.Port()
		}
	}
	if port == "" {
		port = "10943"
	}
	return "https://" + net.JoinHostPort(strings.ToLower(host), port), nil
}

// serverThumbprint is what the fake API reports for certificate-global.
func (inv *invocation) serverThumbprint() (string, error) {
	tp := inv.getenv("FAKE_TENTACLE_SERVER_THUMBPRINT")
	if tp == "" {
		return "", failf(exitFailure, "faketentacle: set FAKE_TENTACLE_SERVER_THUMBPRINT to the thumbprint the Octopus Server API should report")
	}
	return tp, nil
}

// newSubscriptionID is poll:// + 20 characters of Tentacle's alphabet + /, lower case.
func newSubscriptionID() (string, error) {
	const alphabet = "abcdefghjklmnpqrstuvwxyz23456789"
	var raw [20]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	for i, b := range raw {
		raw[i] = alphabet[int(b)%len(alphabet)]
	}
	return "poll://" + string(raw[:]) + "/", nil
}

// register is register-with and register-worker: the machine is created
// (or, with --force, updated) on the simulated server, then its trusted
// entry is added or replaced in the config.
func register(inv *invocation) error {
	o := inv.opts
	kind := "target"
	if inv.command == "register-worker" {
		kind = "worker"
	}
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	if err := checkCredentials(o); err != nil {
		return err
	}
	server, err := serverURL(o)
	if err != nil {
		return err
	}
	style, ok := parseStyle(o.valueOr("comms-style", "TentaclePassive"))
	if !ok || (style != stylePassive && style != styleActive) {
		return failf(exitFailure, "Please specify a valid communications style, e.g. --comms-style=TentaclePassive")
	}
	tentacleThumbprint, ok := s.get(keyThumbprint)
	if !ok {
		return failf(exitFailure, noCertificate)
	}
	if style == styleActive && o.has("proxy") {
		return failf(exitFailure, "Option --proxy can only be used with --comms-style=TentaclePassive. To set a proxy for a polling Tentacle use the polling-proxy command first and then register the Tentacle with register-with.")
	}
	if p := o.value("tenanted-deployment-participation"); p != "" && !oneOf(p, "Untenanted", "TenantedOrUntenanted", "Tenanted") {
		return failf(exitFailure, "'%s' is not a valid tenanted deployment participation: use Untenanted, TenantedOrUntenanted or Tenanted", p)
	}
	thumbprint, err := inv.serverThumbprint()
	if err != nil {
		return err
	}
	list, err := s.trusted()
	if err != nil {
		return err
	}
	entry := trustedServer{Thumbprint: thumbprint, CommunicationStyle: style}
	if style == styleActive {
		address, err := pollingAddress(o, server)
		if err != nil {
			return err
		}
		entry.Address = &address
		id, err := subscriptionID(o, list, &address)
		if err != nil {
			return err
		}
		entry.SubscriptionID = &id
		if _, set := s.get(keyPollingConnectionCount); !set {
			count := 1
			if kind == "worker" {
				count = max(5, inv.cpus)
			}
			s.set(keyPollingConnectionCount, strconv.Itoa(count))
		}
	}
	m := machine{
		Server: thumbprint, Kind: kind, Space: o.value("space"), Name: o.valueOr("name", inv.hostname),
		Thumbprint: tentacleThumbprint, CommunicationStyle: []string{"", "TentaclePassive", "TentacleActive"}[style],
		Environments: o.list("environment"), Roles: o.list("role"), Tenants: o.list("tenant"), TenantTags: o.list("tenanttag"),
		Participation: o.value("tenanted-deployment-participation"), WorkerPools: o.list("workerpool"), Policy: o.value("policy"),
	}
	if entry.SubscriptionID != nil {
		m.SubscriptionID = *entry.SubscriptionID
	}
	srv, err := loadServer(inv.home)
	if err != nil {
		return err
	}
	if i := srv.find(thumbprint, kind, m.Space, m.Name); i < 0 {
		srv.Machines = append(srv.Machines, m)
	} else if !o.has("force") {
		noun := map[string]string{"target": "machine", "worker": "worker"}[kind]
		return failf(exitFailure, "A %s named '%s' already exists. Use the 'force' parameter if you intended to update the existing %s.", noun, m.Name, noun)
	} else {
		srv.Machines[i] = m
	}
	if err := srv.save(inv.home); err != nil {
		return err
	}
	if err := s.setTrusted(addOrUpdate(list, entry)); err != nil {
		return err
	}
	if err := s.save(); err != nil {
		return err
	}
	fmt.Fprintln(inv.stdout, "Machine registered successfully")
	fmt.Fprintln(inv.stdout, "These changes require a restart of the Tentacle.")
	return nil
}

// subscriptionID reuses the id of a polling entry with the same address,
// else takes --server-subscription-id, else generates one.
func subscriptionID(o options, list []trustedServer, address *string) (string, error) {
	for _, e := range list {
		if e.CommunicationStyle == styleActive && e.SubscriptionID != nil && sameAddress(e.Address, address) {
			return *e.SubscriptionID, nil
		}
	}
	if !o.has("server-subscription-id") {
		return newSubscriptionID()
	}
	id := o.value("server-subscription-id")
	if u, err := url.Parse(id); err != nil || u.Scheme != "poll" || u.Host == "" {
		return "", failf(exitFailure, "The subscription id '%s' must be a poll:// URI, e.g., poll://abcdefghjkmnpqrstuvw/", id)
	}
	return id, nil
}

func oneOf(v string, choices ...string) bool {
	for _, c := range choices {
		if strings.EqualFold(strings.TrimSpace(v), c) {
			return true
		}
	}
	return false
}

// pollServer adds an entry for one more node under the subscription id the
// Tentacle already polls with; it changes nothing on the server.
func pollServer(inv *invocation) error {
	o := inv.opts
	s, err := inv.loadConfig()
	if err != nil {
		return err
	}
	list, err := s.trusted()
	if err != nil {
		return err
	}
	var entry trustedServer
	if o.has("reuse-server-thumbprint") {
		if !o.has("server-comms-address") && !o.has("server-web-socket") {
			return failf(exitException, "System.InvalidOperationException: --server-comms-address or --server-web-socket is required with --reuse-server-thumbprint")
		}
		if len(list) == 0 {
			return failf(exitException, "System.InvalidOperationException: Sequence contains no elements (no trusted Octopus Server to copy)")
		}
		first := list[0]
		address, err := pollingAddress(o, &url.URL{})
		if err != nil {
			return err
		}
		entry = trustedServer{Thumbprint: first.Thumbprint, CommunicationStyle: first.CommunicationStyle, Address: &address, SubscriptionID: first.SubscriptionID}
	} else {
		if !o.has("server") {
			return failf(exitFailure, "Please specify the Octopus Server, e.g., --server=https://octopus.example.com")
		}
		server, err := serverURL(o)
		if err != nil {
			return err
		}
		if err := checkCredentials(o); err != nil {
			return err
		}
		address, err := pollingAddress(o, server)
		if err != nil {
			return err
		}
		thumbprint, err := inv.serverThumbprint()
		if err != nil {
			return err
		}
		trusted, polling := false, (*trustedServer)(nil)
		for i, e := range list {
			if e.Thumbprint == thumbprint {
				trusted = true
				if polling == nil && e.CommunicationStyle == styleActive && e.SubscriptionID != nil {
					polling = &list[i]
				}
			}
		}
		if !trusted {
			return failf(exitFailure, "The Octopus Server with thumbprint %s is not yet trusted by this Tentacle. Register the Tentacle first, or trust it with: configure --trust=%s", thumbprint, thumbprint)
		}
		if polling == nil {
			return failf(exitFailure, "The Octopus Server with thumbprint %s has not been configured on this Tentacle as a polling Tentacle. Register it with register-with --comms-style=TentacleActive first.", thumbprint)
		}
		entry = trustedServer{Thumbprint: thumbprint, CommunicationStyle: styleActive, Address: &address, SubscriptionID: polling.SubscriptionID}
	}
	if err := s.setTrusted(addOrUpdate(list, entry)); err != nil {
		return err
	}
	if err := s.save(); err != nil {
		return err
	}
	fmt.Fprintln(inv.stdout, "Polling endpoint configured")
	fmt.Fprintln(inv.stdout, "These changes require a restart of the Tentacle.")
	return nil
}

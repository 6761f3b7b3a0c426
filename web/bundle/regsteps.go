package bundle

import (
	"strconv"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// Var names a value of a Tentacle command that is known only when the
// registration runs; register.sh and register.ps1 hold it in a variable,
// the registration driver fills it in.
type Var int

// The run-time values of the registration's commands.
const (
	Literal         Var = iota // not a variable: Arg.Text as it is
	VarInstance                // the instance name (tentacle.instance)
	VarServer                  // the web address (server.url)
	VarAPIKey                  // the Octopus API key, never written down
	VarSubscription            // the subscription id (tentacle.subscriptionId)
	VarConfig                  // the config file of a new instance
	VarAppDir                  // the application folder
	VarKeep                    // the addresses clear-trusted-servers keeps, comma-separated
	VarAddress                 // the address of the poll-server in progress
	VarSpace                   // the space name (server.space), when the plan names one
	VarName                    // the machine name, in the script for any machine (its host name by default)
)

// Arg is one argument of a Tentacle command line.
type Arg struct {
	Text string // the literal text, when Var is Literal
	Var  Var
}

// Command is one Tentacle command of the registration: its step name and
// its arguments in the groups a script writes one line each.
type Command struct {
	Step   string
	Groups [][]Arg
}

// Args is the command's arguments in order.
func (c Command) Args() []Arg {
	var out []Arg
	for _, g := range c.Groups {
		out = append(out, g...)
	}
	return out
}

// Argv is the command line with every variable taken from vals.
func (c Command) Argv(vals map[Var]string) []string {
	args := c.Args()
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.Text
		if a.Var != Literal {
			out[i] = vals[a.Var]
		}
	}
	return out
}

// Registration is the one description of the Tentacle commands that
// connect a plan's Tentacle, which register.sh and register.ps1 render and
// the registration driver (and its dry run) executes, so the three cannot
// drift apart. The order and the decisions between the commands are the
// same everywhere:
//
//  1. list-instances; create-instance unless the instance exists;
//  2. new-certificate --if-blank; configure --noListen True; the polling
//     connection count when the plan sets one;
//  3. show-configuration, with the server and the key, which lists the
//     trusted servers and whether Octopus knows this Tentacle's certificate;
//  4. register-with (or register-worker) at the first address unless
//     registered already (an entry with the plan's thumbprint, polling, and
//     the plan's subscription id) and known to Octopus; registered but
//     unknown to Octopus means register again with --force; an entry with
//     another subscription id stops the run;
//  5. poll-server for every plan address not yet trusted, the first one
//     included;
//  6. only once every plan address is trusted, and when asked:
//     clear-trusted-servers --keep with the plan's addresses and every
//     address of another server;
//  7. service --install --stop --start, which installs, or reinstalls, and
//     (re)starts the service on both Linux and Windows (what Tentacle Manager
//     runs); never service --restart, which does nothing for a service that
//     is not installed, or on Windows not running, and still exits 0.
type Registration struct {
	p plan.Plan
	// any is the registration of any machine of a fleet (register-any):
	// its name comes at run time and no subscription id is passed, so
	// Tentacle makes one on the first registration and poll-server reuses it.
	any bool
}

// RegistrationOf describes the registration of p's Tentacle.
func RegistrationOf(p plan.Plan) Registration { return Registration{p: p} }

// RegistrationOfAny describes the registration of any machine like p's
// Tentacle: the name is VarName and the subscription id is Tentacle's own.
func RegistrationOfAny(p plan.Plan) Registration { return Registration{p: p, any: true} }

func lits(texts ...string) []Arg {
	out := make([]Arg, len(texts))
	for i, t := range texts {
		out[i] = Arg{Text: t}
	}
	return out
}

func (r Registration) instance(cmd string) []Arg {
	return []Arg{{Text: cmd}, {Text: "--instance"}, {Var: VarInstance}}
}

func credentials() []Arg {
	return []Arg{{Text: "--server"}, {Var: VarServer}, {Text: "--apiKey"}, {Var: VarAPIKey}}
}

// ListInstances lists the instances as JSON.
func (r Registration) ListInstances() Command {
	return Command{Step: "list-instances", Groups: [][]Arg{lits("list-instances", "--format", "json")}}
}

// CreateInstance creates the instance with its config file.
func (r Registration) CreateInstance() Command {
	return Command{Step: "create-instance", Groups: [][]Arg{append(r.instance("create-instance"), Arg{Text: "--config"}, Arg{Var: VarConfig})}}
}

// NewCertificate makes the Tentacle's certificate unless it has one.
func (r Registration) NewCertificate() Command {
	return Command{Step: "new-certificate", Groups: [][]Arg{append(r.instance("new-certificate"), Arg{Text: "--if-blank"})}}
}

// Configure turns listening off (--noListen takes a value) and, with
// appDir, sets the application folder.
func (r Registration) Configure(appDir bool) Command {
	g := append(r.instance("configure"), lits("--noListen", "True")...)
	if appDir {
		g = append(g, Arg{Text: "--app"}, Arg{Var: VarAppDir})
	}
	return Command{Step: "configure", Groups: [][]Arg{g}}
}

// AppDir sets a new instance's application folder; a re-run leaves an
// existing instance's folder as it is.
func (r Registration) AppDir() Command {
	return Command{Step: "configure --app", Groups: [][]Arg{append(r.instance("configure"), Arg{Text: "--app"}, Arg{Var: VarAppDir})}}
}

// PollingConnections sets the plan's polling connection count; ok is false
// when the plan leaves it to Tentacle.
func (r Registration) PollingConnections() (c Command, ok bool) {
	n := r.p.Tentacle.PollingConnectionCount
	if n <= 0 {
		return Command{}, false
	}
	g := append(r.instance("set-polling-connection-count"), lits("--pollingConnectionCount", strconv.Itoa(n))...)
	return Command{Step: "set-polling-connection-count", Groups: [][]Arg{g}}, true
}

// ShowConfiguration prints the settings, the trusted servers among them;
// withServer also asks Octopus for the machine with this Tentacle's
// certificate in the plan's space (Tentacle.DisplayName when there is one).
func (r Registration) ShowConfiguration(withServer bool) Command {
	groups := [][]Arg{r.instance("show-configuration")}
	if withServer {
		g := credentials()
		if r.p.Server.Space != "" {
			g = append(g, Arg{Text: "--space"}, Arg{Var: VarSpace})
		}
		groups = append(groups, g)
	}
	return Command{Step: "show-configuration", Groups: groups}
}

// Register registers the machine at the first address under the plan's
// subscription id; the caller adds --force when it decides to.
func (r Registration) Register(first string) Command {
	cmd := regCommand(r.p.Tentacle)
	groups := [][]Arg{
		r.instance(cmd),
		credentials(),
		lits("--comms-style", "TentacleActive", "--server-comms-address", first),
	}
	if !r.any {
		groups = append(groups, []Arg{{Text: "--server-subscription-id"}, {Var: VarSubscription}})
	}
	for _, g := range regMachineOptions(r.p) {
		var args []Arg
		for _, o := range g {
			if o.name == "--name" && r.any {
				args = append(args, Arg{Text: o.name}, Arg{Var: VarName})
				continue
			}
			args = append(args, Arg{Text: o.name}, Arg{Text: o.value})
		}
		groups = append(groups, args)
	}
	return Command{Step: cmd + " " + first, Groups: groups}
}

// PollServer adds the address held in VarAddress under the subscription id
// the Tentacle already has.
func (r Registration) PollServer() Command {
	return Command{Step: "poll-server", Groups: [][]Arg{
		r.instance("poll-server"),
		credentials(),
		{{Text: "--server-comms-address"}, {Var: VarAddress}},
	}}
}

// ClearTrustedServers keeps only the addresses in VarKeep
// (Tentacle 8.1.1713 or later).
func (r Registration) ClearTrustedServers() Command {
	return Command{Step: "clear-trusted-servers", Groups: [][]Arg{
		append(r.instance("clear-trusted-servers"), Arg{Text: "--keep"}, Arg{Var: VarKeep}),
	}}
}

// Service installs (or reinstalls) the service, stops it if it runs and
// starts it, so it reads the trusted servers afresh.
func (r Registration) Service() Command {
	return Command{Step: "service", Groups: [][]Arg{append(r.instance("service"), lits("--install", "--stop", "--start")...)}}
}

// ShowThumbprint prints the Tentacle's certificate thumbprint as JSON.
func (r Registration) ShowThumbprint() Command {
	return Command{Step: "show-thumbprint", Groups: [][]Arg{append(r.instance("show-thumbprint"), lits("--format", "json")...)}}
}

package plan

// Octopus documentation pages the wizard's pages and the bundle's README
// link beside each concept, in one place so a moved page is one edit.
// Every address was checked against Octopus's published docs (the pages
// themselves, or the OctopusDeploy/docs source file behind the path);
// TestDocLinks keeps them https on octopus.com/docs.
const (
	// DocPollingHA is "Polling Tentacles with HA": unique address and
	// unique port, and poll-server for every node.
	DocPollingHA = "https://octopus.com/docs/administration/high-availability/polling-tentacles-with-ha"
	// DocMultiNode is "Multi-node support for Polling Tentacles" (Redis,
	// one address behind a TCP balancer).
	DocMultiNode = "https://octopus.com/docs/administration/high-availability/polling-tentacles-with-ha/multi-node-polling-tentacles"
	// DocPollServer is the Tentacle poll-server command.
	DocPollServer = "https://octopus.com/docs/administration/tentacle.exe-command-line/poll-server"
	// DocRegisterWith is the Tentacle register-with command (deployment
	// targets).
	DocRegisterWith = "https://octopus.com/docs/octopus-rest-api/tentacle.exe-command-line/register-with"
	// DocRegisterWorker is the Tentacle register-worker command.
	DocRegisterWorker = "https://octopus.com/docs/octopus-rest-api/tentacle.exe-command-line/register-worker"
	// DocAgentHA is "Kubernetes agent HA Cluster Support": one address per
	// node in agent.serverCommsAddresses, helm upgrade --reuse-values when
	// nodes change. The HA page above links it at this address.
	DocAgentHA = "https://octopus.com/docs/infrastructure/deployment-targets/kubernetes/kubernetes-agent/ha-cluster-support"
	// DocKubernetesWorker is the Kubernetes worker (the agent's chart
	// registering a worker).
	DocKubernetesWorker = "https://octopus.com/docs/infrastructure/workers/kubernetes-worker"
	// DocAgentInstall is the Kubernetes agent's automated installation
	// (the chart reference, a pinned major --version).
	DocAgentInstall = "https://octopus.com/docs/kubernetes/targets/kubernetes-agent/automated-installation"
	// DocTentacleLinux and DocTentacleWindows are how to install Tentacle.
	DocTentacleLinux   = "https://octopus.com/docs/infrastructure/deployment-targets/tentacle/linux"
	DocTentacleWindows = "https://octopus.com/docs/infrastructure/deployment-targets/tentacle/windows"
	// DocPollingMode is "Tentacle communication modes" (polling: the
	// Tentacle connects to the server's port 10943).
	DocPollingMode = "https://octopus.com/docs/infrastructure/deployment-targets/tentacle/tentacle-communication"
	// DocPolling443 is "Polling Tentacles over port 443", Octopus Cloud's
	// https://polling.<instance>.octopus.app.
	DocPolling443 = "https://octopus.com/docs/infrastructure/deployment-targets/tentacle/polling-tentacles-over-port-443"
	// DocAPIKey is how to create an API key.
	DocAPIKey = "https://octopus.com/docs/api/authentication/create-an-api-key"
	// DocPermissions lists the permissions of Octopus's built-in roles
	// (Environment Manager holds MachineCreate, MachineEdit, WorkerEdit,
	// EnvironmentView, MachineView, MachinePolicyView, WorkerView).
	DocPermissions = "https://octopus.com/docs/security/users-and-teams/default-permissions"
)

// DocLink is one documentation link: the page's address and the words a
// link to it shows.
type DocLink struct {
	URL, Title string
}

// DocLinks lists every documentation address the wizard uses, in the
// order the README's "Octopus documentation" section names them.
var DocLinks = []DocLink{
	{DocPollingHA, "Polling Tentacles with HA"},
	{DocMultiNode, "Multi-node support for Polling Tentacles"},
	{DocPollServer, "Tentacle poll-server"},
	{DocRegisterWith, "Tentacle register-with"},
	{DocRegisterWorker, "Tentacle register-worker"},
	{DocAgentHA, "Kubernetes agent HA cluster support"},
	{DocKubernetesWorker, "Kubernetes worker"},
	{DocAgentInstall, "Kubernetes agent automated installation"},
	{DocTentacleLinux, "Install Tentacle on Linux"},
	{DocTentacleWindows, "Install Tentacle on Windows"},
	{DocPollingMode, "Tentacle communication modes"},
	{DocPolling443, "Polling Tentacles over port 443 (Octopus Cloud)"},
	{DocAPIKey, "Create an API key"},
	{DocPermissions, "Default permissions of the built-in user roles"},
}

// DocTitle is the title DocLinks gives url ("Octopus docs" for another).
func DocTitle(url string) string {
	for _, d := range DocLinks {
		if d.URL == url {
			return d.Title
		}
	}
	return "Octopus docs"
}

// TopologyDoc is the Octopus page that describes topology t.
func TopologyDoc(t Topology) string {
	if t == MultiNode {
		return DocMultiNode
	}
	return DocPollingHA
}

// RegisterDoc is the Octopus page of the command or chart that registers
// a kind.
func (k TargetKind) RegisterDoc() string {
	switch {
	case k.Helm && k.Takes("tentacle.workerPools"):
		return DocKubernetesWorker
	case k.Helm:
		return DocAgentHA
	case k.RegisterCommand == "register-worker":
		return DocRegisterWorker
	}
	return DocRegisterWith
}

// TentacleInstallDoc is how to install Tentacle on os.
func TentacleInstallDoc(os string) string {
	if os == Windows {
		return DocTentacleWindows
	}
	return DocTentacleLinux
}

package app

import (
	"cmp"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// outcome is where a wizard post leads and what the page says about it.
type outcome struct {
	step       int
	showErrors bool // the step's errors are shown beside its fields
	focus      string
	notice     string
	alert      string
	shareURL   string
	status     int
}

// navigate applies a post's action (a button of the node table, import,
// share) or moves between steps. Moving forward passes only steps without
// errors: it stops on the first step with one and shows them. Going back
// is always allowed; warnings never block.
func (a *App) navigate(c echo.Context, in *wizardInput) (outcome, error) {
	out := outcome{step: in.step, status: http.StatusOK, alert: in.alert}
	p := &in.plan
	op, idx := parseOp(in.ctl.Op)
	n := len(p.Nodes)
	if in.step == stepOf("topology") && p.Topology == plan.UniquePort && unsetPorts(p.Nodes) {
		// Unique ports are the point of this topology: number them.
		for i := range p.Nodes {
			p.Nodes[i].Port = plan.DefaultPort + i
		}
	}
	switch {
	case op == "add-node":
		if n >= plan.MaxNodes {
			out.alert = "A plan can have at most " + strconv.Itoa(plan.MaxNodes) + " nodes."
			break
		}
		node := plan.Node{}
		if p.Topology == plan.UniquePort {
			node.Port = nextPort(p.Nodes)
			if p.ListenMode() == plan.ListenKeep {
				node.ListenPort = plan.DefaultPort
			}
		}
		p.Nodes = append(p.Nodes, node)
		// The address is the one a node needs (its name is optional).
		out.focus = templates.ID(templates.NodeKey(n, "address"))
	case op == "remove-node" && idx < n:
		p.Nodes = append(p.Nodes[:idx], p.Nodes[idx+1:]...)
		in.forgetNodes()
		out.focus = "add-node"
		if len(p.Nodes) > 0 {
			out.focus = templates.NodeButtonID("remove", min(idx, len(p.Nodes)-1))
		}
	case op == "up-node" && idx > 0 && idx < n:
		p.Nodes[idx-1], p.Nodes[idx] = p.Nodes[idx], p.Nodes[idx-1]
		in.forgetNodes()
		out.focus = templates.NodeButtonID("up", idx-1)
		if idx-1 == 0 {
			out.focus = templates.NodeButtonID("down", 0)
		}
	case op == "down-node" && idx+1 < n:
		p.Nodes[idx], p.Nodes[idx+1] = p.Nodes[idx+1], p.Nodes[idx]
		in.forgetNodes()
		out.focus = templates.NodeButtonID("down", idx+1)
		if idx+1 == n-1 {
			out.focus = templates.NodeButtonID("up", idx+1)
		}
	case op == templates.UseUniquePortOp:
		useUniquePort(p)
		in.forgetNodes()
		delete(in.raw, "server.version")
		out.focus = "step-title"
		out.notice = "Switched to unique port: every node keeps its address and listens where it did; each has its own port on the balancer. Check the ports, then go on."
	case strings.HasPrefix(op, presetOp):
		if err := a.usePreset(in, &out, strings.TrimPrefix(op, presetOp)); err != nil {
			return out, err
		}
	case op == "fill-ports":
		for i := range p.Nodes {
			p.Nodes[i].Port = plan.DefaultPort + i
		}
		in.forgetNodes()
		out.focus = "fill-ports"
	case op == "new-id":
		if err := a.renewID(in); err != nil {
			return out, err
		}
		delete(in.raw, "tentacle.subscriptionId")
		out.focus = templates.ID("tentacle.subscriptionId")
	case op == "use-choices":
		n := useChoices(p, in.use)
		for field := range in.use {
			delete(in.raw, field)
		}
		out.step = stepOf("tentacle.environments")
		out.focus = templates.ID("tentacle.environments")
		if n == 0 {
			out.notice = "No names were ticked; tick the ones this Tentacle should use, then press the button again."
			out.step = in.step
		} else {
			out.notice = "Added " + strconv.Itoa(n) + " name(s) from Octopus to the plan; check them here."
		}
	case op == opFleetUpload || op == opFleetRemove:
		if err := a.fleetOp(c, in, &out, op); err != nil {
			return out, err
		}
	case op == opChangeFrom || op == opChangeClear:
		if err := a.changeOp(c, in, &out, op); err != nil {
			return out, err
		}
	case op == "share":
		link, err := shareURL(c, *p)
		if err != nil {
			return out, err
		}
		out.shareURL = link
		out.focus = "share-url"
	case op == "import":
		if err := a.importPlan(c, in, &out); err != nil {
			return out, err
		}
	case op == "load":
		if in.alert == "" {
			out.notice = "Opened the plan from the share link. " + machineOnly(*p)
			land(in, &out)
		}
	case op == "" && in.ctl.Go != "":
		if len(in.shape) > 0 {
			out.showErrors, out.focus, out.status = true, "error-summary", http.StatusUnprocessableEntity
			break
		}
		to := number(in.ctl.Go)
		out.step, out.focus = to, "step-title"
		probs := p.Validate()
		for s := in.step; s < to; s++ {
			if len(errorsOn(probs, s)) > 0 {
				out.step, out.showErrors, out.focus, out.status = s, true, "error-summary", http.StatusUnprocessableEntity
				break
			}
		}
	case op == "":
		// A tab of the preview, or a post with no button: stay.
	default:
		return out, badRequest("The wizard does not know the action "+strconv.Quote(in.ctl.Op)+".", nil)
	}
	return out, nil
}

// land puts a plan that was just loaded on its first step with errors,
// showing them, or on the review step.
func land(in *wizardInput, out *outcome) {
	probs := in.plan.Validate()
	out.step, out.focus = reviewStep(), "step-title"
	for s := firstStep; s < reviewStep(); s++ {
		if len(errorsOn(probs, s)) > 0 {
			out.step, out.showErrors, out.focus = s, true, "error-summary"
			return
		}
	}
}

// importPlan loads the plan.json the user picked (op "import").
func (a *App) importPlan(c echo.Context, in *wizardInput, out *outcome) error {
	out.focus = "import-file"
	form := c.Request().MultipartForm
	if form == nil || len(form.File["planfile"]) == 0 || form.File["planfile"][0].Size == 0 {
		out.alert = "Choose a plan.json file to import first."
		return nil
	}
	fh := form.File["planfile"][0]
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, plan.MaxPlanBytes+1))
	if err != nil {
		return err
	}
	p, probs := plan.Decode(data)
	if probs.HasErrors() {
		out.alert = "Could not import " + fh.Filename + ": " + problemText(probs) +
			" Import a plan.json exported by this wizard or taken from a bundle."
		return nil
	}
	if p.Tentacle.SubscriptionID == "" {
		if p.Tentacle.SubscriptionID, err = plan.NewSubscriptionID(a.random); err != nil {
			return err
		}
	}
	if err := a.fleetIDs(p.Fleet); err != nil {
		return err
	}
	in.plan, in.shape, in.raw, in.ids = p, nil, nil, boundID(p)
	out.notice = "Imported " + fh.Filename + ". " + machineOnly(p)
	land(in, out)
	return nil
}

// forgetNodes drops typed node values once rows move: they belonged to
// the old row order.
func (in *wizardInput) forgetNodes() {
	for k := range in.raw {
		if strings.HasPrefix(k, "nodes[") {
			delete(in.raw, k)
		}
	}
	kept := in.shape[:0]
	for _, pr := range in.shape {
		if !strings.HasPrefix(pr.Field, "nodes[") {
			kept = append(kept, pr)
		}
	}
	in.shape = kept
}

// parseOp splits "remove-node-3" into ("remove-node", 3).
func parseOp(op string) (string, int) {
	for _, name := range []string{"remove-node-", "up-node-", "down-node-"} {
		if rest, ok := strings.CutPrefix(op, name); ok {
			if i, err := strconv.Atoi(rest); err == nil && i >= 0 {
				return strings.TrimSuffix(name, "-"), i
			}
			return op, 0
		}
	}
	return op, 0
}

// useUniquePort turns a plan (multi-node on a server too old for it)
// into unique-port with the same nodes and balancer: each node keeps
// listening on the port it listens on now (its listenPort), and gets its
// own balancer port from 10943 up, as Fill ports numbers them.
func useUniquePort(p *plan.Plan) {
	for i := range p.Nodes {
		p.Nodes[i].ListenPort = cmp.Or(p.Nodes[i].TargetPort(), plan.DefaultPort)
		p.Nodes[i].Port = plan.DefaultPort + i
	}
	p.Topology = plan.UniquePort
}

// nextPort is the first port from 10943 up that no node uses.
func nextPort(nodes []plan.Node) int {
	used := map[int]bool{}
	for _, n := range nodes {
		used[cmp.Or(n.Port, plan.DefaultPort)] = true
	}
	port := plan.DefaultPort
	for used[port] {
		port++
	}
	return port
}

// unsetPorts reports whether no node has a port yet.
func unsetPorts(nodes []plan.Node) bool {
	for _, n := range nodes {
		if n.Port != 0 {
			return false
		}
	}
	return true
}

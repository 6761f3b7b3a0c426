package bundle

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteAWSNLB writes loadbalancer/aws-nlb.tf: Terraform for an AWS Network
// Load Balancer with a TCP listener and target group per polling port.
// Octopus documents the NLB for polling (an Application Load Balancer
// speaks HTTP and breaks it); listeners stay TCP, never TLS, because
// Tentacle checks the Octopus Server's certificate end to end.
func WriteAWSNLB(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	lbHeader(&b, "#", p,
		"AWS Network Load Balancer (TCP pass-through) for Octopus polling Tentacles.",
		"Apply: terraform init, then terraform apply -var 'vpc_id=vpc-...' -var 'subnet_ids=[\"subnet-...\"]'.",
		"Check: terraform fmt -check aws-nlb.tf and terraform validate (after terraform init).",
		"The NLB drops TCP connections idle for 350 seconds; an idle polling connection still",
		"carries the server's periodic empty requests (newer AWS providers can raise the limit",
		"with tcp_idle_timeout_seconds on each listener).")
	if plan.IsIP(p.LoadBalancer.Address) {
		lbComment(&b, "#", "Tentacles poll "+p.LoadBalancer.Address+": give the NLB that address with subnet_mapping (an Elastic IP's")
		lbComment(&b, "#", "allocation_id, or private_ipv4_address when internal) in place of subnets.")
	} else {
		lbComment(&b, "#", "Then point "+p.LoadBalancer.Address+" at the dns_name output (CNAME or alias record).")
	}
	instances := false
	for _, r := range p.Routes() {
		instances = instances || awsTargetType(r) == "instance"
	}
	b.WriteString(`
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
`)
	hclBlock(&b, "", `variable "vpc_id"`, [][2]string{
		{"description", `"VPC of the load balancer and its target groups."`},
		{"type", "string"}}, "")
	hclBlock(&b, "", `variable "subnet_ids"`, [][2]string{
		{"description", `"Subnets of the load balancer, one per availability zone."`},
		{"type", "list(string)"}}, "")
	hclBlock(&b, "", `variable "internal"`, [][2]string{
		{"description", `"true when Tentacles reach the balancer inside the VPC only."`},
		{"type", "bool"},
		{"default", "false"}}, "")
	hclBlock(&b, "", `variable "name"`, [][2]string{
		{"description", `"Name of the load balancer and prefix of its target groups."`},
		{"type", "string"},
		{"default", `"octopus-polling"`}},
		"\n  validation {\n    condition     = length(var.name) <= 26\n    error_message = \"At most 26 characters: target group names add a port and stay within 32.\"\n  }\n")
	if instances {
		hclBlock(&b, "A Network Load Balancer targets IP addresses or EC2 instances, not DNS names:\n"+
			"target groups of nodes given by name register the nodes' instances.", `variable "instance_ids"`, [][2]string{
			{"description", `"EC2 instance id of each node, by node name."`},
			{"type", "map(string)"}}, "")
	}
	lb := [][2]string{
		{"name", "var.name"},
		{"load_balancer_type", `"network"`},
		{"internal", "var.internal"},
		{"subnets", "var.subnet_ids"},
		{"enable_cross_zone_load_balancing", "true"}}
	if lbAnyIPv6(p) {
		lb = append(lb, [2]string{"ip_address_type", `"dualstack"`})
	}
	hclBlock(&b, "", `resource "aws_lb" "octopus_polling"`, lb, "")

	ids := lbIDs(p, '_')
	for _, r := range p.Routes() {
		label := ids[r.Backends[0].Node]
		if len(r.Backends) > 1 {
			label = "octopus_cluster"
		}
		tg := [][2]string{
			{"name", `"${var.name}-` + strconv.Itoa(r.ListenPort) + `"`},
			{"port", strconv.Itoa(r.Backends[0].Port)},
			{"protocol", `"TCP"`},
			{"target_type", HCLString(awsTargetType(r))},
			{"vpc_id", "var.vpc_id"}}
		if awsTargetType(r) == "ip" && plan.IsIPv6(r.Backends[0].Address) {
			tg = append(tg, [2]string{"ip_address_type", `"ipv6"`})
		}
		hclBlock(&b, lbRouteNote(p, r), `resource "aws_lb_target_group" "`+label+`"`, tg,
			"\n  health_check {\n    protocol = \"TCP\"\n  }\n")
		for _, be := range r.Backends {
			target := HCLString(be.Address)
			if awsTargetType(r) == "instance" {
				target = "var.instance_ids[" + HCLString(be.Name) + "]"
			}
			hclBlock(&b, "", `resource "aws_lb_target_group_attachment" "`+ids[be.Node]+`"`, [][2]string{
				{"target_group_arn", "aws_lb_target_group." + label + ".arn"},
				{"target_id", target},
				{"port", strconv.Itoa(be.Port)}}, "")
		}
		hclBlock(&b, "", `resource "aws_lb_listener" "`+label+`"`, [][2]string{
			{"load_balancer_arn", "aws_lb.octopus_polling.arn"},
			{"port", strconv.Itoa(r.ListenPort)},
			{"protocol", `"TCP"`}},
			"\n  default_action {\n    type             = \"forward\"\n    target_group_arn = aws_lb_target_group."+label+".arn\n  }\n")
	}
	hclBlock(&b, "", `output "dns_name"`, [][2]string{
		{"description", HCLString("DNS name of the balancer; Tentacles poll " + p.LoadBalancer.Address + ".")},
		{"value", "aws_lb.octopus_polling.dns_name"}}, "")
	return lbFlush(w, &b)
}

// awsTargetType is "ip" when every backend of r is an IP literal of one
// family, else "instance" (an NLB cannot target a DNS name).
func awsTargetType(r plan.Route) string {
	for _, be := range r.Backends {
		if !plan.IsIP(be.Address) || plan.IsIPv6(be.Address) != plan.IsIPv6(r.Backends[0].Address) {
			return "instance"
		}
	}
	return "ip"
}

func lbAnyIPv6(p plan.Plan) bool {
	for _, n := range p.Nodes {
		if plan.IsIPv6(n.Address) {
			return true
		}
	}
	return false
}

// hclBlock writes a blank line, the lines of note as comments, and a block
// with its attributes aligned as terraform fmt does, then tail (nested blocks).
func hclBlock(b *strings.Builder, note, head string, attrs [][2]string, tail string) {
	b.WriteString("\n")
	if note != "" {
		for _, l := range strings.Split(note, "\n") {
			lbComment(b, "#", l)
		}
	}
	b.WriteString(head + " {\n")
	width := 0
	for _, a := range attrs {
		width = max(width, len(a[0]))
	}
	for _, a := range attrs {
		fmt.Fprintf(b, "  %-*s = %s\n", width, a[0], a[1])
	}
	b.WriteString(tail + "}\n")
}

package bundle_test

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A structural parser of the tmsh command language, as much of it as
// loadbalancer/f5-bigip.tmsh uses: there is no tmsh on these machines, so
// the tests read the file back with this instead. It is strict: one
// command a line, words separated by white space, { and } standing alone
// as words and balanced on their line, "..." strings holding no character
// tmsh could read specially, and only the commands, components and
// properties the wizard means to write. Anything else is an error, so a
// value that escaped its quoting shows as an error or as a command,
// property or block that should not be there.

// tmshItem is a bare word, a "..." string (quoted, text without the
// quotes) or a { } block of items.
type tmshItem struct {
	text    string
	quoted  bool
	isBlock bool
	block   []tmshItem
}

// tmshCommand is one parsed command line.
type tmshCommand struct {
	line                          int
	verb, module, component, name string
	// props are the properties after the name; a members or profiles
	// value is the block after its "add".
	props map[string]tmshItem
	keys  []string // props' keys in file order
}

// tmshFile is a parsed file: its commands, comments and undo lines (the
// comments that start "# undo: ", parsed as commands too).
type tmshFile struct {
	commands []tmshCommand
	comments int
	undo     []tmshCommand
}

// tmshSpecial are the characters refused inside a "..." string: tmsh's
// block and quote characters, Tcl's substitution characters, ; and the ?
// that asks the interactive shell for help.
const tmshSpecial = "\"\\{}$[];?#"

// tmshLex splits one line into items.
func tmshLex(line string) ([]tmshItem, error) {
	type frame struct{ items []tmshItem }
	stack := []frame{{}}
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ':
			i++
			continue
		case c < 0x20 || c >= 0x7f:
			return nil, fmt.Errorf("column %d: byte %#x outside printable ASCII", i+1, c)
		}
		end := strings.IndexByte(line[i:], ' ')
		if end < 0 {
			end = len(line)
		} else {
			end += i
		}
		switch {
		case c == '"':
			q := strings.IndexByte(line[i+1:], '"')
			if q < 0 {
				return nil, fmt.Errorf("column %d: string not closed on its line", i+1)
			}
			body := line[i+1 : i+1+q]
			if j := strings.IndexAny(body, tmshSpecial); j >= 0 {
				return nil, fmt.Errorf("column %d: %q inside a string", i+2+j, body[j])
			}
			for _, b := range []byte(body) {
				if b < 0x20 || b >= 0x7f {
					return nil, fmt.Errorf("column %d: byte %#x inside a string", i+1, b)
				}
			}
			i += q + 2
			if i < len(line) && line[i] != ' ' {
				return nil, fmt.Errorf("column %d: string followed by %q without a space", i+1, line[i])
			}
			top := &stack[len(stack)-1]
			top.items = append(top.items, tmshItem{text: body, quoted: true})
			continue
		case line[i:end] == "{":
			stack = append(stack, frame{})
		case line[i:end] == "}":
			if len(stack) == 1 {
				return nil, fmt.Errorf("column %d: } closes no block", i+1)
			}
			blk := stack[len(stack)-1].items
			stack = stack[:len(stack)-1]
			top := &stack[len(stack)-1]
			top.items = append(top.items, tmshItem{isBlock: true, block: blk})
		default:
			word := line[i:end]
			if j := strings.IndexAny(word, tmshSpecial+"'"); j >= 0 {
				return nil, fmt.Errorf("column %d: %q in a bare word", i+1+j, word[j])
			}
			top := &stack[len(stack)-1]
			top.items = append(top.items, tmshItem{text: word})
		}
		i = end
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%d block(s) left open at the end of the line", len(stack)-1)
	}
	return stack[0].items, nil
}

// tmshProps are the properties each created component may have, and the
// kind of value: w a bare word, q a string, b a block, a "add" and a block.
var tmshProps = map[string]map[string]byte{
	"node":    {"address": 'w', "fqdn": 'b', "description": 'q'},
	"pool":    {"load-balancing-mode": 'w', "monitor": 'w', "members": 'a'},
	"virtual": {"destination": 'w', "mask": 'w', "ip-protocol": 'w', "profiles": 'a', "pool": 'w', "source-address-translation": 'b'},
}

// tmshParseCommand reads one line's items as a command.
func tmshParseCommand(n int, items []tmshItem) (tmshCommand, error) {
	cmd := tmshCommand{line: n, props: map[string]tmshItem{}}
	words := func(k int) ([]string, bool) {
		if len(items) < k {
			return nil, false
		}
		var out []string
		for _, it := range items[:k] {
			if it.quoted || it.isBlock {
				return nil, false
			}
			out = append(out, it.text)
		}
		return out, true
	}
	w, ok := words(3)
	if !ok {
		return cmd, fmt.Errorf("line %d: a command starts with three words", n)
	}
	switch strings.Join(w, " ") {
	case "create cli transaction", "submit cli transaction", "save sys config":
		if len(items) != 3 {
			return cmd, fmt.Errorf("line %d: %s takes nothing more", n, strings.Join(w, " "))
		}
		cmd.verb, cmd.module, cmd.component = w[0], w[1], w[2]
		return cmd, nil
	}
	if w, ok = words(4); !ok || (w[0] != "create" && w[0] != "delete") || w[1] != "ltm" || tmshProps[w[2]] == nil {
		return cmd, fmt.Errorf("line %d: not a command the wizard writes: %v", n, items)
	}
	cmd.verb, cmd.module, cmd.component, cmd.name = w[0], w[1], w[2], w[3]
	rest := items[4:]
	if cmd.verb == "delete" {
		if len(rest) > 0 {
			return cmd, fmt.Errorf("line %d: delete takes a name only", n)
		}
		return cmd, nil
	}
	for len(rest) > 0 {
		key := rest[0]
		kind, known := tmshProps[cmd.component][key.text]
		if key.quoted || key.isBlock || !known {
			return cmd, fmt.Errorf("line %d: %s: unknown property %+v", n, cmd.component, key)
		}
		if _, dup := cmd.props[key.text]; dup {
			return cmd, fmt.Errorf("line %d: %s twice", n, key.text)
		}
		if kind == 'a' {
			if len(rest) < 3 || rest[1].text != "add" || rest[1].quoted || !rest[2].isBlock {
				return cmd, fmt.Errorf("line %d: %s takes add { ... }", n, key.text)
			}
			cmd.props[key.text], rest = rest[2], rest[3:]
		} else {
			if len(rest) < 2 {
				return cmd, fmt.Errorf("line %d: %s has no value", n, key.text)
			}
			v := rest[1]
			if got := map[bool]byte{true: 'b', false: map[bool]byte{true: 'q', false: 'w'}[v.quoted]}[v.isBlock]; got != kind {
				return cmd, fmt.Errorf("line %d: %s: value %+v is not of kind %c", n, key.text, v, kind)
			}
			cmd.props[key.text], rest = v, rest[2:]
		}
		cmd.keys = append(cmd.keys, key.text)
	}
	return cmd, nil
}

// tmshParse parses a whole file.
func tmshParse(src string) (tmshFile, error) {
	var f tmshFile
	for i, line := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		n := i + 1
		if len(f.undo) > 0 && !strings.HasPrefix(line, "# undo: ") {
			// sed -n 's/^# undo: //p' runs every such line: they close the
			// file, and no other line may look like one.
			return f, fmt.Errorf("line %d: after the undo lines, %q", n, line)
		}
		switch {
		case strings.TrimSpace(line) == "":
			continue
		case strings.HasPrefix(line, "# undo: "):
			items, err := tmshLex(strings.TrimPrefix(line, "# undo: "))
			if err != nil {
				return f, fmt.Errorf("line %d (undo): %v", n, err)
			}
			cmd, err := tmshParseCommand(n, items)
			if err != nil {
				return f, err
			}
			f.undo = append(f.undo, cmd)
			f.comments++
			continue
		case strings.HasPrefix(line, "#"):
			f.comments++
			continue
		}
		items, err := tmshLex(line)
		if err != nil {
			return f, fmt.Errorf("line %d: %v", n, err)
		}
		cmd, err := tmshParseCommand(n, items)
		if err != nil {
			return f, err
		}
		f.commands = append(f.commands, cmd)
	}
	return f, nil
}

// tmshKV reads a block of key value words.
func tmshKV(it tmshItem) (map[string]string, error) {
	out := map[string]string{}
	if !it.isBlock || len(it.block)%2 != 0 {
		return nil, fmt.Errorf("%+v is not a block of key value pairs", it)
	}
	for i := 0; i < len(it.block); i += 2 {
		k, v := it.block[i], it.block[i+1]
		if k.quoted || k.isBlock || v.quoted || v.isBlock {
			return nil, fmt.Errorf("block %+v: key and value must be words", it)
		}
		if _, dup := out[k.text]; dup {
			return nil, fmt.Errorf("block %+v: %s twice", it, k.text)
		}
		out[k.text] = v.text
	}
	return out, nil
}

// tmshWords reads a block of bare words.
func tmshWords(it tmshItem) ([]string, error) {
	var out []string
	for _, x := range it.block {
		if x.quoted || x.isBlock {
			return nil, fmt.Errorf("block %+v: want words only", it)
		}
		out = append(out, x.text)
	}
	return out, nil
}

// tmshConfig is what a file configures, read from its commands.
type tmshConfig struct {
	nodes    map[string]string   // node name: IP address or DNS name
	pools    map[string][]string // pool name: members node:port
	virtuals []tmshVirtual
}

type tmshVirtual struct {
	name, addr string
	port       int
	pool       string
}

// tmshObjectName is a name the wizard writes: /Common/ and letters,
// digits and _ starting with a letter.
var tmshObjectName = regexp.MustCompile(`^/Common/[A-Za-z][A-Za-z0-9_]*$`)

var dnsName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// tmshDestination splits a virtual server's destination: a.b.c.d:port,
// or an IPv6 address, a period and the port.
func tmshSplitDestination(d string) (netip.Addr, int, error) {
	sep := ":"
	if strings.Count(d, ":") > 1 {
		sep = "."
	}
	i := strings.LastIndex(d, sep)
	if i < 0 {
		return netip.Addr{}, 0, fmt.Errorf("destination %q has no port", d)
	}
	a, err := netip.ParseAddr(d[:i])
	if err != nil || a.Zone() != "" || (sep == "." && !a.Is6()) || (sep == ":" && !a.Is4()) {
		return netip.Addr{}, 0, fmt.Errorf("destination %q: bad address for its separator %q", d, sep)
	}
	port, err := strconv.Atoi(d[i+1:])
	if err != nil || port < 1 || port > 65535 || strconv.Itoa(port) != d[i+1:] {
		return netip.Addr{}, 0, fmt.Errorf("destination %q: bad port", d)
	}
	return a, port, nil
}

// tmshCheck checks what a real tmsh would refuse or what would make the
// balancer wrong for polling: the transaction wraps every create and is
// saved, names are valid and unique, every reference resolves, pools use
// the TCP monitor, virtual servers are TCP with the tcp profile only (no
// SSL profile), SNAT automap and a port of their own; and the undo lines
// delete exactly what the file creates, users before what they use.
func tmshCheck(src string) (tmshConfig, error) {
	cfg := tmshConfig{nodes: map[string]string{}, pools: map[string][]string{}}
	f, err := tmshParse(src)
	if err != nil {
		return cfg, err
	}
	head := func(cmds []tmshCommand) []string {
		var out []string
		for _, c := range cmds {
			out = append(out, c.verb+" "+c.module+" "+c.component)
		}
		return out
	}
	frame := func(cmds []tmshCommand, verb string) error {
		h := head(cmds)
		if len(h) < 4 || h[0] != "create cli transaction" || h[len(h)-2] != "submit cli transaction" || h[len(h)-1] != "save sys config" {
			return fmt.Errorf("commands %q: want create cli transaction, the %s commands, submit cli transaction, save sys config", h, verb)
		}
		for _, c := range cmds[1 : len(cmds)-2] {
			if c.verb != verb || c.module != "ltm" {
				return fmt.Errorf("line %d: %s %s inside the transaction, want %s ltm only", c.line, c.verb, c.module, verb)
			}
		}
		return nil
	}
	if err := frame(f.commands, "create"); err != nil {
		return cfg, err
	}
	ports := map[int]bool{}
	var created []string
	for _, c := range f.commands[1 : len(f.commands)-2] {
		if !tmshObjectName.MatchString(c.name) {
			return cfg, fmt.Errorf("line %d: %q is not a /Common/ name of letters, digits and _", c.line, c.name)
		}
		created = append(created, c.component+" "+c.name)
		switch c.component {
		case "node":
			if _, dup := cfg.nodes[c.name]; dup {
				return cfg, fmt.Errorf("line %d: node %s created twice", c.line, c.name)
			}
			addr, hasAddr := c.props["address"]
			fq, hasFQDN := c.props["fqdn"]
			switch {
			case hasAddr == hasFQDN:
				return cfg, fmt.Errorf("line %d: a node has an address or an fqdn, one of them", c.line)
			case hasAddr:
				a, err := netip.ParseAddr(addr.text)
				if err != nil || a.Zone() != "" {
					return cfg, fmt.Errorf("line %d: address %q is not an IP address", c.line, addr.text)
				}
				cfg.nodes[c.name] = addr.text
			default:
				kv, err := tmshKV(fq)
				if err != nil || len(kv) != 1 || !dnsName.MatchString(kv["name"]) {
					return cfg, fmt.Errorf("line %d: fqdn %+v: want { name <DNS name> }", c.line, fq)
				}
				cfg.nodes[c.name] = kv["name"]
			}
		case "pool":
			if _, dup := cfg.pools[c.name]; dup {
				return cfg, fmt.Errorf("line %d: pool %s created twice", c.line, c.name)
			}
			if c.props["monitor"].text != "/Common/tcp" {
				return cfg, fmt.Errorf("line %d: pool monitor %q, want /Common/tcp", c.line, c.props["monitor"].text)
			}
			members, err := tmshWords(c.props["members"])
			if err != nil || len(members) == 0 {
				return cfg, fmt.Errorf("line %d: pool members: %v", c.line, err)
			}
			if m, ok := c.props["load-balancing-mode"]; ok && m.text != "least-connections-member" {
				return cfg, fmt.Errorf("line %d: load-balancing-mode %q", c.line, m.text)
			}
			for _, m := range members {
				node, port, ok := strings.Cut(m, ":")
				if p, err := strconv.Atoi(port); !ok || err != nil || p < 1 || p > 65535 {
					return cfg, fmt.Errorf("line %d: member %q is not node:port", c.line, m)
				}
				if _, ok := cfg.nodes[node]; !ok {
					return cfg, fmt.Errorf("line %d: member %q names no node created before it", c.line, m)
				}
			}
			cfg.pools[c.name] = members
		case "virtual":
			if _, ok := cfg.pools[c.props["pool"].text]; !ok {
				return cfg, fmt.Errorf("line %d: virtual %s: pool %q was not created before it", c.line, c.name, c.props["pool"].text)
			}
			if c.props["ip-protocol"].text != "tcp" {
				return cfg, fmt.Errorf("line %d: ip-protocol %q, want tcp", c.line, c.props["ip-protocol"].text)
			}
			profiles, err := tmshWords(c.props["profiles"])
			if err != nil || !slices.Equal(profiles, []string{"/Common/tcp"}) {
				return cfg, fmt.Errorf("line %d: profiles %q, want the tcp profile only (no SSL profile: TLS passes through)", c.line, profiles)
			}
			snat, err := tmshKV(c.props["source-address-translation"])
			if err != nil || len(snat) != 1 || snat["type"] != "automap" {
				return cfg, fmt.Errorf("line %d: source-address-translation %+v, want { type automap }", c.line, c.props["source-address-translation"])
			}
			dest := c.props["destination"].text
			a, port, err := tmshSplitDestination(dest)
			if err != nil {
				return cfg, fmt.Errorf("line %d: %v", c.line, err)
			}
			mask, hasMask := c.props["mask"]
			if hasMask != a.IsUnspecified() || hasMask && (mask.text != "any" || !a.Is4()) {
				return cfg, fmt.Errorf("line %d: mask %q: only the wildcard 0.0.0.0 takes mask any", c.line, mask.text)
			}
			if ports[port] {
				return cfg, fmt.Errorf("line %d: port %d has a virtual server already", c.line, port)
			}
			ports[port] = true
			cfg.virtuals = append(cfg.virtuals, tmshVirtual{c.name, a.String(), port, c.props["pool"].text})
		}
	}
	if len(cfg.virtuals) == 0 {
		return cfg, fmt.Errorf("no virtual server")
	}
	if err := frame(f.undo, "delete"); err != nil {
		return cfg, fmt.Errorf("undo lines: %v", err)
	}
	var deleted []string
	order := map[string]int{"virtual": 0, "pool": 1, "node": 2}
	last := 0
	for _, c := range f.undo[1 : len(f.undo)-2] {
		if order[c.component] < last {
			return cfg, fmt.Errorf("undo line %d deletes a %s after what uses it is gone", c.line, c.component)
		}
		last = order[c.component]
		deleted = append(deleted, c.component+" "+c.name)
	}
	slices.Sort(created)
	slices.Sort(deleted)
	if !slices.Equal(created, deleted) {
		return cfg, fmt.Errorf("undo lines delete %q, the file creates %q", deleted, created)
	}
	return cfg, nil
}

//go:build !js

package bundle_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"gopkg.in/yaml.v3"
)

// A structure signature names what a file is made of (statements, keys,
// elements, blocks) but not the text of its values, so a file holding a
// hostile value must have the signature of its harmless twin.

// yamlSignature lists every document's keys, sequence lengths and scalar
// tags.
func yamlSignature(content []byte) (string, error) {
	var b strings.Builder
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return b.String(), nil
			}
			return "", err
		}
		b.WriteString("---")
		yamlNodeSig(&b, &doc)
	}
}

func yamlNodeSig(b *strings.Builder, n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			yamlNodeSig(b, c)
		}
	case yaml.MappingNode:
		b.WriteString("{")
		for i := 0; i+1 < len(n.Content); i += 2 {
			b.WriteString(n.Content[i].Value + ":")
			yamlNodeSig(b, n.Content[i+1])
			b.WriteString(",")
		}
		b.WriteString("}")
	case yaml.SequenceNode:
		fmt.Fprintf(b, "[%d:", len(n.Content))
		for _, c := range n.Content {
			yamlNodeSig(b, c)
			b.WriteString(",")
		}
		b.WriteString("]")
	case yaml.ScalarNode:
		b.WriteString(n.Tag)
	default:
		fmt.Fprintf(b, "kind%d", n.Kind)
	}
}

// xmlSignature lists elements, attribute names, comments and text, strictly
// parsed by encoding/xml.
func xmlSignature(content []byte) (string, error) {
	var b strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(content))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			b.WriteString("<" + t.Name.Local)
			for _, a := range t.Attr {
				b.WriteString(" " + a.Name.Local)
			}
			b.WriteString(">")
		case xml.EndElement:
			b.WriteString("</" + t.Name.Local + ">")
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				b.WriteString("text")
			}
		default:
			fmt.Fprintf(&b, "%T", t)
		}
	}
}

// hclSignature lists blocks (type and label count) and attributes (name and
// expression kinds; a template's parts), parsed as Terraform would.
func hclSignature(content []byte) (string, error) {
	f, diags := hclsyntax.ParseConfig(content, "file.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return "", diags
	}
	var b strings.Builder
	hclBodySig(&b, f.Body.(*hclsyntax.Body))
	return b.String(), nil
}

func hclBodySig(b *strings.Builder, body *hclsyntax.Body) {
	names := make([]string, 0, len(body.Attributes))
	for n := range body.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(n + "=" + hclExprSig(body.Attributes[n].Expr) + ";")
	}
	for _, blk := range body.Blocks {
		fmt.Fprintf(b, "%s/%d{", blk.Type, len(blk.Labels))
		hclBodySig(b, blk.Body)
		b.WriteString("}")
	}
}

func hclExprSig(e hclsyntax.Expression) string {
	switch e := e.(type) {
	case *hclsyntax.TemplateExpr:
		parts := make([]string, len(e.Parts))
		for i, p := range e.Parts {
			parts[i] = hclExprSig(p)
		}
		return "T(" + strings.Join(parts, ",") + ")"
	case *hclsyntax.IndexExpr:
		return "I(" + hclExprSig(e.Collection) + "," + hclExprSig(e.Key) + ")"
	}
	return fmt.Sprintf("%T", e)
}

// confSignature is the line structure of an nginx, HAProxy, nftables or
// iptables-restore file: a comment line is #, any other its first word
// and its number of words.
func confSignature(content []byte) string {
	var b strings.Builder
	for _, line := range strings.Split(string(content), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case line[0] == '#':
			b.WriteString("#\n")
		default:
			f := strings.Fields(line)
			fmt.Fprintf(&b, "%s/%d\n", f[0], len(f))
		}
	}
	return b.String()
}

// jsonSignature lists object keys and array lengths.
func jsonSignature(content []byte) (string, error) {
	var v any
	if err := json.Unmarshal(content, &v); err != nil {
		return "", err
	}
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteString("{")
			for _, k := range keys {
				b.WriteString(k + ":")
				walk(v[k])
				b.WriteString(",")
			}
			b.WriteString("}")
		case []any:
			fmt.Fprintf(&b, "[%d:", len(v))
			for _, x := range v {
				walk(x)
			}
			b.WriteString("]")
		default:
			fmt.Fprintf(&b, "%T", v)
		}
	}
	walk(v)
	return b.String(), nil
}

// tmshSignature names what a file is made of: each command's verb,
// module, component and property keys with the kind and shape of each
// value, and a # for each comment, but no names, addresses or text.
func tmshSignature(src string) (string, error) {
	f, err := tmshParse(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var shape func(it tmshItem) string
	shape = func(it tmshItem) string {
		switch {
		case it.isBlock:
			parts := make([]string, len(it.block))
			for i, x := range it.block {
				parts[i] = shape(x)
			}
			return "{" + strings.Join(parts, " ") + "}"
		case it.quoted:
			return "Q"
		}
		return "W"
	}
	for _, c := range append(f.commands, f.undo...) {
		fmt.Fprintf(&b, "%s %s %s", c.verb, c.module, c.component)
		for _, k := range c.keys {
			fmt.Fprintf(&b, " %s=%s", k, shape(c.props[k]))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "comments %d\n", f.comments)
	return b.String(), nil
}

// Command wasmsize prints where a Go WebAssembly module's bytes go: the
// size of each section, and the function bodies of the code section summed
// by Go package, largest first, from the module's name section (so build it
// without -ldflags=-s, which drops the names; the bodies are the same).
//
//	go run ./wasm/wasmsize -top 25 app.wasm
//
// The data section (read-only data, type descriptors, the runtime's
// function tables) carries no names, so it is printed as one line.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 25, "how many packages to print")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-top N] file.wasm")
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		var m *module
		if m, err = parse(b); err == nil {
			m.print(os.Stdout, flag.Arg(0), *top)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

type section struct {
	name string
	size int
}

type module struct {
	sections []section
	imported int            // imported functions: they come first in the index space
	bodies   []int          // code section body sizes, by defined-function index
	names    map[int]string // function index -> name
}

var sectionNames = []string{"custom", "type", "import", "function", "table", "memory",
	"global", "export", "start", "elem", "code", "data", "datacount"}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	m := &module{names: map[int]string{}}
	r := &reader{b: b, off: 8}
	for r.off < len(b) {
		id := r.byte()
		size := int(r.uleb())
		start := r.off
		if r.err != nil || start+size > len(b) {
			return nil, errors.New("truncated section")
		}
		body := &reader{b: b[:start+size], off: start}
		name := "unknown"
		if int(id) < len(sectionNames) {
			name = sectionNames[id]
		}
		switch id {
		case 0:
			name = "custom " + body.name()
			if name == "custom name" {
				m.readNames(body)
			}
		case 2:
			m.readImports(body)
		case 10:
			n := int(body.uleb())
			for i := 0; i < n && body.err == nil; i++ {
				sz := int(body.uleb())
				m.bodies = append(m.bodies, sz)
				body.off += sz
			}
		}
		if body.err != nil {
			return nil, fmt.Errorf("%s section: %w", name, body.err)
		}
		m.sections = append(m.sections, section{name, size})
		r.off = start + size
	}
	return m, nil
}

func (m *module) readImports(r *reader) {
	n := int(r.uleb())
	for i := 0; i < n && r.err == nil; i++ {
		r.name()
		r.name()
		switch r.byte() {
		case 0: // function: type index
			r.uleb()
			m.imported++
		case 1: // table: reftype, limits
			r.byte()
			r.limits()
		case 2: // memory
			r.limits()
		case 3: // global: valtype, mutability
			r.byte()
			r.byte()
		}
	}
}

func (m *module) readNames(r *reader) {
	for r.off < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		end := r.off + size
		if id == 1 {
			n := int(r.uleb())
			for i := 0; i < n && r.err == nil; i++ {
				idx := int(r.uleb())
				m.names[idx] = r.name()
			}
		}
		r.off = end
	}
}

// domains are the top-level domains of the module paths a Go package path
// can start with (a standard package's first element has no dot).
var domains = map[string]bool{"com": true, "org": true, "net": true, "io": true, "in": true, "dev": true}

// pkg is the Go package of a function's name. Go's linker writes the
// names with the package path's slashes as underscores
// ("github.com_labstack_echo_v4.(*Echo).Start"), so the package ends at
// the first dot, or for a path that starts with a domain, at the first dot
// after the domain; compiler-made functions ("type:.eq.T", written
// "type_.eq.T") count for the package of their type. The result is shown
// with slashes again (so do a path's own underscores and dashes, which the linker also
// writes as underscores).
func pkg(sym string) string {
	for _, p := range []string{"type_.eq.", "type_.hash.", "type:.eq.", "type:.hash."} {
		sym = strings.TrimPrefix(sym, p)
	}
	sym = strings.TrimLeft(sym, "*[]0123456789")
	prefix := ""
	if strings.HasPrefix(sym, "vendor_") {
		prefix, sym = "vendor/", sym[len("vendor_"):]
	}
	us, dot := strings.IndexByte(sym, '_'), strings.IndexByte(sym, '.')
	switch {
	case us > 0 && dot >= 0 && dot < us && domains[sym[dot+1:us]]:
		if d := strings.IndexByte(sym[us:], '.'); d >= 0 {
			sym = sym[:us+d]
		}
	case dot >= 0:
		sym = sym[:dot]
	}
	return prefix + strings.ReplaceAll(sym, "_", "/")
}

func (m *module) print(w io.Writer, file string, top int) {
	total := 0
	for _, s := range m.sections {
		total += s.size
	}
	fmt.Fprintf(w, "%s: %d bytes\n", file, total)
	for _, s := range m.sections {
		if s.size >= 1024 {
			fmt.Fprintf(w, "  section %-16s %10d\n", s.name, s.size)
		}
	}
	if len(m.names) == 0 {
		fmt.Fprintln(w, "  (no name section: build without -ldflags=-s to see packages)")
		return
	}
	byPkg := map[string]int{}
	for i, sz := range m.bodies {
		name, ok := m.names[m.imported+i]
		if !ok {
			name = "?"
		}
		byPkg[pkg(name)] += sz
	}
	pkgs := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool {
		if byPkg[pkgs[i]] != byPkg[pkgs[j]] {
			return byPkg[pkgs[i]] > byPkg[pkgs[j]]
		}
		return pkgs[i] < pkgs[j]
	})
	code := 0
	for _, sz := range m.bodies {
		code += sz
	}
	fmt.Fprintf(w, "  function bodies by package (top %d of %d; %d bytes in all)\n", min(top, len(pkgs)), len(pkgs), code)
	for _, p := range pkgs[:min(top, len(pkgs))] {
		fmt.Fprintf(w, "  %10d %5.1f%%  %s\n", byPkg[p], 100*float64(byPkg[p])/float64(code), p)
	}
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) byte() byte {
	if r.off >= len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

func (r *reader) uleb() uint64 {
	if r.off >= len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.err = errors.New("bad LEB128 number")
		return 0
	}
	r.off += n
	return v
}

func (r *reader) name() string {
	n := int(r.uleb())
	if r.err != nil || r.off+n > len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

func (r *reader) limits() {
	if r.byte()&1 == 1 {
		r.uleb()
	}
	r.uleb()
}

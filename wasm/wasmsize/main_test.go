package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPkg(t *testing.T) {
	for sym, want := range map[string]string{
		"runtime.mallocgc": "runtime",
		"internal_runtime_maps.__Map_.getWithKeySmall":     "internal/runtime/maps",
		"github.com_labstack_echo_v4.__Echo_.ServeHTTP":    "github.com/labstack/echo/v4",
		"golang.org_x_text_internal_language.Parse":        "golang.org/x/text/internal/language",
		"vendor_golang.org_x_net_dns_dnsmessage.init":      "vendor/golang.org/x/net/dns/dnsmessage",
		"fmt.__pp_.doPrintf":                               "fmt",
		"slices.pdqsortCmpFunc_go.shape.string_":           "slices",
		"type_.eq.github.com_a_h_templ.Attributes":         "github.com/a/h/templ",
		"github.com_tentacle_ha_wizard_wizard_web_app.New": "github.com/tentacle/ha/wizard/wizard/web/app",
	} {
		if got := pkg(sym); got != want {
			t.Errorf("pkg(%q) = %q, want %q", sym, got, want)
		}
	}
}

// sample is a hand-made module: one imported function, two defined ones
// whose bodies are 2 and 4 bytes, and a name section naming all three.
func sample() []byte {
	sec := func(id byte, body ...byte) []byte { return append([]byte{id, byte(len(body))}, body...) }
	name := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	var b bytes.Buffer
	b.WriteString("\x00asm\x01\x00\x00\x00")
	b.Write(sec(1, 1, 0x60, 0, 0))                                                           // type: func() -> ()
	b.Write(sec(2, append(append(append([]byte{1}, name("go")...), name("f")...), 0, 0)...)) // import go.f
	b.Write(sec(3, 2, 0, 0))                                                                 // two functions of type 0
	b.Write(sec(10, 2, 2, 0, 0x0b, 4, 0, 0x01, 0x01, 0x0b))                                  // bodies: end; nop nop end
	var names []byte
	names = append(names, 3)
	for i, n := range []string{"go.f", "main.main", "github.com_x_y.__T_.M"} {
		names = append(append(names, byte(i)), name(n)...)
	}
	sub := append([]byte{1, byte(len(names))}, names...)
	b.Write(sec(0, append(name("name"), sub...)...))
	return b.Bytes()
}

func TestParse(t *testing.T) {
	m, err := parse(sample())
	if err != nil {
		t.Fatal(err)
	}
	if m.imported != 1 || len(m.bodies) != 2 || m.bodies[0] != 2 || m.bodies[1] != 4 {
		t.Fatalf("imported %d, bodies %v; want 1 and [2 4]", m.imported, m.bodies)
	}
	var out strings.Builder
	m.print(&out, "m.wasm", 10)
	for _, want := range []string{"         4  66.7%  github.com/x/y", "         2  33.3%  main"} {
		if !strings.Contains(out.String(), want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := parse([]byte("\x00asm\x01\x00\x00\x00\x0a\x05\x01")); err == nil {
		t.Error("a truncated section parsed")
	}
}

// TestSizesAsWabt checks the body sizes against wasm-objdump (Debian's
// wabt), which reads the same module independently.
func TestSizesAsWabt(t *testing.T) {
	tool, err := exec.LookPath("wasm-objdump")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("wasm-objdump (Debian package wabt) is not installed")
		}
		t.Skip("wasm-objdump (Debian package wabt) is not installed")
	}
	path := filepath.Join(t.TempDir(), "m.wasm")
	if err := os.WriteFile(path, sample(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-x", "-j", "Code", path).CombinedOutput()
	if err != nil {
		t.Fatalf("wasm-objdump: %v\n%s", err, out)
	}
	var sizes []string
	for _, m := range regexp.MustCompile(`func\[\d+\] size=(\d+)`).FindAllSubmatch(out, -1) {
		sizes = append(sizes, string(m[1]))
	}
	if strings.Join(sizes, " ") != "2 4" {
		t.Errorf("wasm-objdump reads body sizes %v, want [2 4]:\n%s", sizes, out)
	}
}

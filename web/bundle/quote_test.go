package bundle_test

import (
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
)

// quoteCase is one input of an escaping function and its exact output.
type quoteCase struct{ name, in, want string }

func testQuote(t *testing.T, fn string, f func(string) string, cases []quoteCase) {
	t.Helper()
	for _, c := range cases {
		if got := f(c.in); got != c.want {
			t.Errorf("%s: %s(%q) = %q, want %q", c.name, fn, c.in, got, c.want)
		}
	}
}

func TestSh(t *testing.T) {
	testQuote(t, "Sh", bundle.Sh, []quoteCase{
		{"bare word", "web01", "web01"},
		{"safe punctuation", "a-b_c./:=@,+%", "a-b_c./:=@,+%"},
		{"empty", "", "''"},
		{"space", "Default Machine Policy", "'Default Machine Policy'"},
		{"single quote", "it's", `'it'\''s'`},
		{"only a quote", "'", `\'`},
		{"quote first and last", "'a'", `\''a'\'`},
		{"final backslash outside the quotes", `C:\dir with space\`, `'C:\dir with space'\\`},
		{"backslash before a quote", `a\'b`, `'a'\\\''b'`},
		{"inner backslashes stay", `a\b\\c`, `'a\b\\c'`},
		{"final backslashes all outside", `a\\`, `'a'\\\\`},
		{"backslashes before a quote all outside", `a\\'`, `'a'\\\\\'`},
		{"command substitution", "$(id)", "'$(id)'"},
		{"backticks", "`id`", "'`id`'"},
		{"separator", "a;b", "'a;b'"},
		{"glob", "*", "'*'"},
		{"tilde", "~root", "'~root'"},
		{"newline", "a\nb", "'a\nb'"},
		{"invalid UTF-8 kept", "a\xffb", "'a\xffb'"},
		{"typographic single quotes in double quotes", "‘a’b", `"‘"'a'"’"'b'`},
		{"other typographic quotes stay", "a“”‚‛„b", "'a“”‚‛„b'"},
	})
}

func TestPS(t *testing.T) {
	testQuote(t, "PS", bundle.PS, []quoteCase{
		{"plain", "web01", "'web01'"},
		{"empty", "", "''"},
		{"single quote", "it's", "'it''s'"},
		{"left single quotation mark", "a\u2018b", "'a\u2018\u2018b'"},
		{"right single quotation mark", "a\u2019b", "'a\u2019\u2019b'"},
		{"low-9 quotation mark", "a\u201ab", "'a\u201a\u201ab'"},
		{"reversed-9 quotation mark", "a\u201bb", "'a\u201b\u201bb'"},
		{"double quotes need nothing", "a\"b\u201c\u201d\u201e", "'a\"b\u201c\u201d\u201e'"},
		{"no expansion", "$(id) `n $env:X", "'$(id) `n $env:X'"},
		{"break-out attempt", "x' ; Remove-Item C:\\ ; '", "'x'' ; Remove-Item C:\\ ; '''"},
	})
}

func TestPSScript(t *testing.T) {
	testQuote(t, "PSScript", bundle.PSScript, []quoteCase{
		{"ASCII stays", "$x = 'a'\n", "$x = 'a'\n"},
		{"non-ASCII gets a BOM", "$x = 'В'\n", "\uFEFF$x = 'В'\n"},
		{"a BOM is not doubled", "\uFEFF$x = 'В'\n", "\uFEFF$x = 'В'\n"},
	})
}

func TestConfComment(t *testing.T) {
	testQuote(t, "ConfComment", bundle.ConfComment, []quoteCase{
		{"plain", "Node 1: polls lb:10943", "Node 1: polls lb:10943"},
		{"config syntax is text", "x; } server evil:1; {#", "x; } server evil:1; {#"},
		{"LF", "a\nlisten 1;", "a listen 1;"},
		{"CR", "a\rb", "a b"},
		{"tab", "a\tb", "a b"},
		{"NEL", "a\u0085b", "a b"},
		{"line separator", "a\u2028b", "a b"},
		{"paragraph separator", "a\u2029b", "a b"},
		{"NUL", "a\x00b", "a\uFFFDb"},
		{"escape", "a\x1b[2Jb", "a\uFFFD[2Jb"},
		{"right-to-left override", "a\u202eb", "a\uFFFDb"},
		{"isolate", "a\u2066b\u2069", "a\uFFFDb\uFFFD"},
		{"byte order mark", "\uFEFFa", "\uFFFDa"},
		{"non-character", "a\uFFFEb", "a\uFFFDb"},
		{"invalid UTF-8", "a\xff\xfeb", "a\uFFFD\uFFFDb"},
		{"zero-width space stays", "a\u200bb", "a\u200bb"},
	})
}

func TestYAMLComment(t *testing.T) {
	testQuote(t, "YAMLComment", bundle.YAMLComment, []quoteCase{
		{"plain", "Helm values", "Helm values"},
		{"YAML syntax is text", "a: b # c - d", "a: b # c - d"},
		{"LF starts no key", "x\nimage: evil", "x image: evil"},
		{"NEL starts no key", "x\u0085image: evil", "x image: evil"},
		{"line separator starts no key", "x\u2028image: evil", "x image: evil"},
		{"paragraph separator starts no key", "x\u2029image: evil", "x image: evil"},
		{"byte order mark", "a\uFEFFb", "a\uFFFDb"},
		{"invalid UTF-8", "a\xc3b", "a\uFFFDb"},
	})
}

func TestYAMLString(t *testing.T) {
	testQuote(t, "YAMLString", bundle.YAMLString, []quoteCase{
		{"plain", "web01", `"web01"`},
		{"empty", "", `""`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"YAML indicators stay text", "- a: b # c", `"- a: b # c"`},
		{"booleans stay strings", "yes", `"yes"`},
		{"LF", "a\nb", `"a\nb"`},
		{"CR and tab", "a\r\tb", `"a\r\tb"`},
		{"NUL", "a\x00b", `"a\x00b"`},
		{"NEL", "a\u0085b", `"a\x85b"`},
		{"line separator", "a\u2028b", `"a\u2028b"`},
		{"paragraph separator", "a\u2029b", `"a\u2029b"`},
		{"zero-width space", "a\u200bb", `"a\u200Bb"`},
		{"right-to-left override", "a\u202eb", `"a\u202Eb"`},
		{"byte order mark", "\uFEFFa", `"\uFEFFa"`},
		{"non-character", "a\uFFFF", `"a\uFFFF"`},
		{"supplementary format character", "a\U000E0001", `"a\U000E0001"`},
		{"invalid UTF-8", "a\xffb", "\"a\uFFFDb\""},
		{"non-ASCII stays", "Zürich ’", `"Zürich ’"`},
	})
}

func TestXMLText(t *testing.T) {
	testQuote(t, "XMLText", bundle.XMLText, []quoteCase{
		{"plain", `[{"Address":"https://a:1"}]`, `[{"Address":"https://a:1"}]`},
		{"markup", "<a>&b]]>", "&lt;a&gt;&amp;b]]&gt;"},
		{"comment opener", "<!--", "&lt;!--"},
		{"quotes stay", `"'`, `"'`},
		{"CR kept as reference", "a\rb", "a&#xD;b"},
		{"LF and tab stay", "a\n\tb", "a\n\tb"},
		{"NUL", "a\x00b", "a\uFFFDb"},
		{"C1 control", "a\u0085b", "a\uFFFDb"},
		{"non-character", "a\uFFFEb", "a\uFFFDb"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
	})
}

func TestXMLAttr(t *testing.T) {
	testQuote(t, "XMLAttr", bundle.XMLAttr, []quoteCase{
		{"plain", "Tentacle.Communication.TrustedOctopusServers", "Tentacle.Communication.TrustedOctopusServers"},
		{"quotes", `a"b'c`, "a&quot;b&apos;c"},
		{"markup", "<&>", "&lt;&amp;&gt;"},
		{"whitespace kept as references", "a\tb\nc\rd", "a&#x9;b&#xA;c&#xD;d"},
		{"NUL", "\x00", "\uFFFD"},
	})
}

func TestXMLComment(t *testing.T) {
	testQuote(t, "XMLComment", bundle.XMLComment, []quoteCase{
		{"plain", "Generated by Tentacle HA Wizard.", "Generated by Tentacle HA Wizard."},
		{"double hyphen", "a--b", "a- -b"},
		{"comment closer", "x --> <evil/>", "x - -> <evil/>"},
		{"many hyphens", "----", "- - - - "},
		{"final hyphen", "a-", "a- "},
		{"markup is text", "<!-- ]]> &", "<!- - ]]> &"},
		{"line breaks", "a\nb\u2028c", "a b c"},
		{"NUL", "a\x00", "a\uFFFD"},
		{"invalid UTF-8", "\xfe", "\uFFFD"},
	})
}

func TestHCLString(t *testing.T) {
	testQuote(t, "HCLString", bundle.HCLString, []quoteCase{
		{"plain", "10.0.0.1", `"10.0.0.1"`},
		{"empty", "", `""`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"interpolation", "${file(\"/etc/passwd\")}", `"$${file(\"/etc/passwd\")}"`},
		{"directive", "%{if true}x%{endif}", `"%%{if true}x%%{endif}"`},
		{"escaped interpolation stays literal", "$${x}", `"$$${x}"`},
		{"lone dollar and percent", "$x %d {", `"$x %d {"`},
		{"LF, CR, tab", "a\nb\rc\td", `"a\nb\rc\td"`},
		{"NUL as \\u", "a\x00b", `"a\u0000b"`},
		{"NEL", "a\u0085b", `"a\u0085b"`},
		{"line separator", "a\u2028b", `"a\u2028b"`},
		{"right-to-left override", "a\u202eb", `"a\u202Eb"`},
		{"zero-width space", "a\u200bb", `"a\u200Bb"`},
		{"supplementary format character", "\U000E0001", `"\U000E0001"`},
		{"invalid UTF-8", "a\xffb", "\"a\uFFFDb\""},
		{"non-ASCII stays", "Zürich", `"Zürich"`},
	})
}

func TestTmshString(t *testing.T) {
	testQuote(t, "TmshString", bundle.TmshString, []quoteCase{
		{"plain", "Node1", `"Node1"`},
		{"empty", "", `""`},
		{"kept punctuation", "a-b_c.d,e:f/g(h)@i+j=k l", `"a-b_c.d,e:f/g(h)@i+j=k l"`},
		{"quote", `a"b`, `"a_b"`},
		{"backslash", `a\b`, `"a_b"`},
		{"braces", "a { b }", `"a _ b _"`},
		{"Tcl substitution", "$x [exec id]", `"_x _exec id_"`},
		{"help and separator", "a?b;c", `"a_b_c"`},
		{"hash", "#1", `"_1"`},
		{"newline", "a\nb", `"a_b"`},
		{"non-ASCII, one _ a character", "é\u2028", `"__"`},
		{"invalid UTF-8", "a\xffb", `"a_b"`},
	})
}

//go:build !js

package bundle_test

import "testing"

// TestHostileOraclesCatchInjection shows the structure checks see a value
// that escaped its quoting, so a passing TestHostileValues means something.
func TestHostileOraclesCatchInjection(t *testing.T) {
	quotes := []struct {
		lit  string
		want bool
	}{
		{`'plain'`, true},
		{`'it''s'`, true},
		{"'x\u2019\u2019 doubled'", true},
		{"'x\u2019 ; New-Item C:\\pwned ; \u2019'", false},
		{"\"Node2\u201d ; New-Item C:\\pwned ; \u201c\"", false},
		{"\"Node2`\u201d escaped\"", true},
		{"\"a\u201c\u201c b\"", true},
	}
	for _, q := range quotes {
		if got := psQuotesDoubled(q.lit); got != q.want {
			t.Errorf("psQuotesDoubled(%q) = %v, want %v", q.lit, got, q.want)
		}
	}
	pairs := []struct{ kind, harmless, hostile string }{
		{"sh", "run x --name 'harmless'\n", "run x --name 'x'; id; echo ''\n"},
		{"sh", "INSTANCE=harmless\n", "INSTANCE=$(id)\n"},
		{"ps1", "$Name = 'harmless'\n", "$Name = 'x\u2019 ; New-Item C:\\pwned ; \u2019'\n"},
		{"ps1", "Write-Host \"Node harmless\"\n", "Write-Host \"Node $(id)\"\n"},
		{"yaml", "# harmless\nagent:\n  name: \"x\"\n", "# x\u2028image: evil\nagent:\n  name: \"x\"\n"},
		{"tf", "a = \"harmless\"\n", "a = \"${file(\"x\")}\"\n"},
		{"nginx", "# harmless\nstream {\n}\n", "# x\nserver 203.0.113.9:1;\nstream {\n}\n"},
		{"tmsh", "create ltm node /Common/a address 10.0.0.1 description \"harmless\"\n",
			"create ltm node /Common/a address 10.0.0.1 description \"x\"\ndelete ltm node /Common/b\n"},
		{"tmsh", "create ltm pool /Common/p monitor /Common/tcp members add { /Common/a:1 }\n",
			"create ltm pool /Common/p monitor /Common/tcp members add { /Common/a:1 /Common/b:1 }\n"},
	}
	for _, p := range pairs {
		var a, b string
		switch p.kind {
		case "sh":
			a, _ = shSignature(p.harmless)
			b, _ = shSignature(p.hostile)
		case "ps1":
			a, b = psStructure(p.harmless), psStructure(p.hostile)
		case "yaml":
			a, _ = yamlSignature([]byte(p.harmless))
			b, _ = yamlSignature([]byte(p.hostile))
		case "tf":
			a, _ = hclSignature([]byte(p.harmless))
			b, _ = hclSignature([]byte(p.hostile))
		case "nginx":
			a, b = confSignature([]byte(p.harmless)), confSignature([]byte(p.hostile))
		case "tmsh":
			a, _ = tmshSignature(p.harmless)
			b, _ = tmshSignature(p.hostile)
		}
		if a == b {
			t.Errorf("%s: the structure of %q equals that of %q", p.kind, p.hostile, p.harmless)
		}
	}
}

//go:build !js

package bundle_test

// knownHostileFailures is what TestHostileValues still finds, as
// "base file field check" to the failing payloads (names in
// testdata/hostile/payloads.txt). It is empty: every generator escapes
// every plan value, or validation refuses it. The test fails when a
// combination fails that is not listed here, and when a listed one no
// longer fails, and prints the list as it stands.
var knownHostileFailures = map[string]string{}

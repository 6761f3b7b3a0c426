package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// PasteFile is the name the paste scripts write the archive to, in the
// current folder; unpacking it makes the archive's own folder
// (ArchivePrefix). It is fixed, so no plan value reaches the scripts: they
// hold only this name, base64 and a SHA-256 in hex.
const PasteFile = "tentacle-ha-bundle.tgz"

// pasteLine is the width of the base64 lines: short enough for any
// terminal, and both decoders skip the line ends.
const pasteLine = 76

// PasteLarge is the archive size past which the page warns that a paste
// this long is slow and may be cut short (some terminals and remote
// desktop clipboards limit a paste); the SHA-256 check catches a cut.
const PasteLarge = 48 << 10

// Paste is the bundle as text to paste into a terminal on a host reached
// only by SSH or remote desktop: the tar.gz in base64, written to
// PasteFile, checked against its SHA-256, and unpacked only when it matches.
type Paste struct {
	// Bash is for a Linux shell (base64, sha256sum and tar of GNU
	// coreutils and tar); PowerShell for Windows 10 and later, which ship
	// tar.exe.
	Bash, PowerShell string
	// Size is the tar.gz's size in bytes, SHA256 its digest in lower-case hex.
	Size   int
	SHA256 string
}

// PasteOf makes the paste scripts of an archive of files under prefix
// (WriteTarGz's bytes, so the same plan gives the same scripts).
func PasteOf(prefix string, files []File) (Paste, error) {
	var tgz bytes.Buffer
	if err := WriteTarGz(&tgz, prefix, files); err != nil {
		return Paste{}, fmt.Errorf("bundle: paste: %w", err)
	}
	sum := sha256.Sum256(tgz.Bytes())
	digest := hex.EncodeToString(sum[:])
	b64 := wrap(base64.StdEncoding.EncodeToString(tgz.Bytes()), pasteLine)
	return Paste{Bash: pasteBash(b64, digest), PowerShell: pastePowerShell(b64, digest), Size: tgz.Len(), SHA256: digest}, nil
}

// pasteBash: a quoted here-document ('EOF') keeps the base64 literal;
// sha256sum -c reads "digest  file" lines (coreutils' check format: two
// spaces, text mode, which is binary-safe on Linux); tar runs only when
// the check passed, and a failed check removes the file, so nothing is
// left to unpack by mistake, and ends with a failing status.
func pasteBash(b64, digest string) string {
	var b strings.Builder
	b.WriteString("base64 -d > " + PasteFile + " <<'EOF'\n")
	b.WriteString(b64)
	b.WriteString("EOF\n")
	b.WriteString("if echo '" + digest + "  " + PasteFile + "' | sha256sum -c -; then tar -xzf " + PasteFile + "; else rm -f " + PasteFile + "; echo 'The bundle did not arrive whole (SHA-256 differs): nothing unpacked. Paste it again, or download it.' >&2; false; fi\n")
	return b.String()
}

// pastePowerShell: a single-quoted here-string (its closing '@ must start
// a line) keeps the base64 literal; [Convert]::FromBase64String ignores
// the line breaks' white space only after -replace removes it.
// WriteAllBytes resolves a relative path against the process's folder,
// not PowerShell's location, hence Join-Path (Get-Location). Get-FileHash
// prints upper-case hex; -eq compares strings ignoring case. tar.exe
// (bsdtar) ships with Windows 10 build 17063 and later:
// https://learn.microsoft.com/en-us/virtualization/community/team-blog/2017/20171219-tar-and-curl-come-to-windows
func pastePowerShell(b64, digest string) string {
	var b strings.Builder
	b.WriteString("$b64 = @'\n")
	b.WriteString(b64)
	b.WriteString("'@\n")
	b.WriteString("$tgz = Join-Path (Get-Location) '" + PasteFile + "'\n")
	b.WriteString("[IO.File]::WriteAllBytes($tgz, [Convert]::FromBase64String(($b64 -replace '\\s', '')))\n")
	b.WriteString("if ((Get-FileHash -Algorithm SHA256 -LiteralPath $tgz).Hash -eq '" + digest + "') {\n")
	b.WriteString("    tar -xzf $tgz\n")
	b.WriteString("} else {\n")
	b.WriteString("    Remove-Item -LiteralPath $tgz\n")
	b.WriteString("    Write-Error 'The bundle did not arrive whole (SHA-256 differs): nothing unpacked. Paste it again, or download it.'\n")
	b.WriteString("}\n")
	return b.String()
}

// wrap breaks s into lines of n characters, each ending in a newline.
func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	if s != "" {
		b.WriteString(s + "\n")
	}
	return b.String()
}

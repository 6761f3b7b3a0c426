package bundle

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// archiveTime is the fixed modification time of every archive entry, so
// the same plan gives the same archive bytes.
var archiveTime = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes files as a zip archive under the folder prefix (for
// example "tentacle-ha-web01/"; empty for none).
func WriteZip(w io.Writer, prefix string, files []File) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		h := &zip.FileHeader{Name: prefix + f.Path, Method: zip.Deflate, Modified: archiveTime}
		h.SetMode(fileMode(f))
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("bundle: zip %s: %w", f.Path, err)
		}
		if _, err := fw.Write(f.Content); err != nil {
			return fmt.Errorf("bundle: zip %s: %w", f.Path, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("bundle: zip: %w", err)
	}
	return nil
}

// WriteTarGz writes files as a gzip-compressed tar archive under prefix.
func WriteTarGz(w io.Writer, prefix string, files []File) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("bundle: gzip: %w", err)
	}
	gz.ModTime = archiveTime
	tw := tar.NewWriter(gz)
	for _, f := range files {
		h := &tar.Header{
			Name:     prefix + f.Path,
			Mode:     int64(fileMode(f).Perm()),
			Size:     int64(len(f.Content)),
			ModTime:  archiveTime,
			Typeflag: tar.TypeReg,
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("bundle: tar %s: %w", f.Path, err)
		}
		if _, err := tw.Write(f.Content); err != nil {
			return fmt.Errorf("bundle: tar %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("bundle: tar: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("bundle: gzip: %w", err)
	}
	return nil
}

func fileMode(f File) fs.FileMode {
	if f.Mode == 0 {
		return 0o644
	}
	return fs.FileMode(f.Mode)
}

// ArchivePrefix is the folder every archive entry sits in, named after the
// machine: "tentacle-ha-web01/".
func ArchivePrefix(p plan.Plan) string { return ArchiveName(p) + "/" }

// ArchiveName is the archive's base name without extension: named after
// the machine, or tentacle-ha-fleet for a fleet's (the plan's tentacle is
// then no machine of its own).
func ArchiveName(p plan.Plan) string {
	if p.HasFleet() {
		return "tentacle-ha-fleet"
	}
	return "tentacle-ha-" + strings.ToLower(sanitizeName(p.Normalized().Tentacle.Name))
}

package app

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// sharePrefix starts the URL fragment of a share link. The plan rides in
// the fragment, which browsers never send to a server, compressed with raw
// DEFLATE (what the browser's DecompressionStream("deflate-raw") reads) and
// encoded as base64url without padding. A plan holds no secrets.
const sharePrefix = "plan="

// shareFragment is the fragment (without "#") of a link that opens p.
func shareFragment(p plan.Plan) (string, error) {
	var js bytes.Buffer
	if err := p.Normalized().Encode(&js); err != nil {
		return "", err
	}
	var z bytes.Buffer
	zw, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return "", fmt.Errorf("share: %w", err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, js.Bytes()); err != nil {
		return "", fmt.Errorf("share: %w", err)
	}
	if _, err := zw.Write(compact.Bytes()); err != nil {
		return "", fmt.Errorf("share: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("share: %w", err)
	}
	return sharePrefix + base64.RawURLEncoding.EncodeToString(z.Bytes()), nil
}

// shareURL is a link that opens p: the wizard's own address (as the
// request reached it) with the plan in the fragment.
func shareURL(c echo.Context, p plan.Plan) (string, error) {
	frag, err := shareFragment(p)
	if err != nil {
		return "", err
	}
	return c.Scheme() + "://" + c.Request().Host + "/#" + frag, nil
}

// readShareFragment returns the plan JSON a share fragment carries.
func readShareFragment(frag string) ([]byte, error) {
	data, ok := strings.CutPrefix(strings.TrimPrefix(frag, "#"), sharePrefix)
	if !ok {
		return nil, fmt.Errorf("share: the link has no plan")
	}
	z, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("share: the link is damaged: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), plan.MaxPlanBytes+1))
	if err != nil {
		return nil, fmt.Errorf("share: the link is damaged: %w", err)
	}
	return out, nil
}

// Package octopus is a small client for the Octopus Server REST API calls
// the wizard needs: the root document, the current user, the server
// certificate thumbprint, the cluster nodes, the names offered as choices,
// and machines by Tentacle thumbprint. The API key travels only in the
// X-Octopus-ApiKey header; it never appears in a URL, an error or a log.
package octopus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds every call when the caller's context has no deadline.
const DefaultTimeout = 10 * time.Second

// maxBody bounds a response body; the documents read here are small.
const maxBody = 8 << 20

// Client calls one Octopus Server.
type Client struct {
	base   *url.URL
	apiKey string
	http   *http.Client
}

// New returns a client for the server at serverURL. apiKey may be empty for
// the anonymous calls (root, Redis status). httpClient nil means a client
// with DefaultTimeout. The client uses a copy of httpClient that refuses
// redirects to another origin (RedirectError), so the key never leaves the
// scheme, host and port of serverURL.
func New(serverURL, apiKey string, httpClient *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimSuffix(serverURL, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("octopus: server url must be an absolute http(s) address")
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{base: u, apiKey: apiKey, http: withSafeRedirects(httpClient)}, nil
}

// HasKey reports whether the client sends an API key.
func (c *Client) HasKey() bool { return c.apiKey != "" }

// Error is a failed API call, safe to show: it names the path and the
// status, and Octopus's own error message, never the key.
type Error struct {
	// Method is the HTTP method; empty means GET.
	Method  string
	Path    string
	Status  int
	Message string
}

func (e *Error) Error() string {
	method := e.Method
	if method == "" {
		method = http.MethodGet
	}
	msg := fmt.Sprintf("octopus: %s %s: HTTP %d", method, e.Path, e.Status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// ErrUnauthorized matches (errors.Is) a 401 or 403 answer.
var ErrUnauthorized = errors.New("octopus: the API key was refused")

// ErrNotFound matches a 404 answer.
var ErrNotFound = errors.New("octopus: not found")

// Is lets errors.Is match the status classes.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	}
	return false
}

// get fetches path (with query) and decodes the JSON answer into v.
func (c *Client) get(ctx context.Context, path string, query url.Values, v any) error {
	return c.do(ctx, http.MethodGet, path, query, nil, v)
}

// post sends body as JSON to path and decodes the JSON answer into v.
func (c *Client) post(ctx context.Context, path string, body, v any) error {
	return c.do(ctx, http.MethodPost, path, nil, body, v)
}

// do sends one request; body, when not nil, is encoded as JSON. The
// answer is decoded into v unless v is nil.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, v any) error {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	if _, ok := ctx.Deadline(); !ok && c.http.Timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	var reqBody io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("octopus: %s %s: %w", method, path, err)
		}
		reqBody = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), reqBody)
	if err != nil {
		return fmt.Errorf("octopus: %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.apiKey != "" {
		req.Header.Set("X-Octopus-ApiKey", c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("octopus: %s %s: %w", method, path, scrub(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("octopus: %s %s: read: %w", method, path, scrub(err))
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			ErrorMessage string
			Errors       []string
		}
		_ = json.Unmarshal(data, &e)
		msg := e.ErrorMessage
		if len(e.Errors) > 0 {
			msg = strings.TrimSpace(msg + " " + strings.Join(e.Errors, "; "))
		}
		if method == http.MethodGet {
			method = ""
		}
		return &Error{Method: method, Path: path, Status: resp.StatusCode, Message: msg}
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("octopus: %s %s: the answer is not the expected JSON", method, path)
	}
	return nil
}

// scrub drops the request URL from transport errors; the URL carries no
// key, but a shorter message reads better beside the path.
func scrub(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}

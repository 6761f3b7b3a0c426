package octopus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Reason says in plain words why a call failed, for people: no Go error
// text, no URL, never the key.
func Reason(err error) string {
	var ae *Error
	var re *RedirectError
	switch {
	case errors.As(err, &re):
		return fmt.Sprintf("the server redirected to %s; redirects to another scheme, host or port are not followed, so the API key is never sent there: if that is the server's address, put it in server.url", re.To)
	case errors.Is(err, ErrTooManyRedirects):
		return "the server kept redirecting (more than 10 times)"
	case errors.Is(err, ErrUnauthorized):
		return "the API key was refused (HTTP 401/403): check the key and that its user can see this space"
	case errors.As(err, &ae):
		if ae.Message != "" {
			return fmt.Sprintf("HTTP %d: %s", ae.Status, ae.Message)
		}
		return fmt.Sprintf("HTTP %d", ae.Status)
	case IsTimeout(err):
		return "no answer before the timeout"
	}
	return "the server could not be reached (" + DialReason(err) + ")"
}

// DialReason names a connection failure: timed out, refused, unresolvable.
func DialReason(err error) string {
	var dns *net.DNSError
	switch {
	case IsTimeout(err):
		return "timed out"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &dns):
		return "the name does not resolve"
	}
	return "network error"
}

// IsTimeout reports whether err is a deadline or network timeout.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

package plan

import (
	"fmt"
	"io"
	"strings"
)

// subscriptionAlphabet is Tentacle's RandomStringGenerator alphabet
// (T/Util/PollingSubscriptionId.cs), lower-cased as Tentacle does.
const subscriptionAlphabet = "abcdefghjklmnpqrstuvwxyz23456789"

const subscriptionIDChars = 20

// NewSubscriptionID returns poll://<20 characters>/ drawn from Tentacle's
// own alphabet, reading randomness from r (crypto/rand.Reader in
// production). The alphabet has 32 letters, so every byte maps without bias.
func NewSubscriptionID(r io.Reader) (string, error) {
	var buf [subscriptionIDChars]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return "", fmt.Errorf("plan: subscription id: %w", err)
	}
	var b strings.Builder
	b.WriteString("poll://")
	for _, c := range buf {
		b.WriteByte(subscriptionAlphabet[c%byte(len(subscriptionAlphabet))])
	}
	b.WriteString("/")
	return b.String(), nil
}

// WithSubscriptionID returns the normalized plan with a new subscription id
// when it has none (for a fleet: every machine without one gets its own),
// so that the XML, the scripts and a re-run agree.
func (p Plan) WithSubscriptionID(r io.Reader) (Plan, error) {
	q := p.Normalized()
	if q.HasFleet() {
		// Every machine its own id; the fleet's tentacle is no machine.
		return q, fleetIDs(q.Fleet, r)
	}
	if q.Tentacle.SubscriptionID != "" {
		return q, nil
	}
	id, err := NewSubscriptionID(r)
	if err != nil {
		return q, err
	}
	q.Tentacle.SubscriptionID = id
	return q, nil
}

// ValidSubscriptionID reports whether s is poll:// + 20 of [a-z0-9] + /.
func ValidSubscriptionID(s string) bool {
	rest, ok := strings.CutPrefix(s, "poll://")
	if !ok || len(rest) != subscriptionIDChars+1 || rest[subscriptionIDChars] != '/' {
		return false
	}
	for i := 0; i < subscriptionIDChars; i++ {
		c := rest[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

package egress

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// ErrDenied is matched (errors.Is) by every *DeniedError: an outbound
// connection refused by the policy.
var ErrDenied = errors.New("egress: connection denied")

// ErrInvalid is matched (errors.Is) by every *ParseError: an allow-list entry
// or a mode string that cannot be parsed.
var ErrInvalid = errors.New("egress: invalid configuration")

// DeniedError reports an outbound connection the policy refused. It is
// returned by [Policy.Check], by the dial functions and by the HTTP wrappers
// (wrapped in a *url.Error by net/http clients; errors.As still finds it).
type DeniedError struct {
	// Host is the host name that was dialled, lower-cased and without a
	// trailing dot. Empty when only an IP address was known (an IP literal
	// destination or [Policy.Control]); the address as given for a network
	// that is not tcp or udp.
	Host string
	// Addr is the IP address and port the connection would have used. It is
	// the zero AddrPort when the destination was refused before name
	// resolution (see Port).
	Addr netip.AddrPort
	// Port is the destination port; it equals Addr.Port() when Addr is valid.
	Port int
	// Reason says which rule refused the connection.
	Reason string
}

// Error implements error.
func (e *DeniedError) Error() string {
	var b strings.Builder
	b.WriteString("egress: connection to ")
	b.WriteString(destination(e.Host, e.Addr, e.Port))
	b.WriteString(" denied: ")
	b.WriteString(e.Reason)
	return b.String()
}

// Is reports whether target is ErrDenied.
func (e *DeniedError) Is(target error) bool { return target == ErrDenied }

// destination renders "host [ip:port]", "host:port" or "ip:port".
func destination(host string, addr netip.AddrPort, port int) string {
	switch {
	case host != "" && addr.IsValid():
		return host + " [" + addr.String() + "]"
	case host != "":
		if port > 0 {
			return joinHostPort(host, port)
		}
		return host
	case addr.IsValid():
		return addr.String()
	default:
		return "<unknown destination>"
	}
}

func joinHostPort(host string, port int) string {
	if strings.IndexByte(host, ':') >= 0 {
		return "[" + host + "]:" + strconv.Itoa(port)
	}
	return host + ":" + strconv.Itoa(port)
}

// ParseError reports a configuration string that could not be parsed. What
// names the kind of input ("allow-list entry 3", "mode"), Entry is the
// offending text exactly as given, and Reason says what is wrong with it.
type ParseError struct {
	What   string
	Entry  string
	Reason string
}

// Error implements error.
func (e *ParseError) Error() string {
	return "egress: invalid " + e.What + " " + strconv.Quote(e.Entry) + ": " + e.Reason
}

// Is reports whether target is ErrInvalid.
func (e *ParseError) Is(target error) bool { return target == ErrInvalid }

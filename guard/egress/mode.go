package egress

import (
	"strconv"
	"strings"
)

// Mode says what happens to a connection the allow list does not cover.
type Mode uint8

const (
	// Block refuses the connection with a *DeniedError and reports it to
	// Config.OnDeny. It is the zero value.
	Block Mode = iota
	// Monitor lets the connection through and reports it to Config.OnDeny
	// with Denial.Monitored set, for rolling out an allow list safely.
	Monitor
)

// String returns "block" or "monitor".
func (m Mode) String() string {
	switch m {
	case Block:
		return "block"
	case Monitor:
		return "monitor"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// ParseMode parses FNGUARD_EGRESS_MODE: "block" (also the empty string) or
// "monitor", case-insensitive, surrounding spaces ignored.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "block":
		return Block, nil
	case "monitor":
		return Monitor, nil
	}
	return Block, &ParseError{What: "mode", Entry: s, Reason: `want "block" or "monitor"`}
}

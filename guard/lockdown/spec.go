package lockdown

import "strings"

// Spec selects the lockdowns to apply. The zero Spec applies none.
type Spec struct {
	// Exec forbids starting programs (execve/execveat) for the rest of the
	// process's life. See Exec.
	Exec bool
}

// String returns the canonical FNGUARD_LOCKDOWN text: "off" or "exec".
func (s Spec) String() string {
	if s.Exec {
		return "exec"
	}
	return "off"
}

// ParseSpec parses FNGUARD_LOCKDOWN: "" or "off" (no lockdown), or a
// comma-separated list of lockdowns, currently only "exec". Tokens are
// case-insensitive and may be surrounded by spaces. The error, a *ParseError,
// names the first bad token.
func ParseSpec(s string) (Spec, error) {
	trimmed := strings.ToLower(strings.TrimSpace(s))
	if trimmed == "" || trimmed == "off" {
		return Spec{}, nil
	}
	var spec Spec
	for tok := range strings.SplitSeq(trimmed, ",") {
		tok = strings.TrimSpace(tok)
		switch tok {
		case "exec":
			spec.Exec = true
		case "":
			return Spec{}, &ParseError{Input: s, Token: tok, Reason: "empty token (stray comma?)"}
		case "off":
			return Spec{}, &ParseError{Input: s, Token: tok, Reason: `"off" cannot be combined with other lockdowns`}
		case "fs":
			return Spec{}, &ParseError{Input: s, Token: tok, Reason: "not supported: Landlock restricts only the calling thread " +
				"unless the kernel offers LANDLOCK_RESTRICT_SELF_TSYNC, and a Go process cannot confine all its threads otherwise"}
		default:
			return Spec{}, &ParseError{Input: s, Token: tok, Reason: `unknown lockdown; want "exec" or "off"`}
		}
	}
	return spec, nil
}

// Apply applies every lockdown in spec; the zero Spec is a no-op.
func Apply(spec Spec) error {
	if spec.Exec {
		return Exec()
	}
	return nil
}

// ApplyMonitor is Apply for monitor mode: it refuses nothing (see
// ExecMonitor). The zero Spec is a no-op.
func ApplyMonitor(spec Spec) error {
	if spec.Exec {
		return ExecMonitor()
	}
	return nil
}

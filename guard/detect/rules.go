package detect

import (
	"strconv"
	"strings"
)

// Confidence says how sure a rule is that a match is an attack.
type Confidence uint8

const (
	// High: the syntax has no plausible benign use in client input.
	High Confidence = iota
	// Medium: attack syntax that benign text rarely spells.
	Medium
	// Low: a probe or a fragment that a scanner sends, or syntax a
	// technical user may occasionally type.
	Low
)

var confidenceNames = [...]string{"high", "medium", "low"}

// String returns "high", "medium" or "low".
func (c Confidence) String() string {
	if int(c) < len(confidenceNames) {
		return confidenceNames[c]
	}
	return "Confidence(" + strconv.Itoa(int(c)) + ")"
}

// RuleInfo describes one built-in rule: the id a [Match] reports, what it
// finds, and the examples its table tests run (every attack example must
// be reported with this rule id, every benign look-alike must produce no
// match at all).
type RuleInfo struct {
	ID          string
	Category    Category
	Confidence  Confidence
	Description string
	// Kind and Parent describe how the examples are scanned (most rules
	// apply to values; a few only to object keys).
	Kind   Kind
	Parent string
	// XML scans the attack examples as a whole XML request body.
	XML     bool
	Attacks []string
	Benign  []string
	// padded are attack examples padded between their tokens, which the
	// engines skip, to step past a byte window. They are built when the
	// inventory is read (Rules, LookupRule appends them to Attacks), so
	// that the package's init builds no example.
	padded []pad
}

// pad is text with each blank widened to n of blank.
type pad struct {
	text, blank string
	n           int
}

// withPadded is r with its padded examples built and appended to Attacks.
func (r RuleInfo) withPadded() RuleInfo {
	if len(r.padded) == 0 {
		return r
	}
	attacks := make([]string, len(r.Attacks), len(r.Attacks)+len(r.padded))
	copy(attacks, r.Attacks)
	for _, p := range r.padded {
		attacks = append(attacks, strings.ReplaceAll(p.text, " ", strings.Repeat(p.blank, p.n)))
	}
	r.Attacks, r.padded = attacks, nil
	return r
}

// Rules returns the built-in rule inventory, in a stable order (category,
// then id). The slices are shared: do not modify them.
func Rules() []RuleInfo {
	out := make([]RuleInfo, len(ruleInventory))
	for i, r := range ruleInventory {
		out[i] = r.withPadded()
	}
	return out
}

// LookupRule returns the built-in rule with the given id.
func LookupRule(id string) (RuleInfo, bool) {
	for i := range ruleInventory {
		if ruleInventory[i].ID == id {
			return ruleInventory[i].withPadded(), true
		}
	}
	return RuleInfo{}, false
}

// IsRule reports whether id names a built-in rule.
//
// It reads ruleIDs, not the inventory, so that a binary which only checks
// rule ids (guard's exclusions) does not link every rule's description and
// examples.
func IsRule(id string) bool {
	if id == "" || strings.IndexByte(id, '\n') >= 0 {
		return false
	}
	i := strings.Index(ruleIDs, "\n"+id+"\n")
	return i >= 0
}

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
}

// Rules returns the built-in rule inventory, in a stable order (category,
// then id). The slices are shared: do not modify them.
func Rules() []RuleInfo {
	out := make([]RuleInfo, len(ruleInventory))
	copy(out, ruleInventory)
	return out
}

// LookupRule returns the built-in rule with the given id.
func LookupRule(id string) (RuleInfo, bool) {
	for i := range ruleInventory {
		if ruleInventory[i].ID == id {
			return ruleInventory[i], true
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

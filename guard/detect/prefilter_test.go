package detect

import (
	"strings"
	"testing"
)

// The pre-filter's literal searches are written for speed (one pass with
// a table of first bytes, loops without calls on short strings); these
// tests compare them with the plain searches they replace, which serve as
// reference oracles.

// hiddenPathRef is hiddenPath as one search per literal.
func hiddenPathRef(s string) bool {
	if strings.Contains(s, "..") || strings.Contains(s, "0x") || strings.Contains(s, "0X") || strings.Contains(s, "?.") ||
		containsFoldRef(s, "etc") || containsFoldRef(s, "win") || containsFoldRef(s, "system32") {
		return true
	}
	for _, f := range bareSensitiveFiles {
		if containsFoldRef(s, f) {
			return true
		}
	}
	for _, f := range wordSensitiveFiles {
		if containsFoldRef(s, f) {
			return true
		}
	}
	return false
}

// containsFoldRef is containsFold by definition: lit (lower case) at some
// offset, reading s's ASCII letters in lower case.
func containsFoldRef(s, lit string) bool {
	for i := 0; i+len(lit) <= len(s); i++ {
		if hasFoldAt(s, i, lit) {
			return true
		}
	}
	return false
}

func prefilterInputs(t testing.TB) []string {
	var out []string
	for _, s := range gateInputs(t) {
		out = append(out, mutations(s)...)
	}
	out = append(out, "", ".", "..", "0X1", "?.x", "ETC", "WiN.InI", "boot.in", "xsystem3", "TOMCAT-USERS.XML",
		"abc123.execute-api.eu-west-1.amazonaws.com", "198.51.100.23", "siobhan.obrien+orders@example.com")
	// around shortScan, where contains and containsFold change method
	for n := shortScan - 4; n <= shortScan+2; n++ {
		out = append(out, strings.Repeat("0", n)+"x", strings.Repeat("e", n)+"tc", strings.Repeat("E", n)+"TC",
			strings.Repeat("u", n)+"nion", strings.Repeat("a", n)+"ced0005", strings.Repeat("%", n)+"5C")
	}
	return out
}

func TestPrefilterLiterals(t *testing.T) {
	for _, s := range prefilterInputs(t) {
		checkPrefilterLiterals(t, s)
	}
}

func FuzzPrefilterLiterals(f *testing.F) {
	for _, s := range prefilterInputs(f) {
		f.Add(s)
	}
	f.Fuzz(checkPrefilterLiterals)
}

func checkPrefilterLiterals(t *testing.T, s string) {
	if got, want := hiddenPath(s), hiddenPathRef(s); got != want {
		t.Errorf("hiddenPath(%q) = %v, reference %v", s, got, want)
	}
	for _, lit := range []string{"..", "0x", "etc", "union", "aced0005", "@ognl.", "%5c", "fd00:ec2::254", "metadata.google.internal"} {
		if got, want := containsFold(s, lit), containsFoldRef(s, lit); got != want {
			t.Errorf("containsFold(%q, %q) = %v, reference %v", s, lit, got, want)
		}
		if got, want := contains(s, lit), strings.Contains(s, lit); got != want {
			t.Errorf("contains(%q, %q) = %v, strings.Contains %v", s, lit, got, want)
		}
	}
}

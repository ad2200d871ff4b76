package detect

import (
	"strings"
	"testing"
)

// The pre-filter's literal searches are written for speed (one pass with
// a table of first bytes, loops without calls on short strings); these
// tests compare them with the plain searches they replace, which serve as
// reference oracles.

// boringHintRef is boringHint with one search per literal (as it was
// written before boringLits), the reference for its one-pass form. Keep
// it in step with boringHint: a test added there is added here too.
func boringHintRef(s string, cls uint32) bool {
	return cls&kDot != 0 && hiddenPathRef(s) || sqlHint(s, cls, 0) || cls&kDigit != 0 && overflowValue(s) ||
		cls&kUnder != 0 && containsFoldRef(s, "__proto__") || cls&(kDash|kComma) != 0 && cmdLineHint(s) ||
		cls&kBang != 0 && strings.Contains(s, "!!") || cls&(kDigit|kUpper) != 0 && deserMarker(s, cls) ||
		cls&(kDot|kUnder) != 0 && metadataNameHintRef(s, cls) ||
		cls&kDot != 0 && (containsFoldRef(s, "constructor") || containsFoldRef(s, "classloader") || dotFileHintRef(s) || len(s) <= 24 && cookieValue(s)) ||
		cls&(kDigit|kDot) == kDigit|kDot && metadataIPText(s) || ognlHint(s, cls) || cls&kDot != 0 && javaClassHint(s)
}

// hiddenPathRef: a traversal or a sensitive file name without separators.
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

// dotFileHintRef: the dot-files sensitivePath finds without a separator.
func dotFileHintRef(s string) bool {
	for _, f := range []string{".bash_history", ".htpasswd", ".netrc", ".pgpass", ".mysql_history", ".htaccess", ".env"} {
		if containsFoldRef(s, f) {
			return true
		}
	}
	return false
}

// metadataNameHintRef: the names metadataText flags in any text.
func metadataNameHintRef(s string, cls uint32) bool {
	return cls&kDot != 0 && containsFoldRef(s, "metadata.google.internal") ||
		cls&kUnder != 0 && containsFoldRef(s, "aws_lambda_runtime_api")
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

// literalInputs are strings at the edges of the literal searches.
func literalInputs() []string {
	out := []string{"", ".", "..", "0X1", "?.x", "ETC", "WiN.InI", "boot.in", "xsystem3", "TOMCAT-USERS.XML",
		"a__PROTO__", "__proto_", "x!!", "Metadata.Google.Internal", "AWS_LAMBDA_RUNTIME_API", "ConstructoR.x", "a.classloade",
		".HTACCESS", ".en", "169.254.1", "100.100.100.200", "FD00:EC2::254.", "fd00:ec2::25",
		"abc123.execute-api.eu-west-1.amazonaws.com", "198.51.100.23", "siobhan.obrien+orders@example.com"}
	// around shortScan, where contains and containsFold change method
	for n := shortScan - 4; n <= shortScan+2; n++ {
		out = append(out, strings.Repeat("0", n)+"x", strings.Repeat("e", n)+"tc", strings.Repeat("E", n)+"TC",
			strings.Repeat("u", n)+"nion", strings.Repeat("a", n)+"ced0005", strings.Repeat("%", n)+"5C")
	}
	return out
}

func TestPrefilterLiterals(t *testing.T) {
	for _, s := range gateInputs(t) {
		for _, m := range mutations(s) {
			checkPrefilterLiterals(t, m)
		}
	}
	for _, s := range literalInputs() {
		checkPrefilterLiterals(t, s)
	}
}

func FuzzPrefilterLiterals(f *testing.F) {
	for _, s := range literalInputs() {
		f.Add(s)
	}
	for _, r := range Rules() {
		f.Add(r.Attacks[0])
	}
	f.Fuzz(checkPrefilterLiterals)
}

func checkPrefilterLiterals(t *testing.T, s string) {
	// (the pre-filter asks only about strings of boring classes; the two
	// agree on any string)
	checkClassifyWords(t, s)
	cls, sw := classifyWords(s)
	if want := boringHintRef(s, cls); boringHint(s, cls, 0) != want || boringHint(s, cls, sw) != want {
		t.Errorf("boringHint(%q) = %v, with classifyWords' search %v, reference %v", s, boringHint(s, cls, 0), boringHint(s, cls, sw), want)
	}
	m := boringLits.mask(s)
	for _, c := range []struct {
		bit  uint16
		want bool
	}{
		{bHidden, hiddenPathRef(s)},
		{bProto, containsFoldRef(s, "__proto__")},
		{bBang, strings.Contains(s, "!!")},
		{bMetaName, containsFoldRef(s, "metadata.google.internal") || containsFoldRef(s, "aws_lambda_runtime_api")},
		{bClass, containsFoldRef(s, "constructor") || containsFoldRef(s, "classloader")},
		{bDotFile, dotFileHintRef(s)},
		{bMetaIP, metadataIPText(s)},
	} {
		if got := m&c.bit != 0; got != c.want {
			t.Errorf("boringLits.mask(%q) bit %#x = %v, reference %v", s, c.bit, got, c.want)
		}
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

package detect

// Category is an attack class reported by a [Match].
type Category string

// The attack categories, in the stable order returned by [Categories].
const (
	SQLi           Category = "sqli"
	XSS            Category = "xss"
	CmdI           Category = "cmdi"
	PathTraversal  Category = "path_traversal"
	SSRF           Category = "ssrf"
	NoSQLi         Category = "nosqli"
	SSTI           Category = "ssti"
	JNDI           Category = "jndi"
	ProtoPollution Category = "proto_pollution"
	XXE            Category = "xxe"
	LDAPi          Category = "ldapi"
	// CRLF is header / protocol injection: a line break followed by an
	// HTTP header, a second request or status line, or a mail-protocol
	// (SMTP/IMAP/POP) command.
	CRLF Category = "crlf"
	// Deserialization is a serialised object that instantiates classes
	// when decoded: YAML language tags, Java and .NET serialisation
	// streams, PHP objects, Json.NET $type gadgets, node-serialize.
	Deserialization Category = "deserialization"
	// AttackTool is the signature of a known attack tool or scanner
	// (sqlmap, nuclei, ffuf, Nikto, OpenVAS...), typically in User-Agent.
	// guard reports it in monitor mode unless configured otherwise.
	AttackTool Category = "attack_tool"
	// SessionFixation is a session identifier forced on a client: a
	// script or markup that sets a cookie with attributes
	// (document.cookie="sid=1; path=/", <meta http-equiv="Set-Cookie">),
	// or a request parameter named as a server's session cookie
	// (?JSESSIONID=..., ?PHPSESSID=...).
	SessionFixation Category = "session_fixation"
)

var allCategories = [...]Category{SQLi, XSS, CmdI, PathTraversal, SSRF, NoSQLi, SSTI, JNDI, ProtoPollution, XXE, LDAPi, CRLF, Deserialization, AttackTool, SessionFixation}

// catIndex values index allCategories; a catSet is a bit set over them.
type catIndex uint8

const (
	ciSQLi catIndex = iota
	ciXSS
	ciCmdI
	ciPath
	ciSSRF
	ciNoSQL
	ciSSTI
	ciJNDI
	ciProto
	ciXXE
	ciLDAP
	ciCRLF
	ciDeser
	ciTool
	ciSess
	numCategories
)

type catSet uint16

const allCats catSet = 1<<numCategories - 1

func (s catSet) has(i catIndex) bool { return s&(1<<i) != 0 }

// Categories returns every category in a stable order (a new slice each call).
func Categories() []Category {
	out := make([]Category, len(allCategories))
	copy(out, allCategories[:])
	return out
}

// ParseCategory returns the Category named s (exact, lower-case match). The
// error, a [*CategoryError] wrapping [ErrUnknownCategory], names the bad
// value and lists the valid ones.
func ParseCategory(s string) (Category, error) {
	if _, ok := categoryIndex(Category(s)); ok {
		return Category(s), nil
	}
	return "", &CategoryError{Value: s}
}

func categoryIndex(c Category) (catIndex, bool) {
	for i, v := range allCategories {
		if v == c {
			return catIndex(i), true
		}
	}
	return 0, false
}

// String returns the category name.
func (c Category) String() string { return string(c) }

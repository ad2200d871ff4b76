package detect

// Attack-tool signatures: the User-Agent strings and banners of scanners
// and exploitation tools (sqlmap, Nikto, Nuclei, ffuf, OpenVAS, WPScan,
// masscan, gobuster, ...). A tool name counts only in the shape the tool
// sends it (name/version, the tool's own phrase), never as a word in
// prose, and only in text with more than words (a '/', '(' or ';'):
// "we scanned it with sqlmap last week" passes.

// toolSignatures: a name that must be followed by '/' and a digit or
// 'v' (name/1.2), or a phrase the tool sends as is.
var toolSignatures = [...]struct {
	sig     string
	version bool // followed by '/' or '-' and a version
}{
	{"sqlmap", true}, {"nikto", true}, {"nuclei", true}, {"ffuf", true}, {"masscan", true}, {"gobuster", true},
	{"feroxbuster", true}, {"dirbuster", true}, {"wfuzz", true}, {"zgrab", true}, {"commix", true},
	{"arachni", true}, {"jaeles", true}, {"hydra", true}, {"dirsearch", true}, {"whatweb", true},
	{"openvas", true}, {"skipfish", true}, {"xsstrike", true}, {"nmap", true},
	{"paros", true}, {"havij", true}, {"sqlninja", true}, {"xsser", true}, {"wapiti", true}, {"dirb", true},
	{"uniscan", true}, {"webinspect", true}, {"appscan", true}, {"fimap", true}, {"joomscan", true}, {"cmsmap", true},
	{"droopescan", true}, {"nessus", true}, {"grabber", true}, {"bsqlbf", true}, {"webshag", true}, {"zmeu", true},
	{"(hydra)", false}, {"morfeus fucking scanner", false}, {"nessus soap", false}, {"(nessus", false},
	{"fuzz faster u fool", false}, {"nmap scripting engine", false}, {"nuclei - open-source project", false},
	{"openvas-vt", false}, {"wpscan v", false}, {"(acunetix", false}, {"acunetix web vulnerability scanner", false},
	{"netsparker", false}, {"w3af.org", false}, {"burpcollaborator.net", false}, {"interact.sh", false},
	{"oast.fun", false}, {"oast.pro", false}, {"oast.live", false}, {"projectdiscovery", false},
}

// toolClasses: a signature comes in text with a '/', '(', ')', ';' or '<'.
const toolClasses = kSlash | kParen | kSemi | kLT

func detectTool(st *state) hit {
	if st.cls&toolClasses == 0 {
		return hit{}
	}
	b := st.n
	for _, t := range toolSignatures {
		for i := indexFrom(b, t.sig, 0); i >= 0; i = indexFrom(b, t.sig, i+1) {
			if i > 0 && isIdent(b[i-1]) {
				continue
			}
			e := i + len(t.sig)
			if e < len(b) && isIdent(b[e]) && isIdent(t.sig[len(t.sig)-1]) && !(t.sig[len(t.sig)-2] == ' ' && isDigit(b[e])) {
				// A longer word ("projectdiscovery0"), as the keyword gate
				// reads it; a phrase ending in " v" goes on with its version.
				continue
			}
			if !t.version {
				return hit{rule: "tool.signature", frag: around(b, i, e+16)}
			}
			if e+1 < len(b) && (b[e] == '/' || b[e] == '-') && (isDigit(b[e+1]) || b[e+1] == 'v' && e+2 < len(b) && isDigit(b[e+2])) {
				return hit{rule: "tool.signature", frag: around(b, i, e+16)}
			}
		}
	}
	return hit{}
}

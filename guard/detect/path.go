package detect

import "strings"

// Path traversal and local file access: dot-dot segments in every
// encoding (the normaliser already folded %2e, %c0%ae, %u002e, ...), with
// any separator or decoding debris between them; absolute paths to
// sensitive files (/etc/passwd, /proc/self/environ, the Lambda task and
// runtime directories, win.ini, boot.ini); file:// URLs.

// junkLen returns the length of separator-like debris at b[i:]: '/', '\\',
// and any non-alphanumeric, non-space, non-dot byte, plus undecodable
// "%xx" triplets (as produced by fuzzers: %c0%9v, %bg%qf).
func junkLen(b []byte, i int) int {
	j := i
	for j < len(b) && j-i < 24 {
		c := b[j]
		switch {
		case c == '%' && j+2 < len(b):
			j += 3
		case c == '/' || c == '\\':
			j++
		case isAlnum(c) || c == '.' || c == ' ' || c == '_' || c == '-' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '=' || c == ',' || c == '(' || c == ')' || c == '&' || c == '#':
			return j - i
		case c >= 0x80:
			j++
		default:
			j++
		}
	}
	return j - i
}

// sepThen reports whether, after the path component ending at i, one of
// names follows a separator. The separator may be any debris of at most 12
// bytes without spaces that starts with (in text as sent) and holds a
// non-alphanumeric byte ("%5%c" from
// fuzzed double encodings), a single non-alphanumeric byte, or, when glued
// says the text came out of decoding, a single letter or digit ("etc" "o"
// "issue" after %c1%af decoded strictly). It returns the end of the name.
func sepThen(b []byte, i int, glued bool, names *sepNames) (int, bool) {
	for p := i + 1; p <= i+12 && p < len(b); p++ {
		c := b[p-1]
		if c == ' ' || c == '\t' || c == '\n' {
			return 0, false
		}
		for _, f := range names.by[b[p]] {
			// only the names that start with the byte here, in order
			if hasAt(b, p, f) {
				// '_' joins words as the keyword gate reads them
				// ("etc__proto__hosts" is one word): it separates
				// nothing.
				if p == i+1 && (glued || !isIdent(c)) {
					return p + len(f), true
				}
				if !glued && (isIdent(b[i]) || isIdent(c) && c != '_') {
					// longer debris starts with a byte that can separate,
					// and ends with one: the name starts a word there
					// ("windows/ftsystem.c" names another file)
					continue
				}
				for k := i; k < p; k++ {
					if !isIdent(b[k]) {
						return p + len(f), true
					}
				}
			}
		}
	}
	return 0, false
}

// sepNames are the names sepThen looks for after a directory, by their
// first byte, each list in the order given.
type sepNames struct {
	by [256][]string
}

func newSepNames(names ...string) *sepNames {
	s := &sepNames{}
	for _, f := range names {
		s.by[f[0]] = append(s.by[f[0]], f)
	}
	return s
}

// The names after etc, windows or winnt, and system32.
var (
	etcNames      = newSepNames(etcFiles[:]...)
	windowsNames  = newSepNames("system32", "system.ini", "win.ini", "repair", "panther", "debug", "system", "php.ini", "ntds", "sysnative", "syswow64")
	system32Names = newSepNames("config", "drivers", "cmd.exe", "inetsrv", "logfiles", "wbem")
)

// homeFiles are the shell, tool and editor files of a home directory that
// hold history, credentials or configuration (CRS restricted files).
var homeFiles = [...]string{".bashrc", ".bash_profile", ".bash_logout", ".zsh_history", ".sh_history", ".psql_history",
	".python_history", ".node_repl_history", ".php_history", ".sqlite_history", ".rediscli_history", ".lesshst", ".viminfo",
	".npmrc", ".yarnrc", ".gitconfig", ".git-credentials", ".htdigest", ".ds_store", ".rhosts", ".xauthority", ".pypirc", ".s3cfg"}

var etcFiles = [...]string{"ssl/private", "passwd", "shadow", "hosts", "issue", "group", "master.passwd", "sudoers", "pwd.db", "spwd.db",
	"motd", "hostname", "resolv.conf", "fstab", "mtab", "inittab", "crontab", "environment", "profile",
	"security", "ssh", "mysql", "httpd", "apache", "nginx", "php", "my.cnf", "network", "init.d", "rc.d", "pam.d",
	"aliases", "lsb-release", "os-release", "redhat-release", "debian_version", "gshadow", "netplan", "proftpd",
	"vsftpd", "krb5", "ldap", "samba", "x11", "apt", "yum"}

func isSep(c byte) bool { return c == '/' || c == '\\' }

func detectPath(st *state) hit {
	const need = kDot | kSlash | kBslash | kColon | kPct | kCtl | kHigh | kTilde
	if (st.cls|st.rawCls)&need == 0 {
		return hit{}
	}
	b := st.n
	if k := hexNotationAt(b, 0); k >= 0 {
		// "0x2e0x2e0x5c": hex-notation dots and separators (dotdotpwn)
		b = hexNotationView(st.scratch(), b, k)
	}
	if h := dotDot(b); h.rule != "" {
		return h
	}
	if h := sensitivePath(b, st.decoded); h.rule != "" {
		return h
	}
	if st.f&fURL != 0 && st.f&(fQuest|fDigit|fSQLComment) != 0 {
		if h := rfiURL(b); h.rule != "" {
			return h
		}
	}
	if st.cls&kBslash != 0 {
		if h := uncPath(b); h.rule != "" {
			return h
		}
	}
	// An unexpanded fuzzer placeholder in a path ("/..%c0%af{file}",
	// "/////{FILE}"): a traversal scanner's template reached the API.
	if st.f&fBrace != 0 && st.cls&(kSlash|kBslash) != 0 {
		if i := indexFrom(b, "{file}", 0); i >= 0 {
			return hit{rule: "path.fuzz_placeholder", frag: around(b, max(0, i-32), i+6)}
		}
	}
	return hit{}
}

// hexNotationAt returns the index of the first "0x2e", "0x2f" or "0x5c"
// in b from i on, or -1. (A "0x" before any other pair names no path byte:
// the view would be b itself. Random base64 spells "0x" every few KB.)
func hexNotationAt(b []byte, i int) int {
	for i = indexFrom(b, "0x", i); i >= 0 && i+3 < len(b); i = indexFrom(b, "0x", i+1) {
		if hexNotationByte(b[i+2], b[i+3]) != 0 {
			return i
		}
	}
	return -1
}

// hexNotationByte returns the byte 0x2e, 0x2f or 0x5c names ('.', '/',
// '\\') given its two hex digits as b holds them, or 0.
func hexNotationByte(x, y byte) byte {
	switch {
	case x == '2' && y == 'e':
		return '.'
	case x == '2' && y == 'f':
		return '/'
	case x == '5' && y == 'c':
		return '\\'
	}
	return 0
}

// hexNotationView rewrites 0x2e, 0x2f and 0x5c as the bytes they name;
// k is the first of them (hexNotationAt). What lies between them is
// copied in runs.
func hexNotationView(dst, b []byte, k int) []byte {
	last := 0
	for i := k; i >= 0; i = hexNotationAt(b, i+4) {
		dst = append(dst, b[last:i]...)
		dst = append(dst, hexNotationByte(b[i+2], b[i+3]))
		last = i + 4
	}
	return append(dst, b[last:]...)
}

// dotDot counts traversal units: a run of exactly two dots or of four or
// more ("....//"), bounded on both sides by separators/debris or the ends of
// the string. "..." (an ellipsis) and "report..final" do not count.
func dotDot(b []byte) hit {
	units, single := 0, 0
	first := -1
	startUnit := false
	n := len(b)
	for i := 0; i < n; {
		if b[i] != '.' {
			// to the next dot (IndexByte: a value without one costs a
			// scan, not a loop turn a byte)
			k := indexByte(b[i+1:], '.')
			if k < 0 {
				break
			}
			i += 1 + k
		}
		j := i
		for j < n && b[j] == '.' {
			j++
		}
		run := j - i
		sepBoth := i > 0 && isSep(b[i-1]) && j < n && (isSep(b[j]) || b[j] == '{')
		if run == 3 && sepBoth {
			// "/.../" is a traversal probe, "..." in prose is an ellipsis
			run = 2
		}
		if run == 1 && sepBoth && b[j] != '{' {
			// "/./" segments: a normalisation probe when repeated
			single++
			if single >= 4 {
				return hit{rule: "path.traversal", frag: span(b, max(0, i-1), i-1+MaxFragment)}
			}
		}
		if run == 2 || run >= 4 {
			left := i == 0 || isSep(b[i-1]) || junkLen(b, i-1) > 0 && !isAlnum(b[i-1]) && b[i-1] != ' ' || b[i-1] == '=' || b[i-1] == ':'
			if i > 0 && (b[i-1] == '"' || b[i-1] == '\'' || b[i-1] == '(') {
				left = true
			}
			right := j == n || !isAlnum(b[j]) && b[j] != ' ' && b[j] != '_' && b[j] != '-' && b[j] != ',' && b[j] != ')' && b[j] != '"' && b[j] != '\''
			if left && right && (j < n || i > 0 && isSep(b[i-1])) {
				if units == 0 {
					first = i
					k := 0
					for k < i && (b[k] == ' ' || b[k] == '"' || b[k] == '\'' || isSep(b[k]) || b[k] == '.' && k+1 < i && isSep(b[k+1])) {
						k++
					}
					startUnit = k == i || b[i-1] == '=' || (b[i-1] == ':' && i >= 2 && isLetter(b[i-2]))
				}
				units++
				if units >= 2 {
					return hit{rule: "path.traversal", frag: span(b, first, first+MaxFragment)}
				}
			}
		}
		i = j
	}
	if units == 1 && startUnit {
		return hit{rule: "path.traversal", frag: span(b, first, first+MaxFragment)}
	}
	return hit{}
}

// sensitivePath finds names of sensitive files and directories, allowing
// any separator debris between the components.
// uncPath finds a Windows UNC path at a token start: \\host\share\...
// with a dotted host (an IP address or a domain) or an administrative
// share (c$, admin$), and the \\?\ and \\.\ device prefixes.
func uncPath(b []byte) hit {
	n := len(b)
	for i := indexFrom(b, `\\`, 0); i >= 0; i = indexFrom(b, `\\`, i+2) {
		if i > 0 && (isIdent(b[i-1]) || b[i-1] == '\\') {
			continue
		}
		j := i + 2
		if j+1 < n && (b[j] == '?' || b[j] == '.') && b[j+1] == '\\' {
			return hit{rule: "path.unc", frag: around(b, i, j+24)}
		}
		h := j
		dots := 0
		for h < n && (isIdent(b[h]) || b[h] == '.' || b[h] == '-') {
			if b[h] == '.' {
				dots++
			}
			h++
		}
		if h-j < 2 || h >= n || b[h] != '\\' {
			continue
		}
		s := h + 1
		e := s
		for e < n && (isIdent(b[e]) || b[e] == '$' || b[e] == '-' || b[e] == '.') {
			e++
		}
		if e > s && (dots > 0 || b[e-1] == '$') {
			return hit{rule: "path.unc", frag: around(b, i, e+24)}
		}
	}
	return hit{}
}

// sensitivePath finds sensitive files and directories. decoded says b
// came out of decoding, where a separator may have folded into a letter
// glued to the name ("%c1%afetc"); in a string as sent, "etc" must be a
// word of its own or follow undecodable percent debris ("%qfetc").
func sensitivePath(b []byte, decoded bool) hit {
	n := len(b)
	// Every file name of bareSensitiveFiles and wordSensitiveFiles has a
	// '.', every PHP stream wrapper a "://": without them in the value
	// those lists are not searched at each letter.
	dot := indexByte(b, '.') >= 0
	scheme := indexFrom(b, "://", 0) >= 0
	k := 0
	if dot {
		k = 1
	}
	if scheme {
		k |= 2
	}
	starts, pairs := &sensStarts[k], &sensPairs[k]
	for i := 0; i < n; i++ {
		c := b[i]
		if !starts[c] || i+1 >= n || pairs[c]>>(b[i+1]&63)&1 == 0 && !noSensPairs || c == '.' && !isLetter(b[i+1]) || i > 0 && !midWordLetter[c] && isAlnum(b[i-1]) {
			// the names at a '.' (case '.') have a letter after it;
			// inside a word only etc, windows, system32 and the bare
			// file names are looked for (every other case needs a word
			// start or a separator before it)
			continue
		}
		bounded := i == 0 || !(isAlnum(b[i-1]) || b[i-1] == '_' || b[i-1] == '-')
		switch c {
		case 'e':
			if hasAt(b, i, "etc") && i+3 < n && (bounded || decoded || pctDebris(b, i)) {
				if e, ok := sepThen(b, i+3, decoded || pctDebris(b, i), etcNames); ok && !pathMention(b, i, e, decoded) {
					return hit{rule: "path.sensitive_file", frag: around(b, i, e)}
				}
			}
		case 'p':
			if hasAt(b, i, "proc") && i+4 < n {
				j := i + 4
				if k := junkLen(b, j); k > 0 && i > 0 && isSep(b[i-1]) && (i == 1 || !isAlnum(b[i-2])) {
					p := j + k
					if hasAt(b, p, "self") || hasAt(b, p, "thread-self") || (p < n && isDigit(b[p])) || hasAt(b, p, "version") || hasAt(b, p, "cmdline") || hasAt(b, p, "mounts") || hasAt(b, p, "net") || hasAt(b, p, "sched_debug") {
						return hit{rule: "path.proc", frag: around(b, i-1, p+16)}
					}
				}
			}
		case 'v':
			if bounded && i > 0 && isSep(b[i-1]) && (hasAt(b, i, "var/task") || hasAt(b, i, "var/runtime") || hasAt(b, i, "var/log/") || hasAt(b, i, "var/run/secrets") || hasAt(b, i, "var/lib/mysql") || hasAt(b, i, "var/www/") || hasAt(b, i, "var/mail")) {
				if (i == 1 || !isAlnum(b[i-2])) && !pathMention(b, i-1, i, decoded) {
					return hit{rule: "path.sensitive_dir", frag: around(b, i-1, i+24)}
				}
			}
		case 'w', 'm':
			if bounded && (hasAt(b, i, "web-inf/") || hasAt(b, i, "web-inf\\") || hasAt(b, i, "meta-inf/") || hasAt(b, i, "meta-inf\\")) &&
				(i > 0 && (b[i-1] == '/' || b[i-1] == '\\') || afterDirSlash(b, i) < n && b[afterDirSlash(b, i)] > ' ') {
				// in a path: after a separator, or naming something inside
				// ("META-INF/context.xml"), not "the META-INF/ folder"
				return hit{rule: "path.sensitive_dir", frag: around(b, i, i+24)}
			}
		case 't':
			if !dot {
				break
			}
			for _, f := range wordSensitiveFiles {
				if f[0] == c && fileAt(b, i, f) && (i == 0 || !isIdent(b[i-1])) && nameAsPath(b, i, i+len(f)) {
					return hit{rule: "path.sensitive_file", frag: around(b, i, i+len(f))}
				}
			}
		}
		// boot.ini / win.ini may follow decoding debris that folded into a
		// letter ("%c1%afboot.ini" is "oboot.ini" under strict UTF-8).
		switch c {
		case 'b', 'w', 's', 'g':
			if !dot {
				break
			}
			for _, f := range bareSensitiveFiles {
				if f[0] == c && fileAt(b, i, f) && nameAsPath(b, i, i+len(f)) {
					return hit{rule: "path.sensitive_file", frag: around(b, i, i+len(f))}
				}
			}
		}
		switch c {
		case 'w':
			if (hasAt(b, i, "windows") || hasAt(b, i, "winnt")) && (decoded || i == 0 || !isIdent(b[i-1]) || pctDebris(b, i)) {
				// in text as sent a whole word ("swinnt" is another word,
				// as the keyword gate reads it)
				j := i + 5
				if hasAt(b, i, "windows") {
					j = i + 7
				}
				if e, ok := sepThen(b, j, decoded, windowsNames); ok && !pathMention(b, i, e, decoded) {
					return hit{rule: "path.sensitive_file", frag: around(b, i, e)}
				}
			}
		case 's':
			if hasAt(b, i, "system32") {
				if e, ok := sepThen(b, i+8, decoded, system32Names); ok && !pathMention(b, i, e, decoded) {
					return hit{rule: "path.sensitive_file", frag: around(b, i, e)}
				}
			}
		case '.':
			if i+1 >= n || !isLetter(b[i+1]) {
				break // every name below starts with a letter after the dot
			}
			for _, f := range dotFiles {
				if e := i + len(f); hasAt(b, i, f) && (e == n || !isIdent(b[e]) || f[len(f)-1] == '/') && (strings.IndexByte(f, '/') > 0 || nameAsPath(b, i, e)) && !pathMention(b, i, e, decoded) {
					// a whole name, as the keyword gate reads it (not ".pgpass__")
					return hit{rule: "path.sensitive_file", frag: around(b, i, e)}
				}
			}
			for _, f := range homeFiles {
				// a whole file name, not the start of another
				// ("settings.npmrc.json", ".bashrc-old")
				if e := i + len(f); hasAt(b, i, f) && (e == n || !isIdent(b[e]) && b[e] != '.' && b[e] != '-') && nameAsPath(b, i, e) && !pathMention(b, i, e, decoded) {
					return hit{rule: "path.sensitive_file", frag: around(b, i, e)}
				}
			}
			if hasAt(b, i, ".env") && (i == 0 || isSep(b[i-1])) && (i+4 == n || b[i+4] == '/' || b[i+4] == '?' || b[i+4] == '#' ||
				b[i+4] == '.' && i+5 < n && isLetter(b[i+5]) && identEnd(b, i+5) == n) && (i == 0 || i+4 == n || b[i+4] != '/') {
				// a dotenv file as a path segment ("/.env", ".env.local"):
				// the application's secrets
				return hit{rule: "path.sensitive_file", frag: around(b, max(0, i-1), i+16)}
			}
		case 'p', 'z', 'c', 'g':
			if bounded && scheme {
				for _, w := range phpWrappers {
					if hasAt(b, i, w) && i+len(w) < n && b[i+len(w)] > ' ' {
						// PHP stream wrappers that read local files or
						// archives (or the request body as code)
						return hit{rule: "path.php_wrapper", frag: around(b, i, i+len(w)+24)}
					}
				}
				if hasAt(b, i, "php://") {
					// the request body or a process stream read as a file
					e := identEnd(b, i+6)
					switch string(b[i+6 : e]) {
					case "input", "stdin", "memory", "temp", "fd", "filter", "output":
						if e < n && (b[e] == ' ' || b[e] == '\t') {
							break // named in prose: "php://input is read by..."
						}
						return hit{rule: "path.php_wrapper", frag: around(b, i, e+24)}
					}
				}
			}
		}
		switch c {
		case 'd', 'e', 'o', 'r', 's':
			if bounded && scheme {
				// the other PHP wrappers: data:// (with the two slashes
				// browsers' data: URLs do not have), expect://, the
				// audio/archive/SSH2 streams
				for _, w := range otherWrappers {
					if hasAt(b, i, w) && i+len(w) < n && b[i+len(w)] > ' ' {
						if w == "data://" && !dataMedia(b, i+len(w)) {
							continue
						}
						return hit{rule: "path.php_wrapper", frag: around(b, i, i+len(w)+24)}
					}
				}
			}
		}
		if bounded && (c == 'i' || c == 'r') {
			if h := remoteInclude(b, i); h.rule != "" {
				return h
			}
		}
		switch c {
		case 'f':
			if bounded && hasAt(b, i, "file:..") {
				return hit{rule: "path.file_url", frag: around(b, i, i+24)}
			}
			if bounded && hasAt(b, i, "file:") {
				p := i + 5
				k := p
				for k < n && (b[k] == '/' || b[k] == '\\') {
					k++
				}
				if k-p >= 2 && k < n && (isLetter(b[k]) || b[k] == '%' || b[k] == '.') || k-p >= 3 {
					return hit{rule: "path.file_url", frag: around(b, i, k+24)}
				}
			}
		case 'i':
			if bounded && hasAt(b, i, "inetpub") && i > 0 && isSep(b[i-1]) && (i+7 == n || !isAlnum(b[i+7]) && b[i+7] != '_') {
				// a whole word, as the keyword gate reads it (not "inetpub5")
				return hit{rule: "path.sensitive_dir", frag: around(b, i, i+24)}
			}
		case 'r':
			if i > 0 && isSep(b[i-1]) && (i == 1 || !isAlnum(b[i-2])) && hasAt(b, i, "run/secrets/") && i+12 < n && isIdent(b[i+12]) {
				// container and orchestrator secrets mounted as files
				return hit{rule: "path.sensitive_file", frag: around(b, i-1, i+28)}
			}
			if i > 0 && isSep(b[i-1]) && hasAt(b, i, "root/") && (i == 1 || !isAlnum(b[i-2])) {
				p := i + 5
				if hasAt(b, p, ".") || hasAt(b, p, "flag") {
					return hit{rule: "path.sensitive_dir", frag: around(b, i-1, p+16)}
				}
			}
		}
	}
	return hit{}
}

// sensStarts are the bytes at which sensitivePath's cases look, without
// a '.' nor a "://" in the value ([0]), with a '.' ([1]), with a "://"
// ([2]) and with both ([3]): the lower-case first letters of the names it
// matches (and the '.' of the dot-files). Any other byte is skipped with
// one look.
var sensStarts = func() (t [4][256]bool) {
	for k := range t {
		for _, c := range []byte("epvwmsirf.") { // etc, proc, var, web-inf, meta-inf, windows, system32, inetpub, run, root, file:, dot-files
			t[k][c] = true
		}
		if k&1 != 0 {
			for _, c := range []byte("tbwsg") { // wordSensitiveFiles, bareSensitiveFiles
				t[k][c] = true
			}
		}
		if k&2 != 0 {
			for _, c := range []byte("pzcgdeors") { // phpWrappers, otherWrappers
				t[k][c] = true
			}
		}
	}
	return t
}()

// sensPairs are the byte pairs at which sensitivePath's cases can match,
// indexed as sensStarts: a bit set of the second bytes (their low six
// bits; a byte that shares them with one is looked at too) for each first
// byte. Every case starts with a name at i (hasAt, fileAt, remoteInclude's
// words), each of two bytes at least: where the byte pair is no name's
// first two, no case matches, and a value of words without one ("select
// from users") costs two look-ups a byte, not the case switches.
// (TestSensPairs: sensStarts are these first bytes; FuzzSensitivePairs:
// the same answers with noSensPairs.)
var sensPairs = func() (t [4][256]uint64) {
	// (the lists are read where they are: built at init, nothing allocated)
	add := func(k int, lits []string) {
		for _, l := range lits {
			t[k][l[0]] |= 1 << (l[1] & 63)
		}
	}
	names := [...]string{"etc", "proc", "var/", "web-inf/", "web-inf\\", "meta-inf/", "meta-inf\\", "windows", "winnt", "system32",
		".env", "include", "require", "file:", "inetpub", "run/secrets/", "root/"}
	for k := range t {
		add(k, names[:])
		add(k, dotFiles[:])
		add(k, homeFiles[:])
		if k&1 != 0 {
			add(k, wordSensitiveFiles[:])
			add(k, bareSensitiveFiles[:])
		}
		if k&2 != 0 {
			add(k, []string{"php://"})
			add(k, phpWrappers[:])
			add(k, otherWrappers[:])
		}
	}
	return t
}()

// noSensPairs turns sensPairs' filter off (tests compare). Never set
// outside tests.
var noSensPairs = false

// dotFiles are the dot-files and dot-directories sensitivePath finds at a
// '.' (with homeFiles and ".env").
var dotFiles = [...]string{".ssh/id_rsa", ".ssh/id_ed25519", ".ssh/authorized_keys", ".aws/credentials",
	".bash_history", ".htpasswd", ".htaccess", ".git/config", ".git/head", ".git/index", ".git/logs/", ".git/refs/", ".git/objects/",
	".svn/entries", ".svn/wc.db", ".docker/config.json", ".kube/config", ".netrc", ".pgpass", ".mysql_history"}

// afterDirSlash returns the index after the '/' or '\\' that ends the
// directory name at i (web-inf, meta-inf).
func afterDirSlash(b []byte, i int) int {
	if b[i] == 'w' {
		return i + len("web-inf/")
	}
	return i + len("meta-inf/")
}

// nameAsPath reports a sensitive file named without a directory at
// b[i:e] (".htaccess", "web.config", "boot.ini") used as a path rather
// than named in prose: not followed by a blank and more words, and not
// after a blank unless it is the last word of a short value ("cat
// .htpasswd"). "Edit web.config to add the setting" and "please add
// .htaccess to the list" name a file; "..\\..\\boot.ini", "/.htaccess",
// "file=web.config%00" and "oboot.ini" (decoding debris) open one. A '+'
// is a blank here, as in form-encoded text a cookie or header carries
// undecoded ("my+.bashrc+file+has+aliases").
func nameAsPath(b []byte, i, e int) bool {
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '+' }
	if e < len(b) && blank(b[e]) {
		return false
	}
	if i == 0 || !blank(b[i-1]) {
		return true
	}
	if e != len(b) {
		return false
	}
	words := 0
	for k := 0; k < len(b); k++ {
		if blank(b[k]) {
			words++
		}
	}
	return words <= 2
}

// pathMention reports a sensitive name b[i:e] that a sentence mentions
// rather than a value that is a path: the blank-delimited token holding it
// is a plain path (letters, digits and / . _ ~ -, no "..", no
// percent-encoding, no shell or URL syntax; double quotes, backticks,
// brackets and punctuation around it allowed, not the single quote that
// opens a literal of SQL or shell: "copy t from '/etc/passwd'"), and the line around it reads as prose:
// at least two prose words before the token and three around it ("the
// error is at /etc/nginx/nginx.conf line 12", "add it to your ~/.bashrc").
// A name in a value that came out of decoding is never a mention.
func pathMention(b []byte, i, e int, decoded bool) bool {
	if decoded {
		return false
	}
	t, u := i, e
	for t > 0 && !shBlank(b[t-1]) && b[t-1] != '\n' && b[t-1] != '\r' {
		t--
	}
	for u < len(b) && !shBlank(b[u]) && b[u] != '\n' && b[u] != '\r' {
		u++
	}
	p, q := t, u
	for p < i && (b[p] == '(' || b[p] == '"' || b[p] == '`') {
		p++
	}
	for q > e && strings.IndexByte(".,;:!?)\"'`", b[q-1]) >= 0 {
		q--
	}
	for k := p; k < q; k++ {
		c := b[k]
		if !isAlnum(c) && c != '/' && c != '.' && c != '_' && c != '~' && c != '-' || c == '.' && k+1 < q && b[k+1] == '.' {
			return false
		}
	}
	before := proseWordsBack(b, t-1, t, 3, false, true)
	return before >= 2 && before+proseWordsAhead(b, u, 3-before, false) >= 3
}

// phpWrappers are the PHP stream wrappers that read local files or
// archives (or the request body as code), otherWrappers the other ones
// sensitivePath flags (data://, expect://, audio/archive/SSH2 streams).
// Every one has a "://" (TestSensitivePathLists): sensitivePath looks
// for them only in a value with one.
var (
	phpWrappers   = [...]string{"php://filter", "php://input", "php://fd", "phar://", "zip://", "compress.zlib://", "compress.bzip2://", "glob://", "zlib://"}
	otherWrappers = [...]string{"data://", "expect://", "ogg://", "rar://", "ssh2.shell://", "ssh2.exec://", "ssh2.tunnel://", "ssh2.sftp://", "ssh2.scp://"}
)

// bareSensitiveFiles are the sensitive files sensitivePath flags by their
// name alone, with no directory before it (a whole name: fileAt). The
// pre-filter sends on the strings of "boring" bytes holding one
// (boringHint reads this list: boringLits).
var bareSensitiveFiles = [...]string{"boot.ini", "win.ini", "system.ini", "web.config", "wp-config.php", "global.asa"}

// wordSensitiveFiles are the sensitive files sensitivePath flags by their
// name alone as a whole word (not after a letter, digit or '_': the
// keyword gate reads "xtomcat" as another word). boringLits reads this
// list too.
var wordSensitiveFiles = [...]string{"tomcat-users.xml"}

// fileAt reports the file name lit at i, ending there: "win.ini" but not
// "win.iniver" (its extension is another word, as the keyword gate reads
// it). Its start may follow decoding debris ("oboot.ini").
func fileAt(b []byte, i int, lit string) bool {
	e := i + len(lit)
	return hasAt(b, i, lit) && (e == len(b) || !isIdent(b[e]))
}

// pctDebris reports a '%' in the three bytes before i (broken percent
// encoding glued to a name).
// midWordLetter marks the letters sensitivePath judges after a letter or
// digit: the first letters of etc, windows and winnt, system32 and the
// bare file names (boot.ini, win.ini, ...), and the '.' of the dot files.
var midWordLetter = func() (t [256]bool) {
	for _, c := range []byte("eswbg.") {
		t[c] = true
	}
	for _, f := range bareSensitiveFiles {
		t[f[0]] = true
	}
	return t
}()

func pctDebris(b []byte, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if b[k] == '%' {
			return true
		}
	}
	return false
}

// remoteInclude finds a PHP include/require of a remote URL at i
// ("include('http://evil.example/s.txt')", "require_once
// 'ftp://...'"): remote file inclusion.
func remoteInclude(b []byte, i int) hit {
	e := identEnd(b, i)
	switch string(b[i:e]) {
	case "include", "include_once", "require", "require_once":
	default:
		return hit{}
	}
	// Any blanks and line breaks (PHP skips them between tokens; the run
	// after each keyword is read once), at most four other bytes.
	k, code, marks := e, false, 0
	for k < len(b) && (isSpace(b[k]) || marks < 4 && (b[k] == '(' || b[k] == '\'' || b[k] == '"')) {
		if !isSpace(b[k]) {
			code, marks = true, marks+1
		}
		k++
	}
	if !code {
		return hit{} // PHP reads the path of an include as an expression: a string or a call, not a bare word ("include https://... in the list")
	}
	if u := urlSchemeEnd(b, k); u > 0 {
		return hit{rule: "path.remote_include", frag: around(b, i, u+24)}
	}
	return hit{}
}

// urlSchemeEnd returns the end of "scheme://" at k for the schemes a
// file function fetches remotely (http, https, ftp, ftps, data, expect,
// php), else 0.
func urlSchemeEnd(b []byte, k int) int {
	for _, w := range [...]string{"http://", "https://", "ftp://", "ftps://", "data:", "expect://", "php://", "\\\\"} {
		if hasAt(b, k, w) && k+len(w) < len(b) {
			return k + len(w)
		}
	}
	return 0
}

// rfiURL judges a whole value that is an http(s)/ftp URL of a remote
// file whose path is cut with a trailing '?' (the application's suffix,
// ".php", becomes a query), or whose host is a bare IPv4 address and whose
// path names a script or text file: remote file inclusion (CRS 931100,
// 931120).
func rfiURL(b []byte) hit {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '"' || b[i] == '\'' || b[i] == '?' || b[i] == '&') {
		i++
	}
	if k := identEnd(b, i); k > i && k < len(b) && b[k] == '=' {
		i = k + 1 // a parameter of a query string: "page=http://..."
	}
	var h int
	for _, w := range [...]string{"http://", "https://", "ftp://", "ftps://"} {
		if hasAt(b, i, w) {
			h = i + len(w)
			break
		}
	}
	if h == 0 {
		return hit{}
	}
	he := h
	ipv4, dots := true, 0
	for he < len(b) && b[he] != '/' && b[he] != '?' && b[he] != '#' {
		if b[he] == '.' {
			dots++
		} else if !isDigit(b[he]) {
			ipv4 = false
		}
		he++
	}
	if he == h || he >= len(b) || b[he] != '/' {
		return hit{}
	}
	ipv4 = ipv4 && dots == 3
	// the last path segment
	e := he
	for e < len(b) && b[e] != '?' && b[e] != '#' && b[e] != ' ' {
		e++
	}
	seg := he
	for k := he; k < e; k++ {
		if b[k] == '/' {
			seg = k + 1
		}
	}
	dot := -1
	for k := seg; k < e; k++ {
		if b[k] == '.' {
			dot = k
		}
	}
	// '?' or '#' ending the value: "http://x/shell.txt?", "...txt??"
	q := e
	for q < len(b) && (b[q] == '?' || b[q] == '#') {
		q++
	}
	end := q
	for end < len(b) && b[end] == ' ' {
		end++
	}
	if ipv4 && q > e && end == len(b) && e > seg {
		// a file on a bare address, its suffix cut: "https://203.0.113.5/x?"
		return hit{rule: "path.remote_include", frag: around(b, i, q)}
	}
	if dot < 0 || dot == e-1 {
		return hit{}
	}
	if q > e && end == len(b) {
		switch string(b[dot+1 : e]) {
		case "txt", "inc", "gif", "jpg", "jpeg", "png", "bmp", "ico", "dat", "log", "tmp", "sh", "pl", "py":
			// a file served as data, that the including page runs
			return hit{rule: "path.remote_include", frag: around(b, i, q)}
		}
	}
	if ipv4 {
		switch string(b[dot+1 : e]) {
		case "txt", "php", "phtml", "inc", "sh", "pl", "py", "cgi", "jsp", "asp", "aspx", "gif", "jpg", "png":
			return hit{rule: "path.remote_include", frag: around(b, i, e)}
		}
	}
	return hit{}
}

// dataMedia reports a media type or a ',' at i, after "data://": what
// PHP's data:// wrapper reads ("text/plain;base64,...", ",<?php").
func dataMedia(b []byte, i int) bool {
	if i < len(b) && b[i] == ',' {
		return true
	}
	e := identEnd(b, i)
	return e > i && e < len(b) && b[e] == '/' && identEnd(b, e+1) > e+1
}

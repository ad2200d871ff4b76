package detect

// PHP code injection (the CRS 933 family) beyond the command-execution
// calls codeExec knows: an open tag ("<?php", "<?="), a superglobal
// passed whole to a call (extract($_GET)),
// a function called by a computed name ("system"('id'), (system)('id'),
// base64_decode('...')('id')), nested decoders (eval(gzinflate(
// base64_decode(...)))), a string spelled with chr() calls, and the
// configuration and source-disclosure calls (ini_set('allow_url_include'),
// show_source(), __halt_compiler()). Server-side includes in any spacing
// (<!-- #exec, #set, #fsize) are judged here too.

// phpExecNames are the functions an attacker calls by a computed name.
var phpExecNames = [...]string{"system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec", "assert",
	"phpinfo", "create_function", "call_user_func", "call_user_func_array", "eval", "include", "require", "file_get_contents",
	"file_put_contents", "readfile", "show_source", "highlight_file", "unserialize", "preg_replace"}

// phpDecoders turn an argument into code or a name.
var phpDecoders = [...]string{"base64_decode", "str_rot13", "strrev", "hex2bin", "gzinflate", "gzuncompress", "gzdecode",
	"urldecode", "rawurldecode", "convert_uudecode", "chr", "implode"}

// phpSuperglobals are the request and environment arrays.
var phpSuperglobals = [...]string{"$_get", "$_post", "$_request", "$_cookie", "$_server", "$_files", "$_env", "$_session",
	"$globals", "$http_raw_post_data", "$http_get_vars", "$http_post_vars", "$http_cookie_vars", "$http_server_vars", "$http_env_vars"}

// codeInjection is detectCmdI's last check, after the shell grammar (a
// command line that runs an interpreter is reported as such): PHP and
// Node code and server-side includes, under cmdScan's gate.
func codeInjection(st *state) hit {
	if !noGates && !cmdGate(st.f, st.kw, true, st.decoded, shortText(st.raw) || shortText(bufString(st.n))) &&
		(st.kw&gCodeExec == 0 || st.f&fEq == 0) { // phpDirective
		return hit{}
	}
	return phpInjection(st.n, st.cls, st.raw)
}

func phpInjection(b []byte, cls uint32, raw string) hit {
	if cls&kLT != 0 {
		if h := phpTag(b); h.rule != "" {
			return h
		}
		if h := ssiDirective(b); h.rule != "" {
			return h
		}
	}
	if cls&kEq != 0 && cls&kUnder != 0 {
		// (every name of phpDirectives has a '_': a storm of '=' without
		// one is not stepped back from at each)
		if h := phpDirective(b); h.rule != "" {
			return h
		}
	}
	if cls&kDollar != 0 {
		if h := phpSuperglobal(b); h.rule != "" {
			return h
		}
		if h := phpSuperglobalValue(b, raw); h.rule != "" {
			return h
		}
	}
	if cls&kParen != 0 {
		if h := phpComputedCall(b); h.rule != "" {
			return h
		}
		if h := phpSpacedCall(b); h.rule != "" {
			return h
		}
		if h := endlessLoop(b); h.rule != "" {
			return h
		}
	}
	if cls&(kParen|kBracket) != 0 && cls&(kDot|kBracket) != 0 {
		if h := nodeInjection(b); h.rule != "" {
			return h // node.go
		}
	}
	return hit{}
}

// phpTag finds "<?php" (also alone, at the end of the value) and "<?="
// followed by code.
func phpTag(b []byte) hit {
	for i := indexFrom(b, "<?", 0); i >= 0; i = indexFrom(b, "<?", i+2) {
		if hasAt(b, i+2, "php") && (i+5 == len(b) || !isIdent(b[i+5])) {
			return hit{rule: "cmdi.php", frag: around(b, i, i+32)}
		}
		if i+2 < len(b) && b[i+2] == '=' {
			j := skipSpaces(b, i+3)
			if j < len(b) && (b[j] == '$' || b[j] == '`' || isLetter(b[j]) && phpCallAt(b, j)) {
				return hit{rule: "cmdi.php", frag: around(b, i, i+32)}
			}
		}
	}
	return hit{}
}

// phpCallAt reports an identifier at j followed by '('.
func phpCallAt(b []byte, j int) bool {
	e := identEnd(b, j)
	e = skipSpaces(b, e)
	return e > j && e < len(b) && b[e] == '('
}

// ssiDirective finds a server-side include directive: "<!--", optional
// blanks, '#', a directive name, blanks and an attribute ("<!-- #exec
// cmd=", "<!--#set var=", "<!--#printenv -->").
func ssiDirective(b []byte) hit {
	for i := indexFrom(b, "<!--", 0); i >= 0; i = indexFrom(b, "<!--", i+4) {
		j := i + 4
		for j < len(b) && j-i < 12 && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		if j >= len(b) || b[j] != '#' {
			continue
		}
		e := identEnd(b, j+1)
		switch string(b[j+1 : e]) {
		case "exec", "include", "echo", "config", "set", "fsize", "flastmod", "if", "elif":
			k := skipSpaces(b, e)
			if k > e && k < len(b) && isLetter(b[k]) {
				a := identEnd(b, k)
				if a < len(b) && b[a] == '=' {
					return hit{rule: "cmdi.ssi", frag: around(b, i, a+32)}
				}
			}
		case "printenv":
			if k := skipSpaces(b, e); hasAt(b, k, "-->") {
				return hit{rule: "cmdi.ssi", frag: around(b, i, k+3)}
			}
		}
	}
	return hit{}
}

// phpSuperglobal finds a superglobal passed whole to a call
// (extract($_GET), array_map($f, $_POST)): a read with a subscript alone
// ("$name = $_GET['name'];") is code shown, not run (codeExec judges the
// reads inside a call or a string).
func phpSuperglobal(b []byte) hit {
	// Only a '$' right after a '(' can be one ("($" searched for at once:
	// a run of '$' not after a '(', "${${${...", costs no look at the
	// list each).
	for p := indexFrom(b, "($", 0); p >= 0; p = indexFrom(b, "($", p+1) {
		i := p + 1
		if i+1 >= len(b) || b[i+1] != '_' && b[i+1] != 'g' && b[i+1] != 'h' {
			continue // every name starts $_, $g or $h
		}
		for _, g := range phpSuperglobals {
			if i+2 >= len(b) || b[i+2] != g[2] || !hasAt(b, i, g) {
				continue
			}
			e := i + len(g)
			if e < len(b) && isIdent(b[e]) {
				continue
			}
			k := skipSpaces(b, e)
			if k < len(b) && (b[k] == ')' || b[k] == ',') {
				return hit{rule: "cmdi.php", frag: around(b, i, k+24)}
			}
		}
	}
	return hit{}
}

// phpComputedCall finds a call whose callee is computed: a quoted
// function name ('system'('id')), a parenthesised one ((system)('id')),
// the result of a decoder (base64_decode('...')('id')); decoders nested
// in a decoder or in eval/assert; three chr() calls joined by '.'; and
// the configuration and disclosure calls.
func phpComputedCall(b []byte) hit {
	n := len(b)
	for p := indexByte(b, '('); p >= 0; p = byteFrom(b, p+1, '(') {
		// what ends just before this '('
		e := p
		for e > 0 && (b[e-1] == ' ' || b[e-1] == '\t') && p-e < 4 {
			e--
		}
		if e > 0 {
			switch c := b[e-1]; {
			case c == '\'' || c == '"' || c == ')':
				open := byte('(')
				if c != ')' {
					open = c
				}
				s := e - 2
				for s >= 0 && e-1-s <= 24 && (isIdent(b[s]) || b[s] == '\\') {
					s--
				}
				if s >= 0 && b[s] == open && s < e-2 && execName(b[s+1:e-1]) && (s == 0 || !isIdent(b[s-1])) && (c != ')' || e == p) {
					return hit{rule: "cmdi.code_exec", frag: around(b, s, p+24)}
				}
				if c == ')' {
					// decoder(...)(
					if q := matchOpen(b, e-1); q > 0 {
						ns := q
						for ns > 0 && isIdent(b[ns-1]) {
							ns--
						}
						if ns < q && isDecoder(b[ns:q]) && (ns == 0 || b[ns-1] != '.' && b[ns-1] != '$') {
							return hit{rule: "cmdi.code_exec", frag: around(b, ns, p+24)}
						}
					}
				}
			case isIdent(c):
				s := e
				for s > 0 && isIdent(b[s-1]) {
					s--
				}
				if s > 0 && (b[s-1] == '.' || b[s-1] == '$' || b[s-1] == '>') {
					break // a method or a variable
				}
				name := b[s:e]
				a := skipSpaces(b, p+1)
				if isDecoder(name) || string(name) == "eval" || string(name) == "assert" {
					// a decoder nested in a decoder or in eval
					an := identEnd(b, a)
					if an > a && isDecoder(b[a:an]) && string(b[a:an]) != "chr" && string(b[a:an]) != "implode" {
						if k := skipSpaces(b, an); k < n && b[k] == '(' {
							return hit{rule: "cmdi.code_exec", frag: around(b, s, an+24)}
						}
					}
				}
				switch string(name) {
				case "chr":
					if chrChain(b, s) >= 3 {
						return hit{rule: "cmdi.code_exec", frag: around(b, s, s+48)}
					}
				case "ini_set", "ini_alter":
					if a < n && (b[a] == '\'' || b[a] == '"') {
						an := identEnd(b, a+1)
						switch string(b[a+1 : an]) {
						case "allow_url_include", "allow_url_fopen", "auto_prepend_file", "auto_append_file", "disable_functions",
							"open_basedir", "safe_mode", "include_path", "error_log", "sendmail_path":
							return hit{rule: "cmdi.code_exec", frag: around(b, s, an+8)}
						}
					}
				case "show_source", "highlight_file", "php_uname", "__halt_compiler", "extract", "parse_str", "get_defined_vars", "getenv":
					if a < n && (b[a] == '\'' || b[a] == '"' || b[a] == '$' || b[a] == ')') {
						if string(name) == "getenv" && b[a] != ')' {
							break // getenv('HOME') is common code, not an attack on its own
						}
						return hit{rule: "cmdi.code_exec", frag: around(b, s, p+24)}
					}
				}
			}
		}
	}
	return hit{}
}

func execName(name []byte) bool {
	if len(name) > 0 && name[0] == '\\' {
		name = name[1:] // the global namespace: \system
	}
	for _, f := range phpExecNames {
		if string(name) == f {
			return true
		}
	}
	return false
}

func isDecoder(name []byte) bool {
	for _, f := range phpDecoders {
		if string(name) == f {
			return true
		}
	}
	return false
}

// matchOpen returns the index of the '(' that the ')' at c closes, or -1
// (at most 256 bytes back).
func matchOpen(b []byte, c int) int {
	depth := 0
	for k := c; k >= 0 && c-k < 256; k-- {
		switch b[k] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// chrChain counts chr(<digits>) calls joined by '.' from s.
func chrChain(b []byte, s int) int {
	count := 0
	for {
		if !hasAt(b, s, "chr(") {
			return count
		}
		k := s + 4
		d := k
		for k < len(b) && isDigit(b[k]) {
			k++
		}
		if k == d || k >= len(b) || b[k] != ')' {
			return count
		}
		count++
		k = skipSpaces(b, k+1)
		if k >= len(b) || b[k] != '.' {
			return count
		}
		s = skipSpaces(b, k+1)
	}
}

// phpRiskyNames are functions whose call with a literal or a variable is
// an attack on its own when it is a whole statement: decoders that hide a
// payload, and the file, socket and environment writers
// (base64_decode('c3lzdGVt'); putenv('LD_PRELOAD=/tmp/x.so');).
var phpRiskyNames = [...]string{"base64_decode", "str_rot13", "gzinflate", "gzuncompress", "gzdecode", "convert_uudecode",
	"zlib_decode", "bzdecompress", "file_put_contents", "fsockopen", "pfsockopen", "putenv", "posix_kill", "pcntl_fork"}

// phpSpacedCall finds a call of a code-execution function (phpExecNames)
// whose name is parted from its '(' by a comment, as PHP reads it
// (system/**/('id'), eval/*x*/($x)), or by blanks when the call is a
// whole statement (system ( 'id' ); the value ends or ';' or '?>' follows
// its ')'); and a whole-statement call of one of phpRiskyNames, with or
// without blanks. The argument is a literal, a variable or a command in
// backticks (phpinfo takes none): "the system ('legacy') is down" is
// prose, "system ( 'id' )" a statement.
func phpSpacedCall(b []byte) hit {
	var br blankRuns
	for p := indexByte(b, '('); p >= 0; p = byteFrom(b, p+1, '(') {
		e, comment := phpGapBefore(b, p)
		s := e
		for s > 0 && e-s <= 24 && isIdent(b[s-1]) {
			s--
		}
		if s < e && s > 0 && b[s-1] == '$' && !isDigit(b[s]) && (s == 1 || !isIdent(b[s-2]) && b[s-2] != '$') && e == p && phpStatementEnd(b, p, &br) {
			// a variable function, a whole statement: $f('id'); $x()
			// (a PHP name starts with no digit: "$1()" is a regular
			// expression's replacement)
			if a := skipSpaces(b, p+1); a < len(b) && (b[a] == '\'' || b[a] == '"' || b[a] == '$' || b[a] == ')') && (s == 1 || phpCodeBefore(b[s-2])) {
				return hit{rule: "cmdi.code_exec", frag: around(b, s-1, p+24)}
			}
		}
		if e > 0 && (b[e-1] == '\'' || b[e-1] == '"' || b[e-1] == ')') {
			if from, ok := phpConcatExec(b, e); ok {
				return hit{rule: "cmdi.code_exec", frag: around(b, from, p+24)}
			}
		}
		if s < e && (s == 0 || b[s-1] != '$' && b[s-1] != '.' && b[s-1] != '>' && b[s-1] != '\\' && !isIdent(b[s-1])) {
			name := b[s:e]
			exec := e < p && execName(name)
			if exec || phpRisky(name) {
				a := skipSpaces(b, p+1)
				arg := a < len(b) && (b[a] == '\'' || b[a] == '"' || b[a] == '`' || b[a] == '$' || b[a] == ')' && string(name) == "phpinfo")
				if arg && (exec && comment || phpStatementEnd(b, p, &br)) {
					return hit{rule: "cmdi.code_exec", frag: around(b, s, p+24)}
				}
			}
		}
	}
	return hit{}
}

func phpRisky(name []byte) bool {
	for _, f := range phpRiskyNames {
		if string(name) == f {
			return true
		}
	}
	return false
}

// phpGapBefore steps back from the '(' at p over blanks and line breaks
// (any number: PHP skips them; each '(' steps over the run before it, so
// the steps are linear) and /* */ comments (at most 64 bytes of them) and
// returns where the gap starts and whether it held a comment.
func phpGapBefore(b []byte, p int) (int, bool) {
	e, comment, used := p, false, 0
	for e > 0 {
		switch {
		case isSpace(b[e-1]):
			e--
		case e >= 4 && b[e-1] == '/' && b[e-2] == '*' && used < 64:
			k := e - 3
			for k > 0 && used+e-k < 64 && !(b[k-1] == '/' && b[k] == '*') {
				k--
			}
			if k <= 0 || b[k-1] != '/' || b[k] != '*' || k+1 > e-2 {
				return e, comment
			}
			used += e - (k - 1)
			e, comment = k-1, true
		default:
			return e, comment
		}
	}
	return e, comment
}

// phpStatementEnd reports whether the call whose '(' is at p closes (its
// ')' found within 256 tokens, quotes skipped) and is followed by the end
// of the value, ';' or '?>'. A token is a byte that is not a blank or a
// line break: blanks padded between the tokens, which PHP skips, do not
// count, and a run of them read by an earlier call's scan (calls are
// asked at increasing p) is stepped over at once (br).
func phpStatementEnd(b []byte, p int, br *blankRuns) bool {
	depth, tokens := 0, 0
	var q byte
	cur := br.begin(p)
	for k := p; k < len(b) && tokens < 256; k++ {
		c := b[k]
		if isSpace(c) {
			k = br.skip(b, k, &cur) - 1
			continue
		}
		tokens++
		switch {
		case q != 0:
			if c == '\\' {
				k++
			} else if c == q {
				q = 0
			}
		case c == '\'' || c == '"' || c == '`':
			q = c
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				if k++; k < len(b) && isSpace(b[k]) {
					k = br.skip(b, k, &cur)
				}
				return k == len(b) || b[k] == ';' || hasAt(b, k, "?>")
			}
		}
	}
	return false
}

// phpSuperglobalValue finds a whole value that is a superglobal, with
// subscripts or not and an optional ';' ($_GET['cmd'], $_SERVER[
// "HTTP_USER_AGENT"], $GLOBALS;): a request array named where data is
// expected is code placed for an eval or an include to run. A superglobal
// named in text ("the $_GET superglobal holds the query") is not one, nor
// is a name in another case than PHP's ("$globals": b is case-folded, raw
// as sent must hold the name in capitals).
func phpSuperglobalValue(b []byte, raw string) hit {
	i := skipSpaces(b, 0)
	if i < len(b) && b[i] == '@' {
		i++
	}
	if i+2 >= len(b) || b[i] != '$' || b[i+1] != '_' && b[i+1] != 'g' && b[i+1] != 'h' {
		return hit{}
	}
	for _, g := range phpSuperglobals {
		if !hasAt(b, i, g) || i+len(g) < len(b) && isIdent(b[i+len(g)]) {
			continue
		}
		if !containsUpper(raw, g[1:]) {
			return hit{}
		}
		k := skipSpaces(b, i+len(g))
		for n := 0; k < len(b) && b[k] == '[' && n < 4; n++ {
			c := k + 1
			for c < len(b) && c-k < 64 && b[c] != ']' && b[c] != '[' {
				c++
			}
			if c >= len(b) || b[c] != ']' {
				return hit{}
			}
			k = skipSpaces(b, c+1)
		}
		if k < len(b) && b[k] == ';' {
			k = skipSpaces(b, k+1)
		}
		if k == len(b) {
			return hit{rule: "cmdi.php", frag: around(b, i, k)}
		}
		return hit{}
	}
	return hit{}
}

// phpCodeBefore reports a byte after which a statement starts: a blank,
// ';', '{', '}', '(' or '='.
func phpCodeBefore(c byte) bool {
	return isSpace(c) || c == ';' || c == '{' || c == '}' || c == '(' || c == '='
}

// phpConcatExec reads, backwards from e, a callee spelled as two or more
// quoted pieces joined by '.' ("sys"."tem", 'sy'.'stem'), possibly in
// parentheses (('sy'.'stem')), and reports where it starts and whether
// the name the pieces spell (at most 32 bytes) is one of phpExecNames.
func phpConcatExec(b []byte, e int) (int, bool) {
	paren := b[e-1] == ')'
	if paren {
		e = skipSpacesBack(b, e-1)
	}
	var name [32]byte
	n, pieces, at := 0, 0, e
	for at > 0 && pieces < 8 {
		q := b[at-1]
		if q != '\'' && q != '"' {
			return 0, false
		}
		st := at - 2
		for st >= 0 && at-st < 34 && b[st] != q {
			st--
		}
		if st < 0 || b[st] != q {
			return 0, false
		}
		piece := b[st+1 : at-1]
		if n+len(piece) > len(name) {
			return 0, false
		}
		copy(name[len(piece):], name[:n]) // prepend
		copy(name[:len(piece)], piece)
		n += len(piece)
		pieces++
		at = skipSpacesBack(b, st)
		if at == 0 || b[at-1] != '.' {
			at = st
			break
		}
		at = skipSpacesBack(b, at-1)
	}
	if pieces < 2 {
		return 0, false
	}
	if paren {
		k := skipSpacesBack(b, at)
		if k == 0 || b[k-1] != '(' {
			return 0, false
		}
		at = k - 1
	}
	if at > 0 && (isIdent(b[at-1]) || b[at-1] == '$') {
		return 0, false
	}
	return at, execName(name[:n])
}

// skipSpacesBack returns the index after the last non-blank byte before e.
func skipSpacesBack(b []byte, e int) int {
	for e > 0 && isSpace(b[e-1]) {
		e--
	}
	return e
}

// phpDirectives are the php.ini settings that turn an include into remote
// code or lift the sandbox.
var phpDirectives = [...]string{"allow_url_include", "allow_url_fopen", "auto_prepend_file", "auto_append_file",
	"disable_functions", "open_basedir", "safe_mode", "sendmail_path", "register_globals", "enable_dl"}

// phpDirective finds a php.ini setting given a value, as a CGI argument or
// an .htaccess/.user.ini line writes it: the directive at the start of the
// value, of a line, or after "-d" or ';', then '=' and a value
// (allow_url_include=On, -d auto_prepend_file=php://input).
func phpDirective(b []byte) hit {
	for i := indexByte(b, '='); i > 0; {
		e := i
		for e > 0 && isSpace(b[e-1]) { // any blanks (each '=' steps back over its own run: linear)
			e--
		}
		s := e
		for s > 0 && isIdent(b[s-1]) && e-s <= 24 {
			s--
		}
		if s < e && isDirective(b[s:e]) {
			k := s
			for k > 0 && (b[k-1] == ' ' || b[k-1] == '\t') {
				k--
			}
			lead := k == 0 || b[k-1] == '\n' || b[k-1] == '\r' || b[k-1] == ';' || k >= 2 && b[k-1] == 'd' && b[k-2] == '-' && k < s
			if v := skipSpaces(b, i+1); lead && v < len(b) && (isIdent(b[v]) || b[v] == '"' || b[v] == '\'' || b[v] == '/') && directiveEnd(b, v) {
				return hit{rule: "cmdi.php", frag: around(b, s, i+24)}
			}
		}
		j := indexByte(b[i+1:], '=')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return hit{}
}

// directiveEnd reports whether the setting's value at v (quoted, or up to
// a blank, ';' or '&') ends the value or its line, or is followed by ';',
// '&', '#' or another "-d": "enable_dl = Off is recommended" is prose.
func directiveEnd(b []byte, v int) bool {
	k := v
	if q := b[v]; q == '"' || q == '\'' {
		for k = v + 1; k < len(b) && b[k] != q; k++ {
		}
		k++
	} else {
		for k < len(b) && b[k] > ' ' && b[k] != ';' && b[k] != '&' {
			k++
		}
	}
	for k < len(b) && (b[k] == ' ' || b[k] == '\t') {
		k++
	}
	return k >= len(b) || b[k] == '\n' || b[k] == '\r' || b[k] == ';' || b[k] == '&' || b[k] == '#' || hasAt(b, k, "-d")
}

func isDirective(name []byte) bool {
	for _, d := range phpDirectives {
		if string(name) == d {
			return true
		}
	}
	return false
}

// endlessLoop finds a loop whose condition is a constant truth, as code
// (its ')' followed by a body, a ';' or the end of the value):
// while(true){}, while (1);, while(!0){...}: a denial of service for an
// eval sink (CRS 934160). "while (true) loops are bad" is prose.
func endlessLoop(b []byte) hit {
	for i := indexFrom(b, "while", 0); i >= 0; i = indexFrom(b, "while", i+5) {
		if i > 0 && isIdent(b[i-1]) {
			continue
		}
		k := skipSpaces(b, i+5)
		if k >= len(b) || b[k] != '(' {
			continue
		}
		k = skipSpaces(b, k+1)
		c := k
		for c < len(b) && b[c] == '!' {
			c++
		}
		e := identEnd(b, c)
		cond := string(b[c:e])
		neg := (c - k) % 2
		truth := false
		switch {
		case cond == "true" || cond == "this" || cond == "infinity":
			truth = neg == 0
		case cond == "false" || cond == "null" || cond == "undefined" || cond == "nan" || cond == "0":
			truth = neg == 1
		case e > c && isDigit(b[c]) && b[c] != '0':
			truth = neg == 0
			for d := c; d < e; d++ {
				truth = truth && isDigit(b[d])
			}
		}
		if !truth {
			continue
		}
		k = skipSpaces(b, e)
		if k >= len(b) || b[k] != ')' {
			continue
		}
		k = skipSpaces(b, k+1)
		if k == len(b) || b[k] == '{' || b[k] == ';' {
			return hit{rule: "cmdi.code_exec", frag: around(b, i, k+1)}
		}
	}
	return hit{}
}

// containsUpper reports whether s holds the lower-case ASCII word w in
// capitals.
func containsUpper(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		k := 0
		for k < len(w) && s[i+k] == w[k]&^0x20 { // ('_' is its own capital)
			k++
		}
		if k == len(w) {
			return true
		}
	}
	return false
}

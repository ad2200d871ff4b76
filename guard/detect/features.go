package detect

// A single pass over a string computes cheap "trigger" features (bigrams
// such as "--", "${", "://", ")(", and groups of keywords) that decide which
// detectors can possibly match. Clean strings with everyday punctuation
// (user agents, URLs, dates, prose) usually trigger none and leave Scan
// after this pass, without normalising or touching the pool.

import "unsafe"

type feat uint64

const (
	fQuote         feat = 1 << iota // ' "
	fBacktick                       // `
	fLtTag                          // '<' followed by a letter, '/', '!', '?', '%', '#'
	fLt                             // '<'
	fGt                             // '>'
	fSQLComment                     // "--", "/*", '#'
	fSemi                           // ;
	fPipe                           // |
	fPipe2                          // ||
	fAmp                            // &
	fAmp2                           // &&
	fAmpBrace                       // &{
	fDollarBrace                    // ${
	fDollarParen                    // $(
	fDollarWord                     // $ followed by a letter or '_'
	fBracketDollar                  // [$
	fTmpl                           // {{ {% #{ *{ @( @{ <% %> [[ <# {$ {/
	fHashWord                       // '#' followed by a letter or '_' (Velocity #set, SSI, OGNL #_x)
	fDotDot                         // ..
	fDotQ                           // .? or ?.
	fSlashDotSlash                  // /./
	fURL                            // ://
	fColon                          // :
	fParen                          // ( or )
	fLDAP                           // )( (& (| (! *) =*
	fEq                             // =
	fEqEq                           // ==
	fCmp                            // < > != (comparison)
	fBslash                         // \
	fBslashCtl                      // a literal \n or \r
	fUnder2                         // __
	fNewline                        // CR or LF
	fCtl                            // other control bytes, and bytes >= 0x80
	fStar                           // *
	fQuest                          // ?
	fAt2                            // @@
	fBracket                        // [ ]
	fBrace                          // { }
	fLtBang                         // <!
	fLtQuest                        // <?
	fHex0x                          // 0x
	fPct                            // %
	fSlash                          // /
	fDot                            // .
	fDash                           // -
	fPlus                           // +
	fShellshock                     // "() {"
	fSpace                          // ' ' or tab
	fDigit                          // 0-9
	fShellObf                       // shell spelling tricks: c^a^t, w[h]o, $0 $@ $* $' $", <( >(
	fShellArg                       // a blank then an option (-x, --x), or ./ ../ starting a word
	fOpGlued                        // ; | & or a newline directly followed by a letter
	fNumStart                       // the value starts like a number: digit, sign, '(' or '.' (numStart)
	fSepLead                        // the value's first token (maybe empty) ends at ; | & or a line break (sepLead)
	fBangOp                         // '!' (not of "!=") or '~': SQL's prefix operators (1 or !0, 1 or ~0)
	fBraceList                      // '{' then a word and ',': a shell brace expansion ({cat,/etc/passwd}; braceList)
	fTilde                          // ~ or ^ (detectPath reads them: kTilde)
	fAtVar                          // a word-initial '@' before a letter or '_': a SQL variable (@x)
	fMarkerWord                     // a word that may hold a serialisation stream marker: 5 bytes or more with a capital, 8 or more with a letter and a digit (deserMarker)
)

// keyword groups
const (
	gSQL uint32 = 1 << iota
	gBool
	gXSS
	gCmdStrong
	gCmdWeak
	gCodeExec
	gPath
	gSSRF
	gNoSQL
	gSSTI
	gProto
	gXXE
	gSQLFunc
	gShStrong // shellCommandsStrong: commandStrength's own lookup
	gShWeak   // shellCommandsWeak
	gSQLCatalog
	gSQLStmt
	gFnTime  // sqlFuncTime: sqlFuncClass's own lookup
	gFnInfo  // sqlFuncInfo
	gFnPlain // sqlFuncPlain
	gTool    // attack-tool names (toolGateWords)
	gSQLOp   // SQL operator words that type an expression (sqlOperatorWords)
	gBinDir  // the directory names of binDirs (binDirWords)
	gOGNL    // OGNL names ognlExpr finds alone (#_memberaccess)
)

type kwIndex struct {
	// possible[len][first] has bit last set when some keyword has that
	// length, first and last letter: a cache-friendly reject of ordinary
	// words (32 columns for 27 letter indexes: an index masked by 31
	// needs no bounds check)
	possible [32][32]uint32
	// open-addressing table keyed by wordHash: 1 + the index of the
	// keyword in words, 0 for an empty slot. Two bytes a slot keep the
	// table small: it is built in every cold start, where each fresh page
	// of memory costs a page fault.
	slots [kwSlots]uint16
	words []kwWord
}

const kwSlots = 2048 // power of two, > 1.5x the number of keywords

type kwWord struct {
	hash   uint32
	groups uint32
	word   string // lower case
}

// wordHash is FNV-1a over the ASCII-lower-cased bytes of w.
func wordHash[T ~string | ~[]byte](w T) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(lower(w[i]))
		h *= 16777619
	}
	return h
}

func (x *kwIndex) insert(w string, g uint32) {
	h := wordHash(w)
	for i := h & (kwSlots - 1); ; i = (i + 1) & (kwSlots - 1) {
		j := x.slots[i]
		if j == 0 {
			if len(x.words) >= kwSlots*2/3 {
				panic("detect: keyword table over two thirds full: raise kwSlots")
			}
			x.words = append(x.words, kwWord{hash: h, groups: g, word: w})
			x.slots[i] = uint16(len(x.words))
			return
		}
		if e := &x.words[j-1]; e.word == w {
			e.groups |= g
			return
		}
	}
}

// lookup returns the groups of w (any case); 0 if it is not a keyword.
func lookup[T ~string | ~[]byte](x *kwIndex, w T) uint32 {
	h := wordHash(w)
	for i := h & (kwSlots - 1); ; i = (i + 1) & (kwSlots - 1) {
		j := x.slots[i]
		if j == 0 {
			return 0
		}
		if e := &x.words[j-1]; e.hash == h && len(e.word) == len(w) {
			same := true
			for k := 0; k < len(w); k++ {
				if lower(w[k]) != e.word[k] {
					same = false
					break
				}
			}
			if same {
				return e.groups
			}
		}
	}
}

// keywordGroups are the keywords of each group, in lower case. The lookup
// table built from them, kwTable, is generated into keywords_table.go, so
// that no code runs at package init or in New: run go generate after
// changing a list (TestKeywordTableUpToDate fails until then).
var keywordGroups = [...]struct {
	group uint32
	words []string
}{
	{gSQL, []string{"union", "select", "sleep", "benchmark", "waitfor", "pg_sleep", "exec", "execute", "declare", "shutdown",
		"insert", "update", "delete", "drop", "create", "alter", "truncate", "procedure", "extractvalue", "updatexml",
		"group_concat", "load_file", "concat_ws", "information_schema", "xp_cmdshell", "sysobjects", "syscolumns",
		"outfile", "dumpfile", "randomblob", "dbms_pipe", "dbms_lock", "user_lock", "utl_inaddr", "utl_http",
		"name_const", "make_set", "gtid_subset", "json_keys", "sqlite_master", "pg_catalog", "schemata", "table_name",
		"column_name", "table_schema", "sp_executesql", "sp_oacreate", "xp_dirtree", "analyse", "iif", "having"}},
	{gBool, []string{"and", "or", "xor", "where", "having", "not", "when"}},
	{gSQLFunc, []string{"version", "database", "current_user", "system_user", "session_user", "ascii", "substring", "substr",
		"char", "chr", "concat", "length", "mid", "hex", "unhex", "convert", "cast", "if", "ifnull", "isnull", "count",
		"md5", "sha1", "rand", "floor", "ord", "schema", "user", "db_name", "user_name", "host_name", "sqlite_version",
		"current_database", "suser_name", "is_srvrolemember", "openrowset", "opendatasource", "elt", "exp"}},
	{gXSS, []string{"javascript", "vbscript", "livescript", "ecmascript", "jscript", "mocha", "mhtml", "data", "alert",
		"prompt", "confirm", "eval", "settimeout", "setinterval", "setimmediate", "execscript", "msgbox", "document", "window", "top",
		"self", "parent", "frames", "globalthis", "location", "fromcharcode", "atob", "importscripts", "expression",
		"binding", "behavior", "behaviour", "_behavior", "_behaviour", "import", "constructor", "find", "innerhtml", "cookie", "function", "reflect", "print"}},
	{gCmdStrong, shellCommandsStrong},
	{gCmdStrong, shellGateTriggers},
	{gCmdWeak, shellCommandsWeak},
	{gCodeExec, []string{"system", "exec", "passthru", "shell_exec", "popen", "proc_open", "pcntl_exec", "eval", "assert",
		"phpinfo", "phpversion", "child_process", "subprocess", "getruntime", "processbuilder", "spawnsync", "execsync",
		"posix_system", "create_function", "_get", "_post", "_request", "_cookie", "_server", "_files", "php",
		"include", "exec", "printenv", "echo", "config", "binding", "dlopen",
		// php.go: called by a computed name, decoders, configuration and disclosure calls
		"call_user_func", "call_user_func_array", "require", "file_get_contents", "file_put_contents", "readfile", "show_source",
		"highlight_file", "unserialize", "preg_replace", "base64_decode", "str_rot13", "strrev", "hex2bin", "gzinflate",
		"gzuncompress", "gzdecode", "urldecode", "rawurldecode", "convert_uudecode", "chr", "implode", "ini_set", "ini_alter",
		"php_uname", "__halt_compiler", "extract", "parse_str", "get_defined_vars", "getenv",
		// php.go: whole-statement calls (phpRiskyNames) and whole-value superglobals
		"zlib_decode", "bzdecompress", "fsockopen", "pfsockopen", "putenv", "posix_kill", "pcntl_fork", "while",
		"_env", "_session", "globals", "http_raw_post_data", "http_get_vars", "http_post_vars", "http_cookie_vars",
		"http_server_vars", "http_env_vars", "allow_url_include", "allow_url_fopen", "auto_prepend_file", "auto_append_file",
		"disable_functions", "open_basedir", "safe_mode", "sendmail_path", "register_globals", "enable_dl",
		// node.go
		"process", "runinnewcontext", "runinthiscontext", "runincontext", "compilefunction", "_load", "readfilesync",
		"writefilesync", "readdirsync", "appendfilesync", "unlinksync", "rmsync", "createreadstream"}},
	{gPath, []string{"etc", "passwd", "shadow", "proc", "boot", "win", "windows", "winnt", "system32", "inetpub", "global",
		"inf", "file", "var", "root", "ssh", "aws", "htpasswd", "htaccess", "git", "bash_history", "docker", "kube",
		"netrc", "pgpass", "id_rsa", "id_ed25519", "authorized_keys", "mysql_history", "system", "sysnative", "repair",
		"web", "meta", "wp", "environ", "cmdline", "issue", "hosts", "ini", "asa", "config", "run", "secrets", "ssl",
		"phar", "zip", "php", "compress", "glob", "data", "expect", "ogg", "rar", "ssh2", "svn", "env", "tomcat", "zlib",
		"bashrc", "bash_profile", "bash_logout", "zsh_history", "sh_history", "psql_history", "python_history", "node_repl_history",
		"php_history", "sqlite_history", "rediscli_history", "lesshst", "viminfo", "npmrc", "yarnrc", "gitconfig", "htdigest",
		"ds_store", "rhosts", "xauthority", "pypirc", "s3cfg", "pwd", "spwd",
		"include", "include_once", "require", "require_once"}},
	{gSSRF, []string{"localhost", "localdomain", "metadata", "instance", "meta", "latest", "computemetadata", "openstack",
		"opc", "rancher", "nip", "xip", "sslip", "localtest", "lvh", "vcap", "internal", "kubernetes",
		"aws_lambda_runtime_api", "gopher", "dict", "ldap", "ldaps", "ldapi", "tftp", "netdoc", "jar", "file", "expect",
		"phar", "sftp", "smb", "telnet", "runtime", "ip6", "setcommoninstancemetadata", "lacolhost", "localh", "traefik",
		"backname", "goog", "rmi", "iiop", "corba", "jnlp", "mailto_"}},
	{gNoSQL, []string{"this", "db", "return", "where", "sleep", "while", "mapreduce", "new", "match"}},
	{gSSTI, []string{"getclass", "forname", "getruntime", "freemarker", "scriptenginemanager", "processbuilder", "java",
		"smarty", "php", "t", "_memberaccess", "memberaccess", "ognl", "ognlcontext", "context", "getproperty"}},
	{gProto, []string{"constructor", "prototype", "__proto__", "classloader"}},
	{gXXE, []string{"xinclude", "xi", "entity", "doctype"}},
	{gTool, toolGateWords},
	{gSQLCatalog, sqlCatalogWords},
	{gSQL, sqlSystemSchemas},
	{gFnTime, sqlFuncTime},
	{gFnInfo, sqlFuncInfo},
	{gFnPlain, sqlFuncPlain},
	{gSQLFunc, sqlFuncTime},
	{gSQLFunc, sqlFuncInfo},
	{gSQLFunc, sqlFuncPlain},
	{gSQLFunc, sqlFuncNameParts},
	{gSQLStmt, sqlStatementStarters},
	{gSQLOp, sqlOperatorWords},
	{gShStrong, shellCommandsStrong},
	{gShWeak, shellCommandsWeak},
	{gBinDir, binDirWords},
	{gOGNL, []string{"_memberaccess"}},
}

//go:generate go test -run ^TestKeywordTableUpToDate$ -args -update-keyword-table

// buildKeywordIndex computes the table kwTable holds.
func buildKeywordIndex() *kwIndex {
	x := &kwIndex{}
	for _, kg := range keywordGroups {
		for _, w := range kg.words {
			x.insert(w, kg.group)
			x.possible[len(w)][letterIndex(w[0])] |= 1 << letterIndex(w[len(w)-1])
		}
	}
	return x
}

// keywordIndex returns the keyword table.
func keywordIndex() *kwIndex { return &kwTable }

func letterIndex(c byte) int {
	c = lower(c)
	if c >= 'a' && c <= 'z' {
		return int(c-'a') + 1
	}
	return 0
}

// letterIdx maps a byte to 1..26 for ASCII letters (any case), 0 otherwise.
var letterIdx = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = uint8(c-'a') + 1
		t[c-32] = uint8(c-'a') + 1
	}
	return t
}()

// wordGroups returns the keyword groups of the word w (any case).
func wordGroups[T ~string | ~[]byte](x *kwIndex, w T) uint32 {
	n := len(w)
	if n == 0 || n >= len(x.possible) {
		return 0
	}
	var g uint32
	if n > 4 && w[0]|0x20 == 'o' && w[1]|0x20 == 'n' {
		// onload, onerror, ...: event handler names
		var buf [28]byte
		if n-2 <= len(buf) {
			for i := 2; i < n; i++ {
				buf[i-2] = lower(w[i])
			}
			if isEventName(buf[:n-2]) {
				g |= gXSS
			}
		}
	}
	if x.possible[n][letterIdx[w[0]]&31]&(1<<(letterIdx[w[n-1]]&31)) == 0 {
		return g
	}
	return g | lookup(x, w)
}

// featByte holds, for each byte, what features asks of the bytes of a
// word and of the byte after one: whether it is a word byte (letters,
// digits, '_': isWordByte), a digit, '_', a letter, '0', 'x' or 'X' (the
// searches a word needs: fHex0x, fUnder2, a keyword glued to a number),
// one of the bytes after a word that features looks at (the cases of its
// switch on s[j]), and its letterIdx (above fbLetterShift).
var featByte = func() (t [256]uint16) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var v uint16
		if isWordByte[b] {
			v |= fbWord
		}
		if isDigit(b) {
			v |= fbDigit
		}
		if b == '_' {
			v |= fbUnder
		}
		if isLetter(b | 0x20) {
			v |= fbLetter
		}
		if 'A' <= b && b <= 'Z' {
			v |= fbUpper
		}
		if b == '0' {
			v |= fbZero
		}
		if b|0x20 == 'x' {
			v |= fbX
		}
		switch b {
		case '[', '$', '\'', '"', '\\', '(', '{':
			v |= fbAfterWord
		}
		switch b {
		case '<', '>', '-', '/', '#', ';', '|', '&', '$', '[', '{', '%', '*', '@', '.', '?', ':', ')', '=', '!', '^', '\n', '\r':
			// features' switch reads the bytes around it (at most one
			// before, two after: the window featRun remembers)
			v |= fbCtx
		case '(', '\\':
			// it reads more (four bytes back, three ahead), or steps
			// over the byte after it
			v |= fbCtx | fbNoMemo
		}
		t[c] = v | uint16(letterIdx[b])<<fbLetterShift
	}
	return t
}()

// featAlone is what features adds for a byte that is neither a word byte
// nor read with its neighbours (fbCtx): the same for every place.
var featAlone = func() (t [256]feat) {
	for c := 0; c < 256; c++ {
		switch b := byte(c); b {
		case ' ':
			t[c] = fSpace
		case '\t':
			t[c] = fSpace | fCtl
		case '\'', '"':
			t[c] = fQuote
		case '`':
			t[c] = fBacktick | fQuote
		case ']':
			t[c] = fBracket
		case '}':
			t[c] = fBrace
		case '+':
			t[c] = fPlus
		case '~':
			t[c] = fBangOp | fTilde
		default:
			// Control bytes, and bytes of non-ASCII or broken UTF-8 that
			// sensitivePath takes for a one-byte separator ("etc\x98passwd").
			if b < 0x20 || b == 0x7f || b >= 0x80 {
				t[c] = fCtl
			}
		}
	}
	return t
}()

// featByte's bits.
const (
	fbWord uint16 = 1 << iota
	fbDigit
	fbUnder
	fbLetter
	fbZero
	fbX
	fbAfterWord
	fbUpper
	fbCtx    = 1 << 13 // a byte features' switch reads with its neighbours (else featAlone)
	fbNoMemo = 1 << 14 // ... and more of them than featRun's window holds, or a byte that moves on two

	fbLetterShift = 8 // letterIdx, five bits
)

// braceList reports a word (letters, digits, '_', '.', '-': a command
// name as commandAt reads one) at i followed by ',': the start of a shell
// brace expansion after '{'. It reads one word, and no '{' is inside
// one, so features stays linear.
func braceList[T ~string | ~[]byte](s T, i int) bool {
	k := i
	for k < len(s) && (isWordByte[s[k]] || s[k] == '.' || s[k] == '-') {
		k++
	}
	return k > i && k < len(s) && s[k] == ','
}

// dollarWordGroups returns the keyword groups of the word s[i:j] joined
// with the word bytes and '$' that follow it (s[j] is '$'), as the SQL
// lexer reads a word: v$version. A join longer than any keyword has none.
// *runEnd is the end of the run of word bytes and '$' that the last call
// read; a later call whose '$' is inside that run reuses it instead of
// reading it again (a storm of "where$" reads each byte once); start with
// 0.
func dollarWordGroups[T ~string | ~[]byte](s T, i, j int, x *kwIndex, runEnd *int) uint32 {
	if *runEnd <= j {
		k := j
		for k < len(s) && (isWordByte[s[k]] || s[k] == '$') {
			k++
		}
		*runEnd = k
	}
	k := *runEnd
	if k-i >= len(x.possible) {
		return 0
	}
	return wordGroups(x, s[i:k])
}

// isBslashCtl reports the letters of the escapes \n, \r and \t that
// features reads as a line break or tab (a literal "\n" separates words).
func isBslashCtl(c byte) bool {
	return c == 'n' || c == 'r' || c == 'N' || c == 'R' || c == 't'
}

// isWordByte: letters, digits and '_' form words.
var isWordByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	return t
}()

// dequotedWordGroups joins the word s[i:j] with the word bytes that follow
// it across quotes and backslashes (c”at, w"h"o"am"i, c\at) and returns the
// keyword groups of the joined word (0 when nothing was joined) and where
// the join ended.
func dequotedWordGroups[T ~string | ~[]byte](s T, i, j int, x *kwIndex) (uint32, int) {
	const max = 31 // longer joins are no keyword
	if j-i >= max {
		return 0, j
	}
	// The pieces are measured first and copied only when the join is
	// short enough to be a keyword: a long run of quoted words ("'or''or'
	// ...") costs a pass over its bytes, not a copy.
	size := j - i
	k := j
	for k < len(s) {
		q := k
		for q < len(s) && (s[q] == '\'' || s[q] == '"' || s[q] == '\\') {
			q++
		}
		if q == k || q >= len(s) || !isWordByte[s[q]] {
			break
		}
		r := q + 1
		for r < len(s) && isWordByte[s[r]] {
			r++
		}
		if size+r-q > max {
			return 0, q + max - size // where the join outgrew any keyword
		}
		size += r - q
		k = r
	}
	if k == j {
		return 0, k // nothing joined
	}
	var buf [max]byte
	w := buf[:0]
	for p := i; p < k; p++ {
		if isWordByte[s[p]] {
			w = append(w, s[p])
		}
	}
	return wordGroups(x, bufString(w)), k
}

// numberEnd returns where the SQL lexer's number token starting at i ends
// within the word s[i:j]: hex/binary 0x.. digits, or digits with an
// exponent.
func numberEnd[T ~string | ~[]byte](s T, i, j int) int {
	if s[i] == '0' && i+2 < j && (s[i+1]|0x20 == 'x' || s[i+1]|0x20 == 'b') && isHex(s[i+2]) {
		k := i + 2
		for k < j && isHex(s[k]) {
			k++
		}
		return k
	}
	k := i
	for k < j && isDigit(s[k]) {
		k++
	}
	if k+1 < j && s[k]|0x20 == 'e' && isDigit(s[k+1]) {
		k += 2
		for k < j && isDigit(s[k]) {
			k++
		}
	}
	return k
}

// features computes the trigger features and keyword groups of s.
// firstCmd reports that the first word of s is a command name.
//
// A word that repeats the last one judged in full, with the same byte
// after it, adds nothing new when no '$' word follows it, it starts no
// join and no escape comes before it: it costs a comparison
// (FuzzFeaturesWordRepeat checks the answer is the same without that).
func features(s string, x *kwIndex) (f feat, kw uint32, firstCmd bool) {
	n := len(s)
	if n > 0 && !isSpace(s[0]) {
		// (numStart without its call: no blank to skip)
		if c := s[0]; isDigit(c) || c == '-' || c == '+' || c == '(' || c == '.' {
			f |= fNumStart
		}
	} else if numStart(s) {
		f |= fNumStart
	}
	words := 0
	joinedTo := 0         // end of the last de-quoted join
	dollarEnd := 0        // end of the last run dollarWordGroups read
	ri, rj := 0, 0        // bounds of the last word judged in full
	outI, outLen := -1, 0 // the last de-quoted join that outgrew a keyword: s[outI:outI+outLen+1] read
	var seen [4][2]int    // bounds of words looked up, by length and end letters
	// ctx holds windows (featRun) of places judged by the switch below:
	// the same byte with the same neighbours adds what it added then,
	// nothing more (a storm of "${" or "../" costs a comparison a byte)
	var ctx ctxWindows
	for i := 0; i < n; {
		c := s[i]
		if t := featByte[c]; t&fbWord != 0 {
			// a word: its bytes' bits (featByte) tell which of the
			// searches below can find anything in it
			j := i + 1
			m, after := t, uint16(0) // after: the bits of the byte after the word
			for j < n {
				if after = featByte[s[j]]; after&fbWord == 0 {
					break
				}
				m |= after
				j++
			}
			if j < n && j-i == rj-ri && s[j] == s[rj] && !noWordRepeat && s[j] != '$' && (i < joinedTo || s[j] != '\'' && s[j] != '"' && s[j] != '\\') &&
				!(i >= 2 && s[i-2] == '\\' && isBslashCtl(s[i-1])) && sameBytes(s, ri, rj, i, j) {
				// The word and the byte after it are those of the last
				// word judged below, and nothing around it adds more (no
				// '$' word after it, no join to make, no escape before
				// it): what it adds is what that one added (a storm of
				// "'or'" costs a comparison a word).
				words++
				k := quotesAfter(s, j, &f)
				if p := k - i; k > j && k < joinedTo {
					// The word and its quotes again, whole, up to the end
					// of the join the quotes are inside (where the next
					// word starts its own): each is this word once more,
					// and its quotes stop where these do (no quote after
					// them). The units are those the bytes from k repeat
					// the ones p before for (one comparison), each
					// starting before joinedTo; of them only the last may
					// have a quote after it (the others have a unit's
					// word), and then it is not one. A storm of "'or'"
					// costs a comparison of its bytes.
					m := periodRun(s, k, min(n, joinedTo-1+p), p) / p
					if e := k + m*p; m > 0 && e < n && (s[e] == '\'' || s[e] == '"') {
						m--
					}
					words += m
					k += m * p
				}
				i = k
				continue
			}
			if m&(fbDigit|fbUnder) != 0 {
				if m&fbDigit != 0 {
					f |= fDigit
				}
				if m&(fbZero|fbX) == fbZero|fbX && f&fHex0x == 0 {
					// (0x needs both; found once, it is found)
					for k := i; k+1 < j; k++ {
						if s[k] == '0' && s[k+1]|0x20 == 'x' {
							f |= fHex0x
							break
						}
					}
				}
				if m&fbUnder != 0 && f&fUnder2 == 0 {
					for k := i; k+1 < j; k++ {
						if s[k] == '_' && s[k+1] == '_' {
							f |= fUnder2
							break
						}
					}
				}
			}
			wn := j - i
			if wn >= len("rO0AB") && (m&fbUpper != 0 || wn >= len("aced0005") && m&(fbDigit|fbLetter) == fbDigit|fbLetter) {
				// (rO0AB, AAEAAAD, aced0005 in any case: word bytes all)
				f |= fMarkerWord
			}
			if wn < len(x.possible) && (x.possible[wn][t>>fbLetterShift&31]&(1<<(featByte[s[j-1]]>>fbLetterShift&31)) != 0 || wn > 4 && c|0x20 == 'o' && s[i+1]|0x20 == 'n') {
				// In a long value, a word spelled as one looked up
				// recently adds no group (kw is their union; firstCmd is
				// the first word's): a storm of a few keywords costs a
				// comparison a word, not a hash and a probe.
				slot := &seen[(uint(wn)+uint(letterIdx[c])+uint(letterIdx[s[j-1]])<<1)&(uint(len(seen))-1)]
				if n < memoFrom || !sameBytes(s, slot[0], slot[1], i, j) {
					slot[0], slot[1] = i, j
					g := wordGroups(x, s[i:j])
					if words == 0 && g&(gCmdStrong|gCmdWeak) != 0 {
						firstCmd = true
					}
					kw |= g
				}
			}
			if f&fBslash != 0 && i >= 2 && s[i-2] == '\\' && isBslashCtl(s[i-1]) && wn+1 < len(x.possible) {
				// the letter of a \n, \r or \t escape the scan skipped
				// (below) may begin the word a detector reads: \netsparker
				// (the switch below saw that backslash: fBslash)
				kw |= wordGroups(x, s[i-1:j])
			}
			// what the byte after the word adds (one look at it)
			if after&fbAfterWord != 0 {
				switch s[j] {
				case '[':
					if j-i == 4 && foldPrefix(s[i:j], "this") || j-i == 7 && foldPrefix(s[i:j], "content") {
						// this[...] and content[...] index the global
						// object as window[...] does (xssSinks); the
						// words alone are prose
						kw |= gXSS
					}
				case '$':
					if j+1 < n && isWordByte[s[j+1]] {
						// the SQL lexer reads '$' inside a word: Oracle's
						// v$version
						kw |= dollarWordGroups(s, i, j, x, &dollarEnd)
					}
				case '\'', '"', '\\':
					if j+1 < n && i >= joinedTo {
						// the de-quoted view of a word split by quotes or
						// backslashes, as the shell reads it: w"h"o'am'i,
						// c\at; the pieces it joined are not joined again
						// (linear)
						var g uint32
						if outI >= 0 && !noWordRepeat && i+outLen < n && s[i:i+outLen+1] == s[outI:outI+outLen+1] {
							// the bytes of the last join that outgrew a
							// keyword again: it outgrows one at the same
							// place (a long run of quoted words costs a
							// comparison a join, not a pass over it)
							joinedTo = i + outLen
						} else if g, joinedTo = dequotedWordGroups(s, i, j, x); joinedTo > j && joinedTo < n && isWordByte[s[joinedTo]] {
							// it outgrew one at joinedTo (a word byte:
							// a join ends after a piece, before a quote
							// or the end), having read s[i:joinedTo+1]
							outI, outLen = i, joinedTo-i
						}
						if g != 0 {
							if words == 0 && g&(gCmdStrong|gCmdWeak) != 0 {
								firstCmd = true
							}
							kw |= g
						}
					}
				case '(', '{':
					if j-i == 2 && s[i]|0x20 == 'q' && s[i+1]|0x20 == 'x' {
						f |= fShellObf // Perl's qx(...) and qx{...}
					}
				}
			}
			if t&fbDigit != 0 && m&fbLetter != 0 {
				// a keyword glued to a number, as the SQL lexer splits it:
				// 1e0union, 0sleep(, 0x41select (a letter after the
				// digit: a number alone ends at no letter)
				if k := numberEnd(s, i, j); k < j && isLetter(s[k]|0x20) && j-k < len(x.possible) {
					kw |= wordGroups(x, s[k:j])
					if j+1 < n && s[j] == '$' && isWordByte[s[j+1]] {
						kw |= dollarWordGroups(s, k, j, x, &dollarEnd) // 5v$version
					}
				}
			}
			words++
			ri, rj = i, j
			i = quotesAfter(s, j, &f)
			continue
		}
		if featByte[c]&fbCtx == 0 && (n < featRunFrom || i+1 == n || featByte[s[i+1]]&fbWord != 0) {
			// a byte whose flags are its own (featAlone): in a short
			// value (featRun's call and the windows it stores cost a
			// JSON name or value of a few words and a bracket more than
			// they save), or a blank between two words
			f |= featAlone[c]
			i++
			continue
		}
		if n >= featRunFrom {
			// the bytes from i that add nothing new, or their own flags
			// (featRun), in one tight loop
			j, g := featRun(s, i, &ctx, ri, rj, joinedTo)
			f |= g
			if i = j; i >= n {
				break
			}
			if c = s[i]; featByte[c]&fbWord != 0 {
				continue
			}
		}
		// c needs the switch
		var next byte
		if i+1 < n {
			next = s[i+1]
		}
		switch c {
		case '<':
			f |= fLt | fCmp
			if next == '(' {
				f |= fShellObf // process substitution
			}
			switch {
			case isLetter(next | 0x20), next == '/', next == '!', next == '?', next == '%', next == '#', next == '@':
				f |= fLtTag
				if next == '!' {
					f |= fLtBang
				} else if next == '?' {
					f |= fLtQuest
				} else if next == '%' || next == '#' {
					f |= fTmpl
				}
			}
		case '>':
			f |= fGt | fCmp
			if next == '(' {
				f |= fShellObf
			}
		case '-':
			f |= fDash
			if i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') && (isLetter(next|0x20) || next == '-') {
				f |= fShellArg
			}
			if next == '-' {
				f |= fSQLComment
			}
		case '/':
			f |= fSlash
			if next == '*' {
				f |= fSQLComment
			}
			if next == '.' && i+2 < n && s[i+2] == '/' {
				f |= fSlashDotSlash
			}
		case '#':
			f |= fSQLComment
			if next == '{' {
				f |= fTmpl
			} else if isLetter(next|0x20) || next == '_' {
				f |= fHashWord
			}
		case ';':
			f |= fSemi
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
		case '|':
			f |= fPipe
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
			if next == '|' {
				f |= fPipe2
			}
		case '&':
			f |= fAmp
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
			if next == '&' {
				f |= fAmp2
			} else if next == '{' {
				f |= fAmpBrace
			}
		case '$':
			switch next {
			case '@', '*', '\'', '"', '!', '$', '0':
				f |= fShellObf
			case '#', '?', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				if i > 0 && isWordByte[s[i-1]] {
					f |= fShellObf // c$1at, not $19.99
				}
			}
			switch {
			case next == '{':
				f |= fDollarBrace | fTmpl
			case next == '(':
				f |= fDollarParen
			case isLetter(next|0x20) || next == '_':
				f |= fDollarWord
			}
		case '[':
			f |= fBracket
			if i > 0 && isWordByte[s[i-1]] || isWordByte[next] {
				f |= fShellObf // w[h]oami, /bin/[c]at
			}
			if next == '$' {
				f |= fBracketDollar
			} else if next == '[' || next == '#' || next == '=' {
				f |= fTmpl // [[ ]], FreeMarker [#...] and [=...]
			}
		case '{':
			f |= fBrace
			if isWordByte[next] && braceList(s, i+1) {
				f |= fBraceList
			}
			if next == '{' || next == '%' || next == '$' || next == '/' || next == '#' {
				f |= fTmpl
			} else if isLetter(next | 0x20) {
				f |= fTmpl // {php}, {system(...)}
			}
		case '%':
			f |= fPct
			if next|0x20 == 'x' && i+2 < n && (s[i+2] == '(' || s[i+2] == '{') {
				f |= fShellObf // Ruby's %x(...) and %x{...}
			}
			if next == '>' || next == '}' || next == '{' {
				f |= fTmpl // %> %} and OGNL %{
			}
		case '*':
			f |= fStar
			if next == '{' {
				f |= fTmpl
			} else if next == ')' {
				f |= fLDAP
			}
		case '@':
			if (i == 0 || !isWordByte[s[i-1]]) && (isLetter(next|0x20) || next == '_') {
				f |= fAtVar
			}
			if next == '@' {
				f |= fAt2
			} else if next == '(' || next == '{' {
				f |= fTmpl // Razor @( ), @{ }
			}
		case '.':
			f |= fDot
			if next == '/' && (i == 0 || !isWordByte[s[i-1]]) {
				f |= fShellArg // ./run, ../x.sh
			}
			if next == '.' {
				f |= fDotDot
			} else if next == '?' {
				f |= fDotQ
			}
		case '?':
			f |= fQuest
			if next == '.' {
				f |= fDotQ
			}
		case ':':
			f |= fColon
			if next == '/' && i+2 < n && s[i+2] == '/' {
				f |= fURL
			}
		case '(':
			f |= fParen
			if next == '\'' || next == '"' {
				// PowerShell's call operator on a string: &('ie'+'x')
				k := i - 1
				for k >= 0 && i-k < 4 && s[k] == ' ' {
					k--
				}
				if k >= 0 && (s[k] == '&' || s[k] == '.') {
					f |= fShellObf
				}
			}
			if next == '&' || next == '|' || next == '!' {
				f |= fLDAP
			}
			if next == ')' && i+3 < n && s[i+2] == ' ' && s[i+3] == '{' {
				f |= fShellshock
			}
		case ')':
			f |= fParen
			if next == '(' {
				f |= fLDAP
			}
		case '=':
			f |= fEq
			if next == '=' {
				f |= fEqEq
			} else if next == '*' {
				f |= fLDAP
			}
		case '!':
			if next == '=' {
				f |= fCmp
			} else {
				f |= fBangOp
			}
		case '\\':
			f |= fBslash
			if isBslashCtl(next) {
				// a literal \n separates words (and commands)
				f |= fBslashCtl
				i++
			}
		case '^':
			f |= fTilde
			if isWordByte[next] {
				f |= fShellObf // cmd.exe escapes: c^a^l^c, ^w^h^o^a^m^i
			}
		case '\n', '\r':
			f |= fNewline
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
		}
		i++
	}
	if f&(fSemi|fPipe|fAmp|fNewline) != 0 && sepLead(s) {
		// (sepLead needs a separator: ; | & or a line break)
		f |= fSepLead
	}
	return f, kw, firstCmd
}

// gates returns the categories whose detectors can match given the
// features. It must stay a superset of what the detectors detect.
func gates(f feat, kw uint32, firstCmd bool, decoded bool, short bool) catSet {
	if kw == 0 && !decoded && f&gatesAlone(short) == 0 {
		// no keyword and none of the flags that open a gate without
		// one: every test below fails (TestGatesAlone)
		return 0
	}
	var g catSet
	if f&(fQuote|fSQLComment|fAt2|fPipe2|fAmp2) != 0 || kw&(gSQL|gSQLCatalog) != 0 || kw&gSQLStmt != 0 && f&fSemi != 0 || kw&gSQLFunc != 0 && f&fParen != 0 ||
		kw&gBool != 0 && f&(fEq|fCmp) != 0 || f&(fParen|fDigit) == fParen|fDigit && sqlCmpF(f) ||
		kw&gSQLOp != 0 && f&(fDigit|fNumStart) == fDigit|fNumStart || kw&gBool != 0 && f&(fParen|fDigit|fNumStart) == fParen|fDigit|fNumStart ||
		kw&gBool != 0 && f&(fDigit|fSemi) == fDigit|fSemi || kw&gBool != 0 && f&(fParen|fSemi) == fParen|fSemi || kw&gBool != 0 && f&fAtVar != 0 || kw&gBool != 0 && f&(fBangOp|fDigit|fNumStart) == fBangOp|fDigit|fNumStart ||
		kw&gBool != 0 && f&(fDigit|fNumStart) == fDigit|fNumStart && f&(fDash|fPlus|fHex0x) != 0 ||
		kw&(gBool|gSQLOp) == gBool|gSQLOp && f&(fParen|fDigit) != 0 { // "x and(00is null"
		g |= 1 << ciSQLi
	}
	// A tab or newline inside a scheme name splits the keyword the
	// gate reads, and URL parsers remove it (java\tscript:).
	// An AngularJS expression names its scope's members with '$' ({{$on...}}:
	// xss.template), which the keyword gate does not read as words.
	if f&(fLtTag|fAmpBrace) != 0 || kw&gXSS != 0 || decoded && f&fLt != 0 || f&(fNewline|fCtl) != 0 && f&fColon != 0 ||
		f&(fTmpl|fDollarWord) == fTmpl|fDollarWord {
		g |= 1 << ciXSS
	}
	if cmdGate(f, kw, firstCmd, decoded, short) || shellGate(f, kw) || kw&gCodeExec != 0 && f&fEq != 0 { // the last: phpDirective
		g |= 1 << ciCmdI
	}
	if f&(fDotDot|fDotQ|fHex0x|fSlashDotSlash|fBslash) != 0 || f&fURL != 0 && f&(fQuest|fDigit|fSQLComment) != 0 || f&(fBrace|fSlash) == fBrace|fSlash || kw&gPath != 0 && f&(fSlash|fBslash|fDot|fColon|fPct|fQuest|fCtl|fNewline|fTilde) != 0 || decoded || f&fPct != 0 {
		g |= 1 << ciPath
	}
	if f&fURL != 0 || kw&gSSRF != 0 {
		g |= 1 << ciSSRF
	}
	if f&(fDollarWord|fBracketDollar) != 0 || kw&gNoSQL != 0 && f&(fDot|fSemi|fQuote) != 0 || f&(fPipe2|fAmp2) != 0 && f&(fEqEq|fCmp) != 0 {
		g |= 1 << ciNoSQL
	}
	if f&(fTmpl|fHashWord|fDollarBrace|fUnder2) != 0 || kw&gSSTI != 0 && f&(fParen|fBrace|fBracket) != 0 || kw&gOGNL != 0 {
		g |= 1 << ciSSTI
	}
	if f&fDollarBrace != 0 {
		g |= 1 << ciJNDI
	}
	if f&fUnder2 != 0 || kw&gProto != 0 {
		g |= 1 << ciProto
	}
	if f&(fLtBang|fLtQuest) != 0 || kw&gXXE != 0 {
		g |= 1 << ciXXE
	}
	if f&fLDAP != 0 || short && f&(fStar|fParen|fPipe|fAmp|fSlash) != 0 || decoded && short {
		g |= 1 << ciLDAP
	}
	if kw&gTool != 0 {
		g |= 1 << ciTool
	}
	if kw&gXSS != 0 && f&fEq != 0 { // "cookie" and '=' (session.go)
		g |= 1 << ciSess
	}
	return g
}

// gatesAlone returns the flags of which gates needs one at least to open
// any gate when no keyword group is set and nothing was decoded: those
// of its tests without a keyword (for a test of several flags, one that
// it needs), with LDAP's and cmdGate's flags of a short value.
func gatesAlone(short bool) feat {
	const alone = fQuote | fSQLComment | fAt2 | fPipe2 | fAmp2 | fEq | fCmp | fQuest | // SQLi (sqlCmpF with a '(' and a digit)
		fLtTag | fAmpBrace | fColon | fTmpl | // XSS (a break or control byte with a ':')
		fShellshock | fDollarWord | fDollarBrace | fLtBang | fLtQuest | fBraceList | fShellObf | fSlash | fBslashCtl | // cmdGate
		fSemi | fPipe | fAmp | fNewline | fBacktick | fDollarParen | fPct | fSepLead | // shellGate (its operators with an option or a path)
		fDotDot | fDotQ | fHex0x | fSlashDotSlash | fBslash | fURL | // path, SSRF
		fBracketDollar | fHashWord | fUnder2 | fLDAP // NoSQL, SSTI, JNDI, prototype, XXE, LDAP
	if short {
		return alone | fStar | fParen
	}
	return alone
}

// sqlCmpF reports a comparison operator of the SQL lexer (opCmp): = < >
// != <> <=> := @> <@, and jsonb's ?| ?& ('?' with '|' or '&'). With a
// '(' and a digit it may be sqli.tautology's parenthesised literal
// comparison ("(1589=1589)", "(1>0)").
func sqlCmpF(f feat) bool {
	return f&(fEq|fCmp) != 0 || f&fQuest != 0 && f&(fPipe|fAmp) != 0
}

// cmdGate reports the strings the command-injection rules of cmdScan
// (cmdi.go) can flag in the value itself. detectCmdI passes firstCmd =
// true, a superset, to decide whether to run them when the gate opened
// for the shell grammar alone.
func cmdGate(f feat, kw uint32, firstCmd, decoded, short bool) bool {
	const sepF = fSemi | fPipe | fAmp | fNewline | fBacktick | fDollarParen | fBslashCtl | fQuote
	return kw&gCmdStrong != 0 && f&(sepF|fParen|fSlash|fBslash|fLt|fGt|fBrace|fPlus|fDash|fSpace) != 0 ||
		kw&gCmdWeak != 0 && (f&sepF != 0 || firstCmd && f&(fDash|fSlash|fBslash|fPct|fLt|fGt|fDollarWord|fDollarBrace) != 0) ||
		kw&gCodeExec != 0 && f&(fParen|fBracket|fLtQuest) != 0 ||
		f&(fShellshock|fDollarWord|fDollarBrace|fLtBang|fLtQuest|fBraceList) != 0 ||
		f&(fShellObf|fParen|fQuote) == fShellObf|fParen|fQuote || // PowerShell &('ie'+'x') (psConcatCall)
		kw&gBinDir != 0 && kw&(gCmdStrong|gCmdWeak) != 0 && f&(fSlash|fBslash) != 0 || // cmdi.binary_path ('/opt/w')
		f&(fQuest|fStar) != 0 && f&fSlash != 0 && f&fEq == 0 ||
		decoded && short || f&fBslashCtl != 0 || short && f&(fSemi|fPipe|fAmp|fBacktick|fDollarParen) != 0
}

// shellGate reports the strings the shell grammar (shell.go) judges: a
// command word, a shell spelling trick, an expansion or substitution, a
// %VAR%, or a shell operator together with an option, a path or a file
// name. detectCmdI runs the grammar only when it holds, so this part of
// the gate is sound by construction.
func shellGate(f feat, kw uint32) bool {
	const ops = fSemi | fPipe | fAmp | fNewline | fBacktick | fDollarParen | fBslashCtl
	return kw&gCmdStrong != 0 && f&(ops|fDash|fSlash|fBslash|fQuote|fPct|fParen) != 0 ||
		kw&gCmdWeak != 0 && f&(ops|fDash|fBslash|fQuote|fPct) != 0 ||
		f&(fShellObf|fDollarParen|fBacktick|fDollarWord|fDollarBrace) != 0 ||
		f&ops != 0 && (f&fShellArg != 0 || f&(fOpGlued|fSlash) == fOpGlued|fSlash) ||
		f&(fPct|fParen) == fPct|fParen ||
		f&(fQuest|fStar) != 0 && f&fSlash != 0 && f&fEq == 0 ||
		f&fSepLead != 0
}

// hasByte is non-zero when a byte of x (eight bytes, little-endian) is c:
// the classic test for a zero byte of x^c, which has no false negative and
// a false positive only above a true one.
func hasByte(x uint64, c byte) uint64 {
	v := x ^ lsb8*uint64(c)
	return (v - lsb8) &^ v & msb8
}

// featRunFrom is the length from which features steps over the bytes
// that add nothing new with featRun (a shorter string's bytes are judged
// one by one).
const featRunFrom = 32

// memoFrom is the length from which features remembers the keywords it
// looked up (a short value has few to repeat).
const memoFrom = 128

// sameBytes reports whether s[a:b] and s[i:j] are the same bytes.
func sameBytes[T ~string | ~[]byte](s T, a, b, i, j int) bool {
	if b-a != j-i {
		return false
	}
	for ; i < j; i, a = i+1, a+1 {
		if s[i] != s[a] {
			return false
		}
	}
	return true
}

// sepLead reports a value whose first token, after blanks and quotes, is
// ended by a command separator (; | & or a line break, doubled or not)
// before any blank (a number or address may have blanks before it), with
// a letter after it and its blanks: ";ps aux", "127.0.0.1| ip a",
// "127.0.0.1 && ip a", "x;ps aux" (the token may be empty). The shell judge
// reads the command after such a separator by its shape (shCmd.lead). It
// reads the first token and the separator's run only.
func sepLead[T ~string | ~[]byte](s T) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\'' || s[i] == '"') {
		i++
	}
	t0 := i // the first token's start
	// the first token may be the whole value ("${${${..."): eight bytes
	// without a blank, a separator or another control byte are skipped
	// at a time
	for i < len(s) {
		if i+8 <= len(s) {
			w := s[i : i+8]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			if (x-lsb8*0x0e)&^x&msb8|hasByte(x, ' ')|hasByte(x, ';')|hasByte(x, '|')|hasByte(x, '&') == 0 {
				i += 8
				continue
			}
		}
		end := min(i+8, len(s))
		for ; i < end; i++ {
			switch s[i] {
			case ';', '|', '&', '\n', '\r':
				i++
				if i < len(s) && (s[i] == s[i-1] || s[i-1] == '\r' && s[i] == '\n') {
					i++ // && || ;; CRLF
				}
				for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
					i++
				}
				return i < len(s) && isLetter(s[i]|0x20)
			case ' ', '\t':
				// a number or an address, blanks, then the separator:
				// "127.0.0.1 && ip a"
				if t0 < 0 || i == t0 || !isDigit(s[t0]) {
					return false
				}
				for k := t0; k < i; k++ {
					if !isDigit(s[k]) && s[k] != '.' {
						return false
					}
				}
				t0 = -1
				j := i
				for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
					j++
				}
				if j == len(s) || s[j] != ';' && s[j] != '|' && s[j] != '&' && s[j] != '\n' && s[j] != '\r' {
					return false
				}
				i = j - 1 // on to the separator
			}
		}
	}
	return false
}

// periodRun returns how many bytes from k on (up to lim) repeat the ones
// p before them (s[t] == s[t-p]), eight at a time while they do.
func periodRun(s string, k, lim, p int) int {
	t := k
	if k >= p && p > 0 && lim <= len(s) {
		// (both words in s: t-p >= 0 and t+8 <= lim <= len(s))
		b := unsafe.Pointer(unsafe.StringData(s))
		for t+8 <= lim && *(*uint64)(unsafe.Add(b, t)) == *(*uint64)(unsafe.Add(b, t-p)) {
			t += 8
		}
	}
	for t < lim && s[t] == s[t-p] {
		t++
	}
	return t - k
}

// featRun steps over the bytes from i that are no word bytes and whose
// flags features' switch need not compute, and returns where it stopped
// (at the end, a word byte or a byte for the switch) and the flags it
// found. A byte of featAlone adds its own flags wherever it is. For a
// byte of fbCtx, ctx remembers the windows s[i-1:i+3] of those the
// switch judged (featRun stores the window of the byte it stops at): all
// the switch reads around one (with both of its bounds tests passed),
// save for a byte of fbNoMemo and a '{' before a word (braceList reads
// on), whose windows are not remembered. A byte whose window is
// remembered adds nothing new: a storm of "${" or "../" costs a
// comparison a byte.
//
// It steps over a word too when features would take it for the last word
// it judged in full, s[ri:rj], repeated, and add nothing for it (words
// counts words only to know the first, already judged): the same bytes
// and the same byte after them, neither '$' nor a quote or a backslash,
// no de-quoted join around it (joinedTo: where one is, features goes on
// with it) and no \n escape before it. A storm of "<a " or "; ls "
// costs a comparison a byte and one a word.
func featRun(s string, i int, ctx *ctxWindows, ri, rj, joinedTo int) (int, feat) {
	var f feat
	n := len(s)
	p := unsafe.Pointer(unsafe.StringData(s))
	q := -1 // the last word stepped over
	for ; i < n; i++ {
		c := s[i]
		t := featByte[c]
		if t&(fbWord|fbCtx) == 0 {
			f |= featAlone[c]
			continue
		}
		if t&fbWord != 0 {
			// (s[ri:rj] is a word and s[rj] no word byte, rj < i: the
			// same bytes are a word ending at the same byte)
			if e := i + rj - ri; rj > ri && e < n && s[e] == s[rj] && i >= joinedTo && sameBytes(s, ri, rj, i, e) && wordRepeats(s, i, rj) {
				if p := i - q; q >= 2 && p > 0 {
					// The steps from q (this word before) came to i
					// without a stop, adding what they add: where the
					// bytes repeat those p before, the steps from i do
					// the same, each reading its bytes from two before
					// it to r after (a word and the byte after it, or a
					// window): the whole periods of them are passed.
					r := max(3, e-i+1)
					if k := (periodRun(s, i-2, n, p) - 2 - r) / p; k > 0 {
						i += k * p
						q = i - p
						i--
						continue
					}
				}
				q = i
				i = e - 1
				continue
			}
			break
		}
		if t&fbNoMemo != 0 || i == 0 || i+3 > n {
			break
		}
		// (a window's second byte is c, which is not zero: an empty
		// slot matches none; its byte order does not matter, nor that
		// two windows share a slot)
		w := *(*uint32)(unsafe.Add(p, i-1))
		if slot := &ctx[ctxSlot(w)]; *slot != w {
			if c != '{' || !isWordByte[s[i+1]] {
				*slot = w
			}
			break
		}
		// the bytes after it whose windows are remembered too, in a
		// loop of their own (the window of i+1 is s[i:i+4])
		for h := i; i+4 <= n; {
			if w = *(*uint32)(unsafe.Add(p, i)); ctx[ctxSlot(w)] != w {
				break
			}
			if i++; i-h == 16 && i+8 <= n {
				// Sixteen bytes from h on passed: the window of a byte
				// at t whose bytes s[t-1:t+3] repeat those d before (d
				// at most 16) is that of the byte at t-d, at h or after
				// it, passed: it is remembered (none was stored since).
				// The bytes up to where the repeating run from i ends,
				// less three, are passed at once.
				for d := 1; d <= 16; d++ {
					if *(*uint64)(unsafe.Add(p, i)) == *(*uint64)(unsafe.Add(p, i-d)) {
						i += periodRun(s, i, n, d) - 3
						break
					}
				}
			}
		}
	}
	return i, f
}

// wordRepeats is the rest of features' test of a repeated word at i (the
// last judged in full ending at rj) for featRun: the byte after it is no
// '$', quote or backslash, and no \n escape is before it.
func wordRepeats(s string, i, rj int) bool {
	switch s[rj] {
	case '$', '\'', '"', '\\':
		return false
	}
	return !noWordRepeat && !(i >= 2 && s[i-2] == '\\' && isBslashCtl(s[i-1]))
}

// ctxWindows is featRun's table of windows, by a hash of the window
// (ctxSlot); zero is an empty slot.
type ctxWindows [1 << ctxBits]uint32

const ctxBits = 5

// ctxSlot is the slot of the window w (a multiplicative hash).
func ctxSlot(w uint32) uint32 { return w * 0x9e3779b1 >> (32 - ctxBits) }

// noWordRepeat makes features judge every word and every de-quoted join
// in full (a test hook: FuzzFeaturesWordRepeat compares the answers).
var noWordRepeat = false

// quotesAfter steps over the quotes at j, right after a word, and sets
// fQuote for them (all that features' switch does for one): a storm of
// quoted words costs no switch a quote.
func quotesAfter(s string, j int, f *feat) int {
	k := j
	for k < len(s) && (s[k] == '\'' || s[k] == '"') {
		k++
	}
	if k > j {
		*f |= fQuote
	}
	return k
}

// proseFeatures is features for a value shorter than featRunFrom made of
// words of lower-case letters and digits one space apart, some joined by
// " & " ("text 5 & more", "bags & more": the shape proseAmpersands reads),
// read word by word without features' byte-by-byte dispatch; ok is false,
// with nothing computed, for any other value. What features adds for such
// a value: fSpace for each space, fAmp for each '&' (a space after it:
// no fOpGlued, fAmp2 or fAmpBrace), fNumStart for a first digit, each
// word's fDigit, fHex0x and fMarkerWord and keyword groups (wordGroups,
// and a digit-led word's letters after its number), firstCmd from the
// first word, fSepLead from sepLead, which finds no separator after a
// first word that does not start with a digit (its first blank ends the
// token). TestProseFeatures and FuzzProseFeatures compare it with
// features.
//
// With cmds, it also notes each command of the value (its first word, and
// the word after each " & ") with its word count and keyword groups, for
// proseClean.
func proseFeatures(s string, x *kwIndex, cmds *proseCmds) (f feat, kw uint32, firstCmd, ok bool) {
	n := len(s)
	if n == 0 || n >= featRunFrom {
		return 0, 0, false, false
	}
	if cmds != nil {
		cmds.n = 0
	}
	cmd := true              // s[i:] starts a command
	nc, words := 0, uint8(0) // commands noted, the last one's words so far
	for i := 0; ; {
		// a word s[i:j] of lower-case letters and digits
		// (i < n here; t0: its byte's class; h: the word's wordHash, read
		// along: its bytes are lower case)
		c0 := s[i]
		t0 := featByte[c0]
		if t0&fbWord == 0 {
			return 0, 0, false, false
		}
		m := t0
		h := (2166136261 ^ uint32(c0)) * 16777619
		j := i + 1
		for j < n {
			c := s[j]
			t := featByte[c]
			if t&fbWord == 0 {
				break
			}
			m |= t
			h = (h ^ uint32(c)) * 16777619
			j++
		}
		if m&(fbUpper|fbUnder) != 0 {
			return 0, 0, false, false
		}
		if m&fbDigit != 0 {
			f |= fDigit
		}
		if m&(fbZero|fbX) == fbZero|fbX {
			for k := i; k+1 < j; k++ {
				if s[k] == '0' && s[k+1] == 'x' {
					f |= fHex0x
					break
				}
			}
		}
		wn := j - i
		if wn >= len("aced0005") && m&(fbDigit|fbLetter) == fbDigit|fbLetter {
			f |= fMarkerWord
		}
		var g uint32
		if wn < len(x.possible) {
			if wn > 4 && s[i] == 'o' && s[i+1] == 'n' {
				g = wordGroups(x, s[i:j]) // (an event handler's name)
			} else if x.possible[wn][t0>>fbLetterShift&31]&(1<<(featByte[s[j-1]]>>fbLetterShift&31)) != 0 {
				// wordGroups' own tests without its call, and its
				// look-up with the hash read along
				g = lookupLower(x, s[i:j], h)
			}
			if i == 0 && g&(gCmdStrong|gCmdWeak) != 0 {
				firstCmd = true
			}
			kw |= g
		}
		if cmds != nil {
			if cmd {
				cmds.c[nc] = proseCmd{w0: uint8(i), w1: uint8(j), g: g}
				nc++
				words = 0
				cmd = false
			}
			words++
		}
		if t0&fbDigit != 0 && m&fbLetter != 0 {
			if k := numberEnd(s, i, j); k < j && isLetter(s[k]) && j-k < len(x.possible) {
				kw |= wordGroups(x, s[k:j])
			}
		}
		if j == n {
			break
		}
		// one space, then a word or "& " and a word
		if s[j] != ' ' || j+1 == n {
			return 0, 0, false, false
		}
		f |= fSpace
		i = j + 1
		if s[i] == '&' {
			if i+2 >= n || s[i+1] != ' ' {
				return 0, 0, false, false
			}
			f |= fAmp
			i += 2
			cmd = true
			if cmds != nil {
				cmds.c[nc-1].words = words
			}
		}
	}
	if cmds != nil {
		cmds.c[nc-1].words = words
		cmds.n = nc
	}
	if isDigit(s[0]) {
		f |= fNumStart
		if f&fAmp != 0 && sepLead(s) {
			f |= fSepLead
		}
	}
	return f, kw, firstCmd, true
}

// lookupLower is lookup(x, w) for a word w of no upper-case letter whose
// wordHash is h: its bytes compare with the keyword's as they are.
func lookupLower(x *kwIndex, w string, h uint32) uint32 {
	for i := h & (kwSlots - 1); ; i = (i + 1) & (kwSlots - 1) {
		j := x.slots[i]
		if j == 0 {
			return 0
		}
		if e := &x.words[j-1]; e.hash == h && e.word == w {
			return e.groups
		}
	}
}

// proseCmds are the commands proseFeatures noted: a value shorter than
// featRunFrom has at most eight ("a & " is four bytes).
type proseCmds struct {
	n int
	c [featRunFrom / 4]proseCmd
}

// proseCmd is a command of a prose value: its word s[w0:w1], its word
// count and the word's keyword groups (bytes: the value is shorter than
// featRunFrom, and a scan that reads no prose zeroes little).
type proseCmd struct {
	w0, w1, words uint8
	g             uint32
}

// proseClean is proseAmpersands(s) for a value proseFeatures read into
// pc: the value is of its shape, and each command word's strength is read
// from the groups proseFeatures looked up (commandStrength's look-up of
// the same word: no ".exe" in the alphabet, and a word too long for the
// table has no group).
func (pc *proseCmds) proseClean(s string) bool {
	if len(s) < 5 || pc.n < 2 {
		return false // (proseAmpersands: five bytes, and an '&')
	}
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	for k := 0; k < pc.n; k++ {
		c := &pc.c[k]
		if !proseCommandAs(b, b[c.w0:c.w1], int(c.words), k, groupStrength(c.g)) {
			return false
		}
	}
	return true
}

// shortClasses are the byte classes of the values shortFeatures reads:
// letters, digits, '_', spaces and the punctuation ( ) - . , : / (a
// lower-case letter has no class).
const shortClasses = kSpace | kDigit | kUpper | kUnder | kParen | kDash | kDot | kComma | kColon | kSlash

// shortFeatures is features for a value shorter than featRunFrom whose
// bytes are all of shortClasses ("a12 (b) c-84", "Mon, 7 Dec 2026",
// "v1.2.3-rc1", "10:30"), in a loop of few live values: ok is false, with
// nothing computed, for any other value. What features' switch adds for
// these bytes, when no byte of the value is outside them: ' ' fSpace
// (','  nothing); '(' fParen (the byte after it is no quote, '&', '|' or
// '!', and no "() {" has its '{'); ')' fParen, and fLDAP before '(';
// '-' fDash, fShellArg after a space before a letter or '-' (no tab
// before it), fSQLComment before '-'; '.' fDot, fShellArg before '/'
// when no word byte is before it, fDotDot before '.' (no '?' after it);
// ':' fColon, fURL before "//"; '/' fSlash, fSlashDotSlash before "./"
// (no '*' after it). A word adds what features' word step adds: fDigit,
// fHex0x, fUnder2, fMarkerWord, its keyword groups (and a digit-led
// word's letters after its number), firstCmd for the first word, and
// fShellObf for qx( (the only byte after a word features' second switch
// reads that can be here is '('). No separator of sepLead can be here,
// and no quote for quotesAfter. TestShortFeatures and FuzzShortFeatures
// compare it with features.
func shortFeatures(s string, x *kwIndex) (f feat, kw uint32, firstCmd, ok bool) {
	n := len(s)
	if n == 0 || n >= featRunFrom {
		return 0, 0, false, false
	}
	first := true
	for i := 0; i < n; {
		c := s[i]
		if t := featByte[c]; t&fbWord != 0 {
			j := i + 1
			m := t
			for j < n {
				u := featByte[s[j]]
				if u&fbWord == 0 {
					break
				}
				m |= u
				j++
			}
			if m&(fbDigit|fbUnder|fbUpper) != 0 {
				if m&fbDigit != 0 {
					f |= fDigit
				}
				if m&(fbZero|fbX) == fbZero|fbX {
					for k := i; k+1 < j; k++ {
						if s[k] == '0' && s[k+1]|0x20 == 'x' {
							f |= fHex0x
							break
						}
					}
				}
				if m&fbUnder != 0 && f&fUnder2 == 0 {
					for k := i; k+1 < j; k++ {
						if s[k] == '_' && s[k+1] == '_' {
							f |= fUnder2
							break
						}
					}
				}
			}
			wn := j - i
			if wn >= len("rO0AB") && (m&fbUpper != 0 || wn >= len("aced0005") && m&(fbDigit|fbLetter) == fbDigit|fbLetter) {
				f |= fMarkerWord
			}
			if x.possible[wn][t>>fbLetterShift&31]&(1<<(featByte[s[j-1]]>>fbLetterShift&31)) != 0 || wn > 4 && c|0x20 == 'o' && s[i+1]|0x20 == 'n' {
				// (wordGroups' own first tests, without its call: most
				// words of a value are no keyword's length and letters)
				g := wordGroups(x, s[i:j])
				if first && g&(gCmdStrong|gCmdWeak) != 0 {
					firstCmd = true
				}
				kw |= g
			}
			first = false
			if t&fbDigit != 0 && m&fbLetter != 0 {
				if k := numberEnd(s, i, j); k < j && isLetter(s[k]|0x20) && j-k < len(x.possible) {
					kw |= wordGroups(x, s[k:j])
				}
			}
			if wn == 2 && j < n && s[j] == '(' && s[i]|0x20 == 'q' && s[i+1]|0x20 == 'x' {
				f |= fShellObf // Perl's qx(...)
			}
			i = j
			continue
		}
		var next byte
		if i+1 < n {
			next = s[i+1]
		}
		switch c {
		case ' ':
			f |= fSpace
		case ',':
		case '(':
			f |= fParen
		case ')':
			f |= fParen
			if next == '(' {
				f |= fLDAP
			}
		case '-':
			f |= fDash
			if i > 0 && s[i-1] == ' ' && (isLetter(next|0x20) || next == '-') {
				f |= fShellArg
			}
			if next == '-' {
				f |= fSQLComment
			}
		case '.':
			f |= fDot
			if next == '/' && (i == 0 || !isWordByte[s[i-1]]) {
				f |= fShellArg
			}
			if next == '.' {
				f |= fDotDot
			}
		case ':':
			f |= fColon
			if next == '/' && i+2 < n && s[i+2] == '/' {
				f |= fURL
			}
		case '/':
			f |= fSlash
			if next == '.' && i+2 < n && s[i+2] == '/' {
				f |= fSlashDotSlash
			}
		default:
			return 0, 0, false, false
		}
		i++
	}
	if c := s[0]; isDigit(c) || c == '-' || c == '(' || c == '.' || c == ' ' && numStart(s) {
		f |= fNumStart
	}
	return f, kw, firstCmd, true
}

package guard

import "strings"

// ProtocolRule describes one protocol-enforcement rule (category
// Protocol). Its examples are raw HTTP/1.x requests (lines separated by
// "\n", a blank line before the body); the tests send each through the
// engine and the HTTP adapters: every attack must be refused, every
// benign look-alike must pass.
type ProtocolRule struct {
	ID          string
	Description string
	// CRS names the OWASP Core Rule Set rules of the same intent.
	CRS     string
	Attacks []string
	Benign  []string
}

// protocolRuleIDs holds the ids of protocolRules, each between two
// newlines (isProtocolRule reads it without linking the examples).
const protocolRuleIDs = `
protocol.body_on_get
protocol.charset
protocol.content_length
protocol.content_type
protocol.fragment
protocol.host
protocol.http_version
protocol.length_conflict
protocol.multipart
protocol.newline
protocol.nul_byte
protocol.range
protocol.restricted_file
protocol.restricted_header
protocol.unicode_escape
protocol.unix_socket
protocol.url_encoding
`

func isProtocolRule(id string) bool {
	return id != "" && strings.IndexByte(id, '\n') < 0 && strings.Contains(protocolRuleIDs, "\n"+id+"\n")
}

// ProtocolRules returns the protocol rules, sorted by id. The slices are
// shared: do not modify them.
func ProtocolRules() []ProtocolRule { return protocolRules }

const exHost = "Host: api.example.com\n"

var protocolRules = []ProtocolRule{
	{ID: "protocol.body_on_get", CRS: "920170, 920171",
		Description: "A GET or HEAD request that declares a body: a Content-Length over 0 or a Transfer-Encoding. Caches and proxies ignore such a body, the function may not: a classic smuggling and cache-poisoning vector.",
		Attacks: []string{"GET /items HTTP/1.1\n" + exHost + "Content-Length: 5\n\nhello",
			"HEAD /items HTTP/1.1\n" + exHost + "Content-Length: 3\n\nabc",
			"GET /items HTTP/1.1\n" + exHost + "Transfer-Encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n"},
		Benign: []string{"GET /items HTTP/1.1\n" + exHost + "Content-Length: 0\n\n",
			"POST /items HTTP/1.1\n" + exHost + "Transfer-Encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n",
			"GET /items?q=body HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.charset", CRS: "920480",
		Description: "A request Content-Type whose charset is not UTF-8, US-ASCII, ISO-8859-1/15 or windows-1252 (UTF-7, UTF-16/32 and EBCDIC hide attacks from byte-level inspection), or that names two charsets.",
		Attacks: []string{"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/json; charset=utf-7\nContent-Length: 2\n\n{}",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded; charset=ibm037\nContent-Length: 3\n\na=b",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: text/plain; charset=utf-8; charset=utf-7\nContent-Length: 2\n\nhi"},
		Benign: []string{"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/json; charset=UTF-8\nContent-Length: 2\n\n{}",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: text/plain; charset=\"iso-8859-1\"\nContent-Length: 2\n\nhi",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/json; charset_hint=utf-7\nContent-Length: 2\n\n{}"}},
	{ID: "protocol.content_length", CRS: "920160",
		Description: "A Content-Length that is not a decimal number, or two different Content-Length values (the body's end is ambiguous).",
		Attacks: []string{"POST /items HTTP/1.1\n" + exHost + "Content-Length: 3x\n\nabc",
			"POST /items HTTP/1.1\n" + exHost + "Content-Length: -3\n\nabc",
			"POST /items HTTP/1.1\n" + exHost + "Content-Length: 3\nContent-Length: 4\n\nabcd"},
		Benign: []string{"POST /items HTTP/1.1\n" + exHost + "Content-Length: 3\n\nabc",
			"POST /items HTTP/1.1\n" + exHost + "Content-Length: 3\nContent-Length: 3\n\nabc"}},
	{ID: "protocol.content_type", CRS: "920470, 921421",
		Description: "A request Content-Type with a '/' that is not one media type with name=value parameters, such as a second media type hidden among the parameters (parsers then disagree on how to read the body).",
		Attacks: []string{"POST /items HTTP/1.1\n" + exHost + "Content-Type: text/plain; application/json\nContent-Length: 2\n\n{}",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded\u00a0xml\nContent-Length: 3\n\na=b",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/json, text/xml\nContent-Length: 2\n\n{}",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: multipart/form-data; boundary=XX; boundary=YY\nContent-Length: 8\n\n--YY--\r\n"},
		Benign: []string{"POST /items HTTP/1.1\n" + exHost + "Content-Type: idk\nContent-Length: 2\n\n{}",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW\nContent-Length: 43\n\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/vnd.api+json;\nContent-Length: 2\n\n{}",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: multipart/mixed; boundary=\"a;b=c\"\nContent-Length: 9\n\n--a;b=c--"}},
	{ID: "protocol.fragment", CRS: "920610",
		Description: "A raw (unencoded) '#' in the request target: clients keep fragments to themselves, so one that reaches a server splits the URL differently for two parsers. Read in the query string as sent, and in the path where the server passes it as sent (net/http, Cloud Functions).",
		Attacks: []string{"GET /items#/../admin HTTP/1.1\n" + exHost + "\n",
			"GET /items?q=1#frag HTTP/1.1\n" + exHost + "\n"},
		Benign: []string{"GET /items%23hash HTTP/1.1\n" + exHost + "\n",
			"GET /items?color=%23ff0000 HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.host", CRS: "920280, 920290",
		Description: "A request read by a server (net/http, Cloud Functions) without a Host header or with an empty one.",
		Attacks: []string{"GET /items HTTP/1.0\n\n",
			"GET /items HTTP/1.1\nHost:\n\n"},
		Benign: []string{"GET /items HTTP/1.0\nHost: localhost:8080\n\n",
			"GET /items HTTP/1.1\nHost: 127.0.0.1\n\n"}},
	{ID: "protocol.http_version", CRS: "920430",
		Description: "An HTTP version (HTTP/x.y, as the request line or the event's protocol field says) other than HTTP/1.0, HTTP/1.1, HTTP/2 or HTTP/3.",
		Attacks: []string{"GET /items HTTP/1.2\n" + exHost + "\n",
			"GET /items HTTP/0.9\n" + exHost + "\n",
			"GET /items HTTP/3.1\n" + exHost + "\n"},
		Benign: []string{"GET /items HTTP/1.0\n" + exHost + "\n",
			"GET /items HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.length_conflict", CRS: "920181, 921110",
		Description: "Both Content-Length and Transfer-Encoding: a front end and a back end may each read a different body (request smuggling).",
		Attacks:     []string{"POST /items HTTP/1.1\n" + exHost + "Content-Length: 4\nTransfer-Encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n"},
		Benign: []string{"POST /items HTTP/1.1\n" + exHost + "Transfer-Encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Length: 5\n\nhello"}},
	{ID: "protocol.multipart", CRS: "920120",
		Description: "A multipart part whose Content-Disposition parsers read differently: a quoted string left open or followed by stray text, a parameter given twice (filename and filename*), a name or file name holding a quote, a line break or a NUL (raw or %00). Browsers escape these characters, so only a bypass sends them.",
		Attacks: []string{"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 86\n\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\\\";.php\"\r\n\r\nhello\r\n--XX--\r\n",
			"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 107\n\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.jpg\"; filename*=UTF-8''b.php\r\n\r\nhello\r\n--XX--\r\n",
			"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 94\n\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"shell.php%00.jpg\"\r\n\r\nhello\r\n--XX--\r\n",
			"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 82\n\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\r\n\r\nhello\r\n--XX--\r\n"},
		Benign: []string{"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 96\n\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"O'Brien CV (1).pdf\"\r\n\r\nhello\r\n--XX--\r\n",
			"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 73\n\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n--XX--\r\n",
			"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 104\n\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n\r\nhello\r\n--XX--\r\n",
			"POST /upload HTTP/1.1\nHost: api.example.com\nContent-Type: multipart/form-data; boundary=XX\nContent-Length: 89\n\n--XX\r\nContent-Disposition: form-data; name=\"a=b\"; filename=\"x=y;z.txt\"\r\n\r\nhello\r\n--XX--\r\n"}},
	{ID: "protocol.newline", CRS: "921150, 921190",
		Description: "A line break in the decoded path or in a parameter's name (query, cookie, form field), where a header or a log line is forged.",
		Attacks: []string{"GET /items%0d%0aX-Forwarded-Host:%20evil HTTP/1.1\n" + exHost + "\n",
			"GET /items?foo%0Abar=1 HTTP/1.1\n" + exHost + "\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 11\n\na%0d%0ab=1&"},
		Benign: []string{"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 23\n\nnote=line+1%0D%0Aline+2",
			"GET /items?note=a%0Ab HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.nul_byte", CRS: "920270",
		Description: "A NUL byte (raw or %00) in the path, a header, or a query, cookie or form parameter: C-based code (file APIs, native modules) stops reading at it.",
		Attacks: []string{"GET /items?file=report.pdf%00.php HTTP/1.1\n" + exHost + "\n",
			"GET /files/a%00b HTTP/1.1\n" + exHost + "\n",
			"GET /items HTTP/1.1\n" + exHost + "Cookie: s=a%00b\n\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 7\n\nq=a%00b"},
		Benign: []string{"GET /items?id=100 HTTP/1.1\n" + exHost + "\n",
			"GET /items?code=%2500 HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.range", CRS: "920190",
		Description: "A byte Range (or Request-Range) whose last byte comes before its first (RFC 9110 makes it invalid; range-handling bugs are probed with it).",
		Attacks: []string{"GET /items HTTP/1.1\n" + exHost + "Range: bytes=10-5\n\n",
			"GET /items HTTP/1.1\n" + exHost + "Request-Range: bytes=0-1, 200-100\n\n"},
		Benign: []string{"GET /items HTTP/1.1\n" + exHost + "Range: bytes=0-99\n\n",
			"GET /items HTTP/1.1\n" + exHost + "Range: bytes=-500, 9500-\n\n",
			"GET /items HTTP/1.1\n" + exHost + "Range: items=10-5\n\n"}},
	{ID: "protocol.restricted_file", CRS: "920440, 920500",
		Description: "A path whose last segment names a backup or editor's working file (~, .bak, .swp, .old), a configuration, database, log or key file (.config, .ini, .sql, .mdb, .log, .key, .htaccess) or a server-side file of IIS (.asa, .asax, .idq...): files an API does not serve but scanners ask for.",
		Attacks: []string{"GET /backup.sql HTTP/1.1\n" + exHost + "\n",
			"GET /web.config HTTP/1.1\n" + exHost + "\n",
			"GET /app/index.php~ HTTP/1.1\n" + exHost + "\n",
			"GET /.index.php.swp HTTP/1.1\n" + exHost + "\n",
			"GET /logs/error.log HTTP/1.1\n" + exHost + "\n",
			"GET /db/shop.MDB HTTP/1.1\n" + exHost + "\n",
			"GET /web.config;.js HTTP/1.1\n" + exHost + "\n",
			"GET /backup.sql/ HTTP/1.1\n" + exHost + "\n",
			"GET /db.mdb%20 HTTP/1.1\n" + exHost + "\n"},
		Benign: []string{"GET /blog HTTP/1.1\n" + exHost + "\n",
			"GET /api/config HTTP/1.1\n" + exHost + "\n",
			"GET /sites/example.com HTTP/1.1\n" + exHost + "\n",
			"GET /catalog.json HTTP/1.1\n" + exHost + "\n",
			"GET /download?file=notes.bak HTTP/1.1\n" + exHost + "\n",
			"GET /api/v1.0/ HTTP/1.1\n" + exHost + "\n",
			"GET /items;jsessionid=A1B2 HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.restricted_header", CRS: "920450",
		Description: "A request header that attacks use and API clients never send: Proxy (httpoxy), WebDAV's Lock-Token and If, IIS's Translate, Content-Range anywhere but a partial PUT.",
		Attacks: []string{"GET /items HTTP/1.1\n" + exHost + "Proxy: http://evil.example:8080\n\n",
			"GET /items HTTP/1.1\n" + exHost + "Lock-Token: <opaquelocktoken:123>\n\n",
			"GET /items HTTP/1.1\n" + exHost + "If: (<opaquelocktoken:1>)\n\n",
			"GET /items.asp HTTP/1.1\n" + exHost + "Translate: f\n\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Range: bytes 0-4/10\nContent-Length: 5\n\nhello"},
		Benign: []string{"GET /items HTTP/1.1\n" + exHost + "If-None-Match: \"abc\"\n\n",
			"GET /items HTTP/1.1\n" + exHost + "Proxy-Authorization: Basic eDp5\n\n",
			"PUT /items HTTP/1.1\n" + exHost + "Content-Range: bytes 0-4/10\nContent-Length: 5\n\nhello"}},
	{ID: "protocol.unicode_escape", CRS: "920260",
		Description: "IIS's non-standard %uXXXX escape in the path, the query string or a URL-encoded body (full-width and other characters smuggled past decoders that do not know it).",
		Attacks: []string{"GET /items?f=%uff0e%uff0e%u2215etc HTTP/1.1\n" + exHost + "\n",
			"GET /items%u002fadmin HTTP/1.1\n" + exHost + "\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 10\n\nq=%uFF1Cb&"},
		Benign: []string{"GET /items?q=%EF%BC%A1%EF%BC%A2 HTTP/1.1\n" + exHost + "\n",
			"GET /items?q=%25uff0e HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.unix_socket", CRS: "921240",
		Description: "Apache mod_proxy's unix:socket|url syntax in the path or a parameter (CVE-2021-40438: the proxy connects wherever the part after '|' says).",
		Attacks: []string{"GET /unix:/run/php.sock%7Chttp://backend.internal/ HTTP/1.1\n" + exHost + "\n",
			"GET /items?u=unix:/var/run/x.sock%7Chttp://x/ HTTP/1.1\n" + exHost + "\n"},
		Benign: []string{"GET /items?q=unix:%20the%20os%20|%20linux HTTP/1.1\n" + exHost + "\n",
			"GET /docs/unix:time HTTP/1.1\n" + exHost + "\n"}},
	{ID: "protocol.url_encoding", CRS: "920220, 920240",
		Description: "A '%' not followed by two hex digits in the query string or a URL-encoded body: no encoder writes it, decoders disagree on it.",
		Attacks: []string{"GET /items?q=x%zzy HTTP/1.1\n" + exHost + "\n",
			"GET /items?q=100% HTTP/1.1\n" + exHost + "\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 7\n\nq=a%zzb"},
		Benign: []string{"GET /items?q=100%25 HTTP/1.1\n" + exHost + "\n",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 11\n\nq=50%25+off",
			"POST /items HTTP/1.1\n" + exHost + "Content-Type: application/json\nContent-Length: 10\n\n{\"q\":\"5%\"}"}},
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
)

const (
	fetchTimeout  = 5 * time.Second
	maxPageBytes  = 64 << 10 // read at most this much of a previewed page
	maxTitleBytes = 200
	maxFileName   = 255
	statsTimeout  = 5 * time.Second
)

// app is the function. Both of its routes are deliberately vulnerable, to
// show what fnguard's runtime controls stop once an attack has got past the
// input checks. Do not copy them.
type app struct {
	// g reports exec lockdown denials; nil records nothing.
	g *guard.Guard
	// client fetches previews. In the function it is http.DefaultClient,
	// whose transport the egress allowlist (FNGUARD_EGRESS_ALLOW) polices.
	client *http.Client
	// uploadDir holds the uploaded files /stats reports on (UPLOAD_DIR).
	uploadDir string
	// shell runs the /stats command line.
	shell string
}

// newApp builds the function from its settings; uploadDir "" means /tmp,
// Lambda's writable directory. Errors name the variable.
func newApp(g *guard.Guard, client *http.Client, uploadDir string) (*app, error) {
	if client == nil {
		return nil, errors.New("runtimeguard: nil HTTP client")
	}
	if uploadDir == "" {
		uploadDir = os.TempDir()
	}
	if !filepath.IsAbs(uploadDir) {
		return nil, fmt.Errorf("UPLOAD_DIR=%q: want an absolute path", uploadDir)
	}
	if fi, err := os.Stat(uploadDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("UPLOAD_DIR=%q: not a directory (%v)", uploadDir, err)
	}
	return &app{g: g, client: client, uploadDir: uploadDir, shell: "/bin/sh"}, nil
}

// handle is the Lambda handler: API Gateway REST (payload v1) in, JSON out.
func (a *app) handle(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	if req.HTTPMethod != http.MethodGet {
		r, err := respond(ctx, http.StatusMethodNotAllowed, message("Method Not Allowed"))
		if err == nil {
			r.Headers["Allow"] = "GET"
		}
		return r, err
	}
	switch req.Resource {
	case "/preview":
		return a.preview(ctx, req.QueryStringParameters["url"])
	case "/stats":
		return a.stats(ctx, req.QueryStringParameters["file"])
	}
	return respond(ctx, http.StatusNotFound, message("no route for "+req.HTTPMethod+" "+req.Path))
}

// Preview is the answer of GET /preview.
type Preview struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
	Title  string `json:"title"`
}

// preview serves GET /preview?url=...: a link preview for links pasted
// into support tickets, which should only ever point at the help centre
// (docs.example.com).
//
// VULNERABLE ON PURPOSE (server-side request forgery): it checks the scheme
// and nothing else, so it fetches whatever host the caller names. A URL such
// as http://cdn.example.net/status is a well-formed link to a public-looking
// name, and no input check can know that its DNS record points at an
// internal address (the cloud metadata endpoint, a VPC service; 127.0.0.1 in
// the tests): guard/detect reports nothing for it (TestPayloadsVersusDetector
// checks this). With FNGUARD_EGRESS_ALLOW=docs.example.com the connection is
// refused when it is dialled, because http.DefaultClient goes through
// http.DefaultTransport, where Protect installed the allowlist; the
// refusal is logged as an egress.denied finding naming the host.
func (a *app) preview(ctx context.Context, raw string) (events.APIGatewayProxyResponse, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return respond(ctx, http.StatusBadRequest, message("url: want an absolute http or https URL"))
	}
	fctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(fctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return respond(ctx, http.StatusBadRequest, message("url: "+err.Error()))
	}
	req.Header.Set("User-Agent", "fnguard-runtimeguard-example/1 (link preview)")
	resp, err := a.client.Do(req)
	if err != nil {
		// An egress denial ends here: the finding is already logged.
		return respond(ctx, http.StatusBadGateway, message("could not fetch the link"))
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes))
	if err != nil {
		return respond(ctx, http.StatusBadGateway, message("could not read the linked page"))
	}
	return respond(ctx, http.StatusOK, Preview{URL: u.String(), Status: resp.StatusCode, Title: pageTitle(page)})
}

// pageTitle returns the text of the first <title> element, unescaped,
// whitespace-collapsed and cut to maxTitleBytes; "" if there is none.
func pageTitle(page []byte) string {
	lower := asciiLower(page) // same length as page, so offsets carry over
	start := bytes.Index(lower, []byte("<title"))
	if start < 0 {
		return ""
	}
	gt := bytes.IndexByte(lower[start:], '>')
	if gt < 0 {
		return ""
	}
	start += gt + 1
	end := bytes.Index(lower[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	t := strings.Join(strings.Fields(html.UnescapeString(string(page[start:start+end]))), " ")
	if len(t) > maxTitleBytes {
		cut := maxTitleBytes
		for cut > 0 && t[cut]&0xC0 == 0x80 {
			cut--
		}
		t = strings.TrimSpace(t[:cut])
	}
	return t
}

// asciiLower lower-cases A-Z only. bytes.ToLower would not do here: it
// changes the length of some UTF-8 sequences (and of invalid bytes).
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// Stats is the answer of GET /stats.
type Stats struct {
	File string `json:"file"`
	WC   string `json:"wc"` // wc's output: lines, words, bytes, name
}

// stats serves GET /stats?file=...: line, word and byte counts of an
// uploaded file, by wc.
//
// VULNERABLE ON PURPOSE (command injection): the file name is pasted into a
// /bin/sh command line, so "notes.txt; id > pwned" runs id as well. fnguard's
// detector does flag that payload (cmdi.separator); it reaches this handler
// because the example's configuration puts the cmdi category in monitor mode
// (FNGUARD_CATEGORY_MODES=cmdi=monitor), as a team does while it rolls
// fnguard out or when a field's legitimate values trip a category: the
// finding is logged and the request goes on. A payload that the detector
// misses ends up here the same way. With FNGUARD_LOCKDOWN=exec the shell
// never starts: execve fails with EPERM, and ReportExecDenied turns that
// silent refusal into a lockdown.exec finding.
func (a *app) stats(ctx context.Context, name string) (events.APIGatewayProxyResponse, error) {
	if name == "" || len(name) > maxFileName {
		return respond(ctx, http.StatusBadRequest, message(fmt.Sprintf("file: want a file name of 1 to %d bytes", maxFileName)))
	}
	sctx, cancel := context.WithTimeout(ctx, statsTimeout)
	defer cancel()
	cmd := exec.CommandContext(sctx, a.shell, "-c", "wc -l -w -c "+name) // the injection
	cmd.Dir = a.uploadDir
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"}
	out, err := cmd.Output()
	switch {
	case a.g.ReportExecDenied(ctx, err):
		return respond(ctx, http.StatusInternalServerError, message("file statistics are unavailable: this function may not start programs"))
	case err != nil:
		return respond(ctx, http.StatusNotFound, message("file: no statistics for "+name))
	}
	return respond(ctx, http.StatusOK, Stats{File: name, WC: strings.TrimSpace(string(out))})
}

func message(m string) map[string]string { return map[string]string{"message": m} }

// respond encodes v as the JSON body; the Lambda request id is echoed for
// support requests.
func respond(ctx context.Context, status int, v any) (events.APIGatewayProxyResponse, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("encoding the %d response: %w", status, err)
	}
	h := map[string]string{"Content-Type": "application/json"}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		h["X-Request-Id"] = lc.AwsRequestID
	}
	return events.APIGatewayProxyResponse{StatusCode: status, Headers: h, Body: string(body)}, nil
}

package egress_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"

	"github.com/fnguard/fnguard/guard/egress"
)

func ExampleParseAllowList() {
	rules, err := egress.ParseAllowList("api.stripe.com:443, *.S3.amazonaws.com 10.0.0.0/8 [2001:db8::]/32:443")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rules {
		fmt.Println(r)
	}

	_, err = egress.ParseAllowList("api.stripe.com:443, hooks.slack.com:99999")
	fmt.Println(err)
	// Output:
	// api.stripe.com:443
	// *.s3.amazonaws.com
	// 10.0.0.0/8
	// [2001:db8::]/32:443
	// egress: invalid allow-list entry 2 "hooks.slack.com:99999": port "99999" out of range 1-65535
}

func ExamplePolicy_Check() {
	rules, _ := egress.ParseAllowList("api.stripe.com:443, *.amazonaws.com, *")
	p, err := egress.New(egress.Config{Allow: rules})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range []struct {
		host string
		ip   string
		port int
	}{
		{"api.stripe.com", "54.187.216.72", 443},
		{"attacker.example", "203.0.113.7", 443},     // allowed by "*"
		{"", "169.254.169.254", 80},                  // "*" never includes metadata
		{"rebind.example", "169.254.169.254", 80},    // nor does any name
		{"metadata.google.internal", "10.0.0.9", 80}, // metadata by name
	} {
		if err := p.Check(c.host, netip.MustParseAddr(c.ip), c.port); err != nil {
			fmt.Println("deny: ", err)
		} else {
			fmt.Println("allow:", c.host, c.ip)
		}
	}
	// Output:
	// allow: api.stripe.com 54.187.216.72
	// allow: attacker.example 203.0.113.7
	// deny:  egress: connection to 169.254.169.254:80 denied: cloud metadata/credential endpoint; allow it by IP/CIDR or set AllowMetadata
	// deny:  egress: connection to rebind.example [169.254.169.254:80] denied: cloud metadata/credential endpoint; allow it by IP/CIDR or set AllowMetadata
	// deny:  egress: connection to metadata.google.internal [10.0.0.9:80] denied: cloud metadata host name; allow its IP by IP/CIDR or set AllowMetadata
}

func ExamplePolicy_Transport() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			// An SSRF-style redirect towards the credential endpoint.
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/iam/security-credentials/", http.StatusFound)
			return
		}
		_, _ = io.WriteString(w, "hello")
	}))
	defer srv.Close()

	rules, _ := egress.ParseAllowList("127.0.0.1")
	p, err := egress.New(egress.Config{
		Allow: rules,
		OnDeny: func(_ context.Context, d egress.Denial) {
			fmt.Println("finding:", d.Addr, d.Reason)
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	client := &http.Client{Transport: p.Transport(nil)}

	resp, err := client.Get(srv.URL + "/")
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println("allowed:", string(body))
	}
	_, err = client.Get(srv.URL + "/redirect")
	fmt.Println("denied:", errors.Is(err, egress.ErrDenied))
	// Output:
	// allowed: hello
	// finding: 169.254.169.254:80 cloud metadata/credential endpoint; allow it by IP/CIDR or set AllowMetadata
	// denied: true
}

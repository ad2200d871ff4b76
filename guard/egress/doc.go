// Package egress restricts the outbound connections a serverless function can
// make to an allow list, so that an exploited function cannot call home.
//
// # Threats
//
//   - SSRF that slipped past input checks: a handler fetches a
//     user-supplied URL and is pointed at the cloud metadata or credential
//     endpoint (169.254.169.254, 169.254.170.2, fd00:ec2::254,
//     metadata.google.internal, ...) to steal the function's role
//     credentials, or at internal services.
//   - Exfiltration: injected code or a compromised dependency sends data
//     or credentials to an attacker's server.
//   - DNS rebinding: a host name that passed a check at validation time
//     resolves to an internal or metadata address at connection time.
//
// # Model
//
// A [Policy] is compiled from [Rule]s ([ParseAllowList] parses the
// FNGUARD_EGRESS_ALLOW syntax: host names, "*.suffix" wildcards, "*", IPs,
// CIDRs, each with an optional port) and a [Mode] ([ParseMode]: block or
// monitor). The decision is made on the resolved IP at connect time: the
// policy resolves the name itself, checks every address, and dials only the
// allowed ones as IP literals, so the addresses checked are the addresses
// used. A host-name rule allows the addresses that name resolved to for that
// dial; an IP/CIDR rule allows addresses whatever name led to them.
//
// Cloud metadata and credential endpoints are denied even under "*" or a wide
// CIDR such as 0.0.0.0/0; they are allowed only by an IP/CIDR rule at least as
// narrow as their link-local block (e.g. "169.254.169.254:80" or
// "169.254.0.0/16"), or by Config.AllowMetadata. IPv4-mapped IPv6 and NAT64
// (64:ff9b::/96) spellings of those addresses are recognised.
//
// The AWS Lambda Runtime API (AWS_LAMBDA_RUNTIME_API) stays reachable for
// aws-lambda-go's runtime client only: connections to its exact address are
// allowed so that installing the policy never breaks the runtime loop, while
// every transport the policy secures refuses HTTP requests to it in any
// notation, so an SSRF cannot fetch the next event or post a response (see
// [RuntimeAPIEnv] for the two layers and their limit).
//
// With an HTTP proxy (HTTP_PROXY/HTTPS_PROXY), the dial check only sees the
// proxy, so the secured transport judges the real destination before handing
// the request over: it must be allowed by name (never a metadata name), and
// every address it resolves to here must pass the address check; a name that
// does not resolve here passes only an explicit host-name rule.
//
// # Enforcement points
//
//   - [Policy.Check]: the pure decision, for callers that resolve themselves.
//   - [Policy.DialContext]: a dial function for any client that accepts one.
//   - [Policy.Transport] and [Policy.RoundTripper]: net/http integration;
//     redirects to denied hosts fail.
//   - [Policy.Control]: a net.Dialer.Control hook for foreign dialers
//     (IP-level only, see its documentation).
//   - [Policy.Install]: process-wide, through http.DefaultTransport. Its
//     documentation lists exactly what is and is not covered (notably: the
//     AWS SDK for Go v2 builds its own transport; raw net.Dial is not seen).
//
// This is defence in depth inside the process. It cannot stop code that
// opens sockets without going through one of these hooks; network-level
// controls (VPC egress rules, security groups) remain the hard boundary, and
// package lockdown keeps injected commands from spawning tools that would
// bypass the policy.
package egress

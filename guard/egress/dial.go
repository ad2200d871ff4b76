package egress

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"
)

type dialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// checkedKey marks a dial context as already checked by one policy, so a
// policy-wrapped dialer nested inside another wrapper of the same policy (for
// example Transport(nil) after Install) checks and reports only once.
type checkedKey struct{ p *Policy }

// reportedKey carries the destination a RoundTripper pre-check already
// reported in Monitor mode, so the dial-time check does not report it twice.
type reportedKey struct{ p *Policy }

// defaultDialer mirrors the dialer of net/http's DefaultTransport.
func defaultDialer() *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
}

// DialContext returns a dial function for net/http.Transport.DialContext and
// the like. For a host name it resolves the name once with Config.Resolver,
// checks every returned address against the rules (host-name rules allow the
// addresses this very lookup returned, which defeats DNS rebinding; metadata
// endpoints stay denied whatever the name), and dials only the allowed
// addresses, as IP literals, one after the other in resolver order (there is
// no Happy Eyeballs racing); refused addresses in the same answer are still
// reported to Config.OnDeny, as they may be a rebinding attempt. A name no rule could ever allow is refused
// without a DNS query. IP literals are checked directly. Only tcp and udp
// networks are dialled; others are refused.
//
// In Monitor mode every address is dialled and the would-be denials are
// reported to Config.OnDeny. base nil means a dialer like net/http's default
// (30 s timeout and keep-alive).
func (p *Policy) DialContext(base *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if base == nil {
		base = defaultDialer()
	}
	return p.wrapDial(base.DialContext)
}

// wrapDial puts the policy in front of an arbitrary dial function, which
// receives only IP-literal addresses for names (pinning the checked IPs).
func (p *Policy) wrapDial(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if ctx.Value(checkedKey{p}) != nil {
			return dial(ctx, network, addr)
		}
		targets, passthrough, err := p.plan(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		ctx = context.WithValue(ctx, checkedKey{p}, true)
		if passthrough {
			return dial(ctx, network, addr)
		}
		var first error
		for i, t := range targets {
			dctx, cancel := partialContext(ctx, len(targets)-i)
			c, err := dial(dctx, network, t)
			cancel()
			if err == nil {
				return c, nil
			}
			if first == nil {
				first = err
			}
			if ctx.Err() != nil {
				break
			}
		}
		return nil, first
	}
}

// partialContext gives one of several sequential connection attempts its
// share of the overall deadline, as net.Dialer does (at least 2 s each).
func partialContext(ctx context.Context, remaining int) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok || remaining <= 1 {
		return ctx, func() {}
	}
	left := time.Until(deadline)
	share := left / time.Duration(remaining)
	if share < 2*time.Second {
		share = min(2*time.Second, left)
	}
	return context.WithTimeout(ctx, share)
}

func policedNetwork(network string) bool {
	switch network {
	case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6":
		return true
	}
	return false
}

func ipNetwork(network string) string {
	switch network {
	case "tcp4", "udp4":
		return "ip4"
	case "tcp6", "udp6":
		return "ip6"
	}
	return "ip"
}

// plan decides a dial. It returns the IP-literal addresses to try, or
// passthrough=true to dial addr unchanged (an allowed IP literal, or Monitor
// mode letting a denied destination through), or a *DeniedError.
func (p *Policy) plan(ctx context.Context, network, addr string) (targets []string, passthrough bool, err error) {
	if !policedNetwork(network) {
		return p.refuse(ctx, Denial{Host: addr, Reason: reasonNetwork(network), Network: network})
	}
	h, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, false, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	port, err := p.lookupPort(ctx, network, portStr)
	if err != nil {
		return nil, false, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	host := normalizeHost(h)
	if host == "" {
		// net.Dial treats an empty host as the local system.
		ip := netip.IPv4Unspecified()
		if network == "tcp6" || network == "udp6" {
			ip = netip.IPv6Unspecified()
		}
		return p.planIP(ctx, network, ip, port)
	}
	if looksLikeIP(host) {
		if ip, perr := netip.ParseAddr(host); perr == nil {
			return p.planIP(ctx, network, ip, port)
		}
	}
	reported := false
	if reason := p.nameDenial(host, port); reason != "" {
		d := Denial{Host: host, Port: int(port), Reason: reason, Network: network}
		if p.mode == Block {
			return p.refuse(ctx, d)
		}
		// Monitor: report once, then resolve and dial as usual.
		d.Monitored = true
		p.reportOnce(ctx, d)
		reported = true
	}
	ips, err := p.resolver.LookupNetIP(ctx, ipNetwork(network), host)
	if err != nil {
		return nil, false, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	p.names.add(host, ips)
	targets = make([]string, 0, len(ips))
	var firstDenied *Denial
	for _, ip := range ips {
		ip = ip.Unmap()
		ap := netip.AddrPortFrom(ip, port)
		if reason := p.decide(host, ip, port); reason != "" {
			d := Denial{Host: host, Addr: ap, Port: int(port), Reason: reason, Network: network, Monitored: p.mode == Monitor}
			if !reported {
				p.reportOnce(ctx, d)
			}
			if firstDenied == nil {
				firstDenied = &d
			}
			if p.mode == Block {
				continue
			}
		}
		targets = append(targets, ap.String())
	}
	if len(targets) == 0 {
		if firstDenied != nil {
			return nil, false, firstDenied.Err()
		}
		return nil, false, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}}
	}
	return targets, false, nil
}

func (p *Policy) planIP(ctx context.Context, network string, ip netip.Addr, port uint16) ([]string, bool, error) {
	if reason := p.decide("", ip, port); reason != "" {
		return p.refuse(ctx, Denial{Addr: addrPort(ip, port), Port: int(port), Reason: reason, Network: network})
	}
	return nil, true, nil
}

// refuse reports d and, in Block mode, turns it into the dial error.
func (p *Policy) refuse(ctx context.Context, d Denial) ([]string, bool, error) {
	d.Monitored = p.mode == Monitor
	p.reportOnce(ctx, d)
	if d.Monitored {
		return nil, true, nil
	}
	return nil, false, d.Err()
}

// reportOnce reports d unless a RoundTripper pre-check already reported the
// same destination for this request (Monitor mode only).
func (p *Policy) reportOnce(ctx context.Context, d Denial) {
	if d.Monitored {
		if k, ok := ctx.Value(reportedKey{p}).(string); ok && k == d.key() {
			return
		}
	}
	p.report(ctx, d)
}

// key identifies the destination of a denial for de-duplication.
func (d Denial) key() string {
	if d.Host != "" {
		return joinHostPort(d.Host, d.Port)
	}
	return netip.AddrPortFrom(d.Addr.Addr(), uint16(d.Port)).String()
}

func (p *Policy) lookupPort(ctx context.Context, network, s string) (uint16, error) {
	if n, err := strconv.ParseUint(s, 10, 16); err == nil {
		return uint16(n), nil
	}
	n, err := p.resolver.LookupPort(ctx, network, s)
	if err != nil {
		return 0, err
	}
	return uint16(n), nil
}

// Control is a net.Dialer.Control hook for dialers the policy does not
// wrap, such as a database driver's. It sees only the IP
// address being connected, after the dialer resolved the name, so IP/CIDR
// rules and "*" apply exactly and metadata endpoints stay denied. Host-name
// rules can only match through names this policy itself resolved (in
// DialContext, Transport or an installed DefaultTransport) within the last
// five minutes for that IP: a name resolved only by the foreign dialer is
// unknown here, so prefer IP/CIDR rules for such dialers, or dial through
// DialContext. OnDeny receives context.Background(). In Monitor mode Control
// reports and returns nil.
func (p *Policy) Control(network, address string, _ syscall.RawConn) error {
	ctx := context.Background()
	if !policedNetwork(network) {
		_, _, err := p.refuse(ctx, Denial{Host: address, Reason: reasonNetwork(network), Network: network})
		return err
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("egress: control %s %q: %w", network, address, err)
	}
	ip, port := ap.Addr().Unmap().WithZone(""), ap.Port()
	reason := p.decide("", ip, port)
	if reason == "" || p.names.any(ip, func(name string) bool { return p.decide(name, ip, port) == "" }) {
		return nil
	}
	_, _, err = p.refuse(ctx, Denial{Addr: netip.AddrPortFrom(ip, port), Port: int(port), Reason: reason, Network: network})
	return err
}

// nameCache remembers, per IP, the names this policy resolved to it, so
// Control can apply host-name rules. It is bounded in size and age.
type nameCache struct {
	mu   sync.Mutex
	byIP map[netip.Addr][]cachedName
	now  func() time.Time
}

type cachedName struct {
	name    string
	expires time.Time
}

const (
	nameCacheTTL       = 5 * time.Minute
	nameCacheMaxIPs    = 4096
	nameCacheMaxPerIP  = 8
	nameCacheEvictStep = 64
)

func newNameCache() *nameCache {
	return &nameCache{byIP: make(map[netip.Addr][]cachedName), now: time.Now}
}

func (c *nameCache) add(name string, ips []netip.Addr) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	exp := now.Add(nameCacheTTL)
	for _, ip := range ips {
		ip = ip.Unmap().WithZone("")
		names := c.byIP[ip]
		if names == nil && len(c.byIP) >= nameCacheMaxIPs {
			c.evictLocked(now)
		}
		found := false
		for i := range names {
			if names[i].name == name {
				names[i].expires = exp
				found = true
				break
			}
		}
		if !found {
			if len(names) >= nameCacheMaxPerIP {
				// Replace the entry closest to expiry.
				oldest := 0
				for i := range names {
					if names[i].expires.Before(names[oldest].expires) {
						oldest = i
					}
				}
				names[oldest] = cachedName{name: name, expires: exp}
			} else {
				names = append(names, cachedName{name: name, expires: exp})
			}
		}
		c.byIP[ip] = names
	}
}

// evictLocked drops expired IPs, and if none expired, a batch of arbitrary
// ones (map order), keeping the cache within nameCacheMaxIPs.
func (c *nameCache) evictLocked(now time.Time) {
	removed := 0
	for ip, names := range c.byIP {
		live := false
		for _, n := range names {
			if now.Before(n.expires) {
				live = true
				break
			}
		}
		if !live {
			delete(c.byIP, ip)
			removed++
		}
	}
	for ip := range c.byIP {
		if removed >= nameCacheEvictStep {
			break
		}
		delete(c.byIP, ip)
		removed++
	}
}

// any reports whether f accepts one of the unexpired names cached for ip.
func (c *nameCache) any(ip netip.Addr, f func(string) bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for _, n := range c.byIP[ip] {
		if now.Before(n.expires) && f(n.name) {
			return true
		}
	}
	return false
}

func (c *nameCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byIP)
}

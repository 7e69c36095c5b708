package serve

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// keyRules are the options of one authorized_keys line that the server
// honours (see the package documentation for the full list).
type keyRules struct {
	from     []string  // from= pattern list; nil: any address
	expiry   time.Time // expiry-time=; zero: never
	noPty    bool      // no-pty, or restrict without a later pty
	optNames []string  // the options given, by name (for the log)
}

// errUnsupported marks an option the server does not implement: a key line
// carrying one is refused rather than half-honoured.
var errUnsupported = errors.New("unsupported option")

// parseKeyOptions interprets the options of an authorized_keys line as
// OpenSSH's sshd does (names are case-insensitive, values double-quoted, later
// flags override earlier ones). It fails on options the server does not
// support and on malformed values; such a line must not authorise its key.
func parseKeyOptions(opts []string) (keyRules, error) {
	var r keyRules
	seenFrom := false
	for _, o := range opts {
		name, raw, hasValue := strings.Cut(o, "=")
		name = strings.ToLower(name)
		r.optNames = append(r.optNames, name)
		value := ""
		if hasValue {
			v, err := dequote(raw)
			if err != nil {
				return r, fmt.Errorf("%s: %w", name, err)
			}
			value = v
		}
		needValue := func() error {
			if !hasValue {
				return fmt.Errorf("%s needs a value", name)
			}
			return nil
		}
		switch name {
		case "from":
			if err := needValue(); err != nil {
				return r, err
			}
			if seenFrom {
				return r, errors.New("more than one from= option")
			}
			seenFrom = true
			pats, err := parseFromList(value)
			if err != nil {
				return r, fmt.Errorf("from=: %w", err)
			}
			r.from = pats
		case "expiry-time":
			if err := needValue(); err != nil {
				return r, err
			}
			t, err := parseExpiry(value, time.Local)
			if err != nil {
				return r, fmt.Errorf("expiry-time=: %w", err)
			}
			if r.expiry.IsZero() || t.Before(r.expiry) { // the earliest applies, as in sshd
				r.expiry = t
			}
		case "no-pty":
			r.noPty = true
		case "pty":
			r.noPty = false
		case "restrict": // no forwarding of any kind (never offered) and no pty
			r.noPty = true
		case "no-port-forwarding", "no-agent-forwarding", "no-x11-forwarding", "no-user-rc",
			"port-forwarding", "agent-forwarding", "x11-forwarding", "user-rc", "no-touch-required":
			// Restrictions of features the server never offers, or grants
			// of them (which it ignores); no-touch-required is not passed
			// on, so security keys must still be touched.
		case "permitopen", "permitlisten", "tunnel", "environment":
			// Forwarding limits (nothing is forwarded) and environment=
			// (ignored, as by sshd's default PermitUserEnvironment no).
			if err := needValue(); err != nil {
				return r, err
			}
		default: // command=, principals=, verify-required, unknown names
			return r, fmt.Errorf("%w %s", errUnsupported, name)
		}
		if hasValue && !valued[name] {
			return r, fmt.Errorf("%s takes no value", name)
		}
	}
	return r, nil
}

// valued are the supported options that take a value.
var valued = map[string]bool{"from": true, "expiry-time": true, "permitopen": true, "permitlisten": true,
	"tunnel": true, "environment": true}

// dequote strips the double quotes around an option value and unescapes \"
// inside it.
func dequote(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", errors.New("value must be in double quotes")
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == '"' {
			i++
		} else if s[i] == '"' {
			return "", errors.New("unescaped quote in value")
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// parseExpiry reads an expiry-time value: YYYYMMDD, YYYYMMDDHHMM or
// YYYYMMDDHHMMSS, in loc (the server's local time, as sshd) unless it ends
// in Z or UTC.
func parseExpiry(s string, loc *time.Location) (time.Time, error) {
	v := s
	switch u := strings.ToUpper(v); {
	case len(v) > 1 && strings.HasSuffix(u, "Z"):
		v, loc = v[:len(v)-1], time.UTC
	case len(v) > 3 && strings.HasSuffix(u, "UTC"):
		v, loc = v[:len(v)-3], time.UTC
	}
	layout := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}[len(v)]
	if layout == "" || strings.Trim(v, "0123456789") != "" {
		return time.Time{}, fmt.Errorf("%q is not YYYYMMDD[HHMM[SS]][Z]", s)
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: %w", s, err)
	}
	return t, nil
}

// parseFromList checks a from= pattern list: comma-separated entries, each
// optionally negated with "!", that are an address, a CIDR network (without
// host bits, as sshd requires) or a wildcard pattern (* and ?).
func parseFromList(list string) ([]string, error) {
	pats := strings.Split(list, ",")
	for _, p := range pats {
		p = strings.TrimPrefix(p, "!")
		if p == "" {
			return nil, errors.New("empty entry")
		}
		if strings.Contains(p, "/") {
			pre, err := netip.ParsePrefix(p)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", p, err)
			}
			if pre.Masked() != pre {
				return nil, fmt.Errorf("%q: inconsistent mask length (host bits set)", p)
			}
		}
	}
	return pats, nil
}

// fromAllows reports whether a client at addr may use a key whose from= list
// is pats, as sshd (with UseDNS no, its default) decides: a negated entry
// that matches refuses, otherwise any matching entry allows. Entries match the
// address as networks (CIDR or a single address) or as wildcard patterns on
// its text; host names are not resolved, so name patterns never match.
func fromAllows(pats []string, addr net.Addr) bool {
	ip, ok := addrIP(addr)
	if !ok {
		return false
	}
	text := strings.ToLower(ip.String())
	allowed := false
	for _, p := range pats {
		neg := strings.HasPrefix(p, "!")
		p = strings.ToLower(strings.TrimPrefix(p, "!"))
		if !entryMatches(p, ip, text) {
			continue
		}
		if neg {
			return false
		}
		allowed = true
	}
	return allowed
}

func entryMatches(p string, ip netip.Addr, text string) bool {
	if pre, err := netip.ParsePrefix(p); err == nil {
		return pre.Contains(ip)
	}
	if a, err := netip.ParseAddr(p); err == nil {
		return a.Unmap() == ip
	}
	return wildcard(p, text)
}

// addrIP is the IP address of a TCP peer, IPv4-mapped addresses unmapped.
func addrIP(addr net.Addr) (netip.Addr, bool) {
	if addr == nil {
		return netip.Addr{}, false
	}
	if t, ok := addr.(*net.TCPAddr); ok {
		a, ok := netip.AddrFromSlice(t.IP)
		return a.Unmap().WithZone(""), ok
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap().WithZone(""), true
}

// wildcard matches s against a pattern where * is any run of characters
// and ? any one character.
func wildcard(p, s string) bool {
	star, mark := -1, 0 // last * in p, and where in s its match ends
	i, j := 0, 0
	for j < len(s) {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == s[j]):
			i++
			j++
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			mark++
			i, j = star+1, mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

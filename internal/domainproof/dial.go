package domainproof

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// defaultClient is the HTTP client of a Checker without one. It connects
// only to public addresses (see publicOnly), so that a domain whose names
// resolve to the service's own network cannot turn a check into a probe of
// it, and it ignores proxy settings, whose address would be refused too.
var defaultClient = &http.Client{
	Transport: &http.Transport{
		DialContext: (&net.Dialer{
			Timeout: DefaultTimeout,
			Control: publicOnly,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   DefaultTimeout,
		ResponseHeaderTimeout: DefaultTimeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
	},
}

// cgnat is the shared address space of RFC 6598, private in all but name.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// publicOnly is a net.Dialer Control function refusing to connect to
// loopback, private, shared (RFC 6598), link-local, multicast and
// unspecified addresses. It runs after name resolution, on the address
// actually dialled, so a name that resolves differently at each look-up
// cannot slip past it.
func publicOnly(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing to connect to %s: %w", address, err)
	}
	a := ap.Addr().Unmap()
	if !a.IsGlobalUnicast() || a.IsPrivate() || cgnat.Contains(a) {
		return fmt.Errorf("refusing to connect to %s: not a public address", a)
	}
	return nil
}

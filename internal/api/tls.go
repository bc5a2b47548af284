package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"sync/atomic"
	"time"
)

// curvePreferences puts the hybrid post-quantum key exchange first; the
// classical curves remain for clients that lack it.
var curvePreferences = []tls.CurveID{tls.X25519MLKEM768, tls.X25519, tls.CurveP256}

// Certs is a server's TLS certificate: from PEM files, which Reload reads
// again (SIGHUP) while connections stay up, or generated in memory.
// Handshakes always use the newest certificate.
type Certs struct {
	certFile, keyFile string
	cur               atomic.Pointer[tls.Certificate]
}

// LoadCerts reads a certificate chain and its key from PEM files.
func LoadCerts(certFile, keyFile string) (*Certs, error) {
	c := &Certs{certFile: certFile, keyFile: keyFile}
	if err := c.Reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// SelfSignedCerts generates a certificate for localhost, 127.0.0.1 and ::1
// valid from an hour before now for 90 days; its key never leaves memory.
func SelfSignedCerts(now time.Time) (*Certs, error) {
	cert, err := selfSigned(now)
	if err != nil {
		return nil, fmt.Errorf("generating a self-signed certificate: %w", err)
	}
	c := &Certs{}
	c.cur.Store(&cert)
	return c, nil
}

// Reload reads the certificate files again; on error the certificate in
// use stays. A generated certificate is kept.
func (c *Certs) Reload() error {
	if c.certFile == "" {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return fmt.Errorf("loading TLS certificate: %w", err)
	}
	if cert.Leaf == nil && len(cert.Certificate) > 0 {
		cert.Leaf, _ = x509.ParseCertificate(cert.Certificate[0])
	}
	c.cur.Store(&cert)
	return nil
}

// Fingerprint is the SHA-256 of the certificate in use, in hex.
func (c *Certs) Fingerprint() string {
	sum := sha256.Sum256(c.cur.Load().Certificate[0])
	return hex.EncodeToString(sum[:])
}

// Config returns a server configuration: TLS 1.3 only, X25519MLKEM768
// preferred, the certificate in use at each handshake.
func (c *Certs) Config() *tls.Config {
	return &tls.Config{
		MinVersion:       tls.VersionTLS13,
		CurvePreferences: curvePreferences,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return c.cur.Load(), nil
		},
	}
}

// certs returns the certificate cfg names, nil without TLS.
func (cfg *Config) certs() (*Certs, error) {
	switch {
	case cfg.TLSSelfSigned:
		c, err := SelfSignedCerts(cfg.Now())
		if err != nil {
			return nil, err
		}
		cfg.Logger.Info("self-signed TLS certificate", "sha256", c.Fingerprint())
		return c, nil
	case cfg.TLSCert != "":
		return LoadCerts(cfg.TLSCert, cfg.TLSKey)
	}
	return nil, nil
}

// selfSigned generates an ECDSA P-256 certificate for localhost,
// 127.0.0.1 and ::1, valid from an hour before now for 90 days. The key
// never leaves memory.
func selfSigned(now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "leakwatch self-signed"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(90 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

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
	"time"
)

// curvePreferences puts the hybrid post-quantum key exchange first; the
// classical curves remain for clients that lack it.
var curvePreferences = []tls.CurveID{tls.X25519MLKEM768, tls.X25519, tls.CurveP256}

// tlsConfig builds the server's TLS configuration: TLS 1.3 only, with
// X25519MLKEM768 preferred.
func tlsConfig(cfg *Config) (*tls.Config, error) {
	var cert tls.Certificate
	var err error
	if cfg.TLSSelfSigned {
		cert, err = selfSigned(cfg.Now())
		if err != nil {
			return nil, fmt.Errorf("generating a self-signed certificate: %w", err)
		}
		sum := sha256.Sum256(cert.Certificate[0])
		cfg.Logger.Info("self-signed TLS certificate", "sha256", hex.EncodeToString(sum[:]))
	} else {
		cert, err = tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("loading TLS certificate: %w", err)
		}
	}
	return &tls.Config{
		MinVersion:       tls.VersionTLS13,
		CurvePreferences: curvePreferences,
		Certificates:     []tls.Certificate{cert},
	}, nil
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

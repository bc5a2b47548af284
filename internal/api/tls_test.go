package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeCertFiles writes a new self-signed certificate and its key as PEM
// files and returns the certificate.
func writeCertFiles(t *testing.T, certFile, keyFile string) *x509.Certificate {
	t.Helper()
	cert, err := selfSigned(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert.Leaf
}

func TestCertsReload(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	first := writeCertFiles(t, certFile, keyFile)
	srv, err := NewServer(ctx, Config{Addr: "127.0.0.1:0", TLSCert: certFile, TLSKey: keyFile}, f.st, f.x)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	sctx, cancel := context.WithCancel(ctx)
	go func() { done <- srv.Serve(sctx, ln, nil) }()
	defer func() { cancel(); <-done }()
	addr := ln.Addr().String()

	peer := func(conn *tls.Conn) []byte { return conn.ConnectionState().PeerCertificates[0].Raw }
	dial := func() *tls.Conn {
		t.Helper()
		conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		return conn
	}
	old := dial()
	defer old.Close()
	if !bytes.Equal(peer(old), first.Raw) {
		t.Fatal("the server does not present the certificate of its files")
	}

	// A broken file keeps the certificate in use.
	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := srv.Certs().Reload(); err == nil {
		t.Error("Reload of a broken key file succeeded")
	}
	if c := dial(); !bytes.Equal(peer(c), first.Raw) {
		t.Error("a failed reload changed the certificate")
	} else {
		c.Close()
	}

	second := writeCertFiles(t, certFile, keyFile)
	if err := srv.Certs().Reload(); err != nil {
		t.Fatal(err)
	}
	c := dial()
	defer c.Close()
	if !bytes.Equal(peer(c), second.Raw) {
		t.Error("after Reload a new connection still gets the old certificate")
	}
	// The connection made before the reload still works.
	if _, err := old.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 12)
	if _, err := old.Read(buf); err != nil || string(buf) != "HTTP/1.1 200" {
		t.Errorf("old connection after reload: %q %v", buf, err)
	}
}

package leakgen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// Infostealer families differ in the labels of their Passwords.txt blocks
// and in how they separate blocks.
const (
	famRedLine = iota // URL/Username/Password/Application, "====" lines, CRLF
	famRaccoon        // URL/USER/PASS, blank lines
	famVidar          // Soft/Host/Login/Password, blank lines
	famMeta           // Hostname/Username/Password/Browser, "====" lines, CRLF
	numFamilies
)

// passwordsFile is the name of the credentials file of each family.
var passwordsFile = [numFamilies]string{"Passwords.txt", "Passwords.txt", "All Passwords.txt", "All Passwords.txt"}

const blockRule = "==============="

// startVictim begins the credentials of the next infected machine: one to
// 64 blocks (about ten on average, most victims have few), all in one
// family's format.
func (g *gen) startVictim() error {
	g.victimLeft = 1 + g.vr.intn(1<<g.vr.intn(7))
	g.family = g.vr.intn(numFamilies)
	if g.newVictim != nil {
		return g.newVictim()
	}
	return nil
}

func (g *gen) eol() string {
	if g.family == famRedLine || g.family == famMeta {
		return "\r\n"
	}
	return "\n"
}

func (g *gen) stealerRecord(int64) error {
	if g.victimLeft == 0 {
		if err := g.startVictim(); err != nil {
			return err
		}
	}
	g.victimLeft--
	p, r, t := &g.p, &g.r, g.t
	nl := g.eol()
	b := g.buf
	switch g.family {
	case famRedLine:
		b = append(b, "URL: "...)
		b = append(g.appendURL(b, false), nl...)
		b = append(b, "Username: "...)
		b = append(g.appendLogin(b), nl...)
		b = append(append(append(b, "Password: "...), p.password...), nl...)
		b = append(append(append(b, "Application: "...), pick(r, t.redlineApps)...), nl...)
		b = append(append(b, blockRule...), nl...)
	case famRaccoon:
		b = append(b, "URL: "...)
		b = append(g.appendURL(b, false), nl...)
		b = append(b, "USER: "...)
		b = append(g.appendLogin(b), nl...)
		b = append(append(append(b, "PASS: "...), p.password...), nl...)
		b = append(b, nl...)
	case famVidar:
		b = append(append(append(b, "Soft: "...), pick(r, t.softNames)...), nl...)
		b = append(b, "Host: "...)
		b = append(g.appendURL(b, false), nl...)
		b = append(b, "Login: "...)
		b = append(g.appendLogin(b), nl...)
		b = append(append(append(b, "Password: "...), p.password...), nl...)
		b = append(b, nl...)
	default:
		b = append(b, "Hostname: "...)
		b = append(g.appendURL(b, false), nl...)
		b = append(b, "Username: "...)
		b = append(g.appendLogin(b), nl...)
		b = append(append(append(b, "Password: "...), p.password...), nl...)
		b = append(append(append(b, "Browser: "...), pick(r, t.browserNames)...), nl...)
		b = append(append(b, blockRule...), nl...)
	}
	g.buf = b
	return nil
}

// stealerJunk writes a junk line as a block of its own: garbage, text
// without a label, or a label without its value.
func (g *gen) stealerJunk() {
	r := &g.jr
	nl := g.eol()
	b := g.buf
	switch r.intn(3) {
	case 0:
		b = appendGarbage(b, r)
	case 1:
		b = appendJunkToken(b, r)
	default:
		b = append(b, "Password:"...)
	}
	b = append(b, nl...)
	g.buf = append(b, nl...)
}

// GenerateStealerTree writes an infostealer log archive under dir (created
// if missing): one folder per victim, named like "[US]203.0.113.7", holding
// the family's credentials file ("Passwords.txt" or "All Passwords.txt")
// and a System.txt describing the machine. The credential blocks are those
// Generate writes for the stealer format with the same Options, split
// between the victims' files; junk lines go into the files too. Stats.Bytes
// counts the bytes of all files. opts.Format must be FormatStealer or "".
func GenerateStealerTree(ctx context.Context, dir string, opts Options) (Stats, error) {
	if opts.Format == "" {
		opts.Format = leakparse.FormatStealer
	}
	if opts.Format != leakparse.FormatStealer {
		return Stats{}, fmt.Errorf("leakgen: stealer tree needs format %q, not %q", leakparse.FormatStealer, opts.Format)
	}
	if err := opts.validate(); err != nil {
		return Stats{}, err
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("leakgen: creating log folder: %w", err)
	}
	g := newGen(nil, opts)
	tr := &tree{ctx: ctx, g: g, dir: dir, used: make(map[string]bool)}
	g.newVictim = tr.next
	err := g.loop(ctx, needCredentials, g.stealerRecord, g.stealerJunk)
	if cerr := tr.closeFile(); err == nil {
		err = cerr
	}
	return g.stats, err
}

// tree is the state of GenerateStealerTree.
type tree struct {
	ctx  context.Context
	g    *gen
	dir  string
	used map[string]bool // folder names taken
	f    *os.File
}

func (tr *tree) closeFile() error {
	if tr.f == nil {
		return nil
	}
	err := tr.g.flush()
	if cerr := tr.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("leakgen: closing credentials file: %w", cerr)
	}
	tr.f, tr.g.w = nil, nil
	return err
}

// next closes the current victim's file and starts the next victim's
// folder, named after the victim's country and IP address (the person
// whose credentials come first).
func (tr *tree) next() error {
	if err := tr.closeFile(); err != nil {
		return err
	}
	if err := tr.ctx.Err(); err != nil {
		return err
	}
	g := tr.g
	p := &g.p
	name := "[" + p.cult.code + "]" + string(p.ip)
	for n := 2; tr.used[name]; n++ {
		name = "[" + p.cult.code + "]" + string(p.ip) + "_" + strconv.Itoa(n)
	}
	tr.used[name] = true
	folder := filepath.Join(tr.dir, name)
	if err := os.Mkdir(folder, 0o755); err != nil {
		return fmt.Errorf("leakgen: creating victim folder: %w", err)
	}

	sys := g.appendSystemInfo(nil)
	if err := os.WriteFile(filepath.Join(folder, "System.txt"), sys, 0o644); err != nil {
		return fmt.Errorf("leakgen: writing system information: %w", err)
	}
	g.stats.Bytes += int64(len(sys))

	f, err := os.OpenFile(filepath.Join(folder, passwordsFile[g.family]), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("leakgen: creating credentials file: %w", err)
	}
	tr.f, g.w = f, f
	return nil
}

// appendSystemInfo appends the System.txt of the current victim: harmless
// machine details, no credentials.
func (g *gen) appendSystemInfo(b []byte) []byte {
	p, t := &g.p, g.t
	var sr rng // not g.vr: the tree must split the same victims as the stream
	sr.reset(p.key, streamSystem)
	r := &sr
	nl := g.eol()
	b = append(b, "Build ID: "...)
	b = appendJunkToken(b, r)
	b = append(append(b, nl...), "IP: "...)
	b = append(append(b, p.ip...), nl...)
	b = append(append(append(b, "Country: "...), p.cult.code...), nl...)
	b = append(append(append(b, "UserName: "...), p.username...), nl...)
	b = append(b, "MachineName: DESKTOP-"...)
	for range 7 {
		b = append(b, idLetters[r.intn(len(idLetters))])
	}
	b = append(append(b, nl...), "OS: "...)
	b = append(append(b, pick(r, t.osNames)...), nl...)
	b = append(append(append(b, "Language: "...), p.cult.lang...), nl...)
	b = append(b, "HWID: "...)
	b = append(appendHex(b, r, 32, true), nl...)
	// 2022-01-01 plus up to two years.
	when := time.Unix(1640995200+int64(r.intn(2*365*86400)), 0).UTC()
	b = append(b, "Log date: "...)
	b = when.AppendFormat(b, "02.01.2006 15:04:05")
	return append(b, nl...)
}

package control

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/privateindex"
	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Hooks let a server follow what a Local changes. Any may be nil.
type Hooks struct {
	// KeysChanged runs after an API key was created or revoked.
	KeysChanged func()
	// Committed runs after an import committed.
	Committed func()
	// Status adds the server's own figures to a status.
	Status func(*Status)
}

// Local is the Service of a data directory opened in this process.
type Local struct {
	dir     *datadir.Dir
	dataDir string
	x       *exposure.Service
	hooks   Hooks
	start   time.Time

	limits ImportLimits

	mu      sync.Mutex
	running map[*ImportState]*importRun

	out        Outbound
	ownersOnce sync.Once
	owners     *owner.Service
	alerts     *alert.Service

	privateOnce sync.Once
	private     *privateindex.Index
}

// ImportLimits bound what the imports a server runs take from the API
// it serves.
type ImportLimits struct {
	// Workers caps the goroutines of each CPU-bound stage of an import:
	// hashing, and sorting and writing at commit (0: no cap).
	Workers int
	// Low runs an import's goroutines at the lowest OS priority, so that
	// requests have the cores whenever they want them (cpushare.Share.Low).
	Low bool
}

// Share is the CPU share of an import run under lim with a request for
// workers goroutines (0: as many as lim allows).
func (lim ImportLimits) Share(workers int) cpushare.Share {
	if w := lim.Workers; w > 0 && (workers <= 0 || workers > w) {
		workers = w
	}
	return cpushare.Share{Goroutines: workers, Low: lim.Low}
}

// SetImportLimits sets the limits of the imports to come. Call it before
// the Local is used.
func (l *Local) SetImportLimits(lim ImportLimits) { l.limits = lim }

type importRun struct {
	start time.Time
	rows  func() int64
}

var _ Service = (*Local)(nil)

// NewLocal returns the Service of an open data directory; dataDir is its
// path (temporary files of imports go there). Close closes d.
func NewLocal(d *datadir.Dir, dataDir string, hooks Hooks) *Local {
	l := &Local{dir: d, dataDir: dataDir, hooks: hooks, start: time.Now(), running: map[*ImportState]*importRun{}}
	if d.Keyring != nil {
		l.x = exposure.New(d.Store, d.Keyring)
	}
	return l
}

// Close closes the data directory.
func (l *Local) Close() error { return l.dir.Close() }

// Store returns the store (for the server that shares it).
func (l *Local) Store() store.Store { return l.dir.Store }

// Exposure returns the exposure service (for the server that shares it).
func (l *Local) Exposure() *exposure.Service { return l.x }

// ErrNoKeyFile reports an operation that needs the key file on a data
// directory opened without it.
var ErrNoKeyFile = errors.New("this operation needs the key file")

func (l *Local) needKeys() error {
	if l.dir.Keyring == nil {
		return ErrNoKeyFile
	}
	return nil
}

// Import implements Service.
func (l *Local) Import(ctx context.Context, req ImportRequest, ev Events) (*ingest.Summary, error) {
	if err := l.needKeys(); err != nil {
		return nil, err
	}
	opts, err := req.options(time.Now())
	if err != nil {
		return nil, err
	}
	// The event is of the commit: whoever subscribed before it is told.
	opts.Event = func() []byte { return alert.EncodeEvent(opts.Breach.Name, time.Now()) }
	share := l.limits.Share(opts.Workers)
	opts.Workers = share.Goroutines
	ctx = cpushare.With(ctx, share)
	if ix := l.Private(); ix != nil {
		if opts.Private, err = ix.Enabled(ctx); err != nil {
			return nil, err
		}
	}
	opts.Stdin = req.Stdin
	opts.TempDir = l.dataDir
	opts.Exclude = []string{l.dataDir, l.dir.Keyring.Path()}
	opts.Progress, opts.Warn, opts.Failed = ev.Progress, ev.Warn, ev.Failed
	var rows func() int64
	state := &ImportState{Breach: opts.Breach.Name}
	prog := opts.Progress
	var last ingest.Progress
	var lastMu sync.Mutex
	opts.Progress = func(p ingest.Progress) {
		lastMu.Lock()
		last = p
		lastMu.Unlock()
		if prog != nil {
			prog(p)
		}
	}
	if opts.ProgressEvery == 0 {
		opts.ProgressEvery = time.Second
	}
	rows = func() int64 {
		lastMu.Lock()
		defer lastMu.Unlock()
		return last.Rows
	}
	l.mu.Lock()
	l.running[state] = &importRun{start: time.Now(), rows: rows}
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.running, state)
		l.mu.Unlock()
	}()
	var sum *ingest.Summary
	switch {
	case req.FromQuarantine:
		sum, err = ingest.ReimportQuarantine(ctx, l.dir.Store, l.dir.Keyring, opts)
	case req.inputs != nil:
		sum, err = ingest.ImportInputs(ctx, l.dir.Store, l.dir.Keyring, req.inputs, opts)
	default:
		sum, err = ingest.Import(ctx, l.dir.Store, l.dir.Keyring, req.Paths, opts)
	}
	if sum != nil && sum.Committed && l.hooks.Committed != nil {
		l.hooks.Committed()
	}
	if err == nil && sum.Committed && opts.Private {
		sum.PrivatePending, err = l.buildSmallPrivate(ctx)
	}
	return sum, err
}

// inlinePrivateBuild is the most spooled pairs an import builds into the
// private index itself (a few seconds on two cores); more wait for
// leakwatch private build, or for the server, which builds in the
// background.
const inlinePrivateBuild = 20000

// buildSmallPrivate builds the private index after an import when little
// is spooled and the import runs outside a server (a server builds in the
// background), and returns the pairs still waiting.
func (l *Local) buildSmallPrivate(ctx context.Context) (int64, error) {
	ix := l.Private()
	st, err := ix.Status(ctx)
	if err != nil || st.Pending > inlinePrivateBuild || l.hooks.Committed != nil {
		return st.Pending, err
	}
	st, err = ix.Build(ctx, privateindex.BuildOptions{Workers: l.limits.Share(0).Goroutines})
	return st.Pending, err
}

// options turns a request into ingest options, validating what a user
// gave.
func (req ImportRequest) options(now time.Time) (ingest.Options, error) {
	var opts ingest.Options
	f := leakparse.Format(req.Format)
	if f == "" {
		f = leakparse.FormatAuto
	}
	if f != leakparse.FormatAuto && !containsFormat(leakparse.Formats(), f) {
		return opts, badRequest(fmt.Errorf("unknown format %q", req.Format))
	}
	b := catalog.New(req.Breach, now)
	if req.Title != "" {
		b.Title = req.Title
	}
	b.Domain, b.BreachDate = strings.ToLower(req.Domain), req.Date
	if err := b.Validate(); err != nil {
		return opts, badRequest(err)
	}
	opts = ingest.Options{Breach: b, Format: f, Map: req.Map, NoHeader: req.NoHeader, HeaderRow: req.HeaderRow, ArchivePasswords: req.ArchivePasswords, PhoneRegion: strings.ToUpper(req.PhoneRegion),
		Workers: req.Workers, MaxDepth: req.MaxDepth, MaxRatio: req.MaxRatio, BareHashes: req.BareHashes}
	if req.ProgressEvery >= 100*time.Millisecond {
		opts.ProgressEvery = req.ProgressEvery
	}
	return opts, nil
}

func containsFormat(fs []leakparse.Format, f leakparse.Format) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

// ErrBadRequest reports a request that cannot be carried out as asked (a
// usage error of the command line).
var ErrBadRequest = errors.New("bad request")

// badRequest marks err as a request that cannot be carried out as asked;
// its message stays err's.
func badRequest(err error) error { return &requestError{err} }

type requestError struct{ err error }

func (e *requestError) Error() string        { return e.err.Error() }
func (e *requestError) Unwrap() error        { return e.err }
func (e *requestError) Is(target error) bool { return target == ErrBadRequest }

// Breaches implements Service.
func (l *Local) Breaches(ctx context.Context) ([]catalog.Breach, error) {
	return l.dir.Store.Breaches(ctx)
}

// Breach implements Service.
func (l *Local) Breach(ctx context.Context, name string) (catalog.Breach, error) {
	return l.dir.Store.Breach(ctx, name)
}

// EditBreach implements Service.
func (l *Local) EditBreach(ctx context.Context, name string, e BreachEdit) (catalog.Breach, error) {
	st := l.dir.Store
	now := time.Now()
	b, err := st.Breach(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		b = catalog.New(name, now)
	} else if err != nil {
		return b, err
	}
	e.apply(&b)
	b.ModifiedDate = catalog.Timestamp{Time: now.UTC().Truncate(time.Second)}
	if err := st.PutBreach(ctx, b); err != nil {
		if errors.Is(err, catalog.ErrInvalid) {
			return b, badRequest(err)
		}
		return b, err
	}
	return st.Breach(ctx, b.Name)
}

func (e BreachEdit) apply(b *catalog.Breach) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	flag := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&b.Title, e.Title)
	if e.Domain != nil {
		b.Domain = strings.ToLower(*e.Domain)
	}
	set(&b.BreachDate, e.BreachDate)
	set(&b.Description, e.Description)
	set(&b.LogoPath, e.LogoPath)
	set(&b.Attribution, e.Attribution)
	set(&b.DisclosureURL, e.DisclosureURL)
	flag(&b.IsVerified, e.IsVerified)
	flag(&b.IsFabricated, e.IsFabricated)
	flag(&b.IsSensitive, e.IsSensitive)
	flag(&b.IsRetired, e.IsRetired)
	flag(&b.IsSpamList, e.IsSpamList)
	flag(&b.IsMalware, e.IsMalware)
	flag(&b.IsStealerLog, e.IsStealerLog)
}

// AccountBreaches implements Service.
func (l *Local) AccountBreaches(ctx context.Context, account string) ([]catalog.Breach, error) {
	if err := l.needKeys(); err != nil {
		return nil, err
	}
	return l.x.AccountBreaches(ctx, account, exposure.Public)
}

// PasswordCount implements Service.
func (l *Local) PasswordCount(ctx context.Context, password []byte) (int64, error) {
	if err := l.needKeys(); err != nil {
		return 0, err
	}
	return l.x.PasswordCount(ctx, password)
}

// Quarantine implements Service.
func (l *Local) Quarantine(ctx context.Context, breach string, withLines bool) (*QuarantineReport, error) {
	st := l.dir.Store
	srcs, err := st.Sources(ctx, breach)
	if err != nil {
		return nil, err
	}
	names := map[[32]byte]string{}
	for _, s := range srcs {
		names[s.ID] = s.Name
	}
	b, err := st.Breach(ctx, breach)
	if err != nil {
		return nil, err
	}
	rep := &QuarantineReport{Breach: b.Name, Counts: []QuarantineCount{}}
	type key struct{ source, reason string }
	counts := map[key]int64{}
	for q, err := range st.Quarantine(ctx, breach) {
		if err != nil {
			return nil, err
		}
		src, ok := names[q.Source]
		if !ok {
			src = fmt.Sprintf("sha256:%x", q.Source[:6]) // a source no longer in the ledger
		}
		rep.Total++
		counts[key{src, q.Reason}]++
		if withLines {
			rep.Lines = append(rep.Lines, QuarantinedLine{Source: src, Line: q.Line, Reason: q.Reason})
		}
	}
	for k, n := range counts {
		rep.Counts = append(rep.Counts, QuarantineCount{Source: k.source, Reason: k.reason, Lines: n})
	}
	sort.Slice(rep.Counts, func(i, j int) bool {
		a, b := rep.Counts[i], rep.Counts[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Lines != b.Lines {
			return a.Lines > b.Lines
		}
		return a.Reason < b.Reason
	})
	// Lines are kept by the print of their content: list them by file and
	// line.
	sort.Slice(rep.Lines, func(i, j int) bool {
		a, b := rep.Lines[i], rep.Lines[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Line < b.Line
	})
	if withLines && rep.Lines == nil {
		rep.Lines = []QuarantinedLine{}
	}
	return rep, nil
}

// CreateKey implements Service.
func (l *Local) CreateKey(ctx context.Context, name string, rpm int, ownerEmail string) (string, error) {
	var holder store.AccountKey
	if ownerEmail != "" {
		o, err := l.ownerService()
		if err != nil {
			return "", err
		}
		if holder, _, err = o.AccountKey(ownerEmail); err != nil {
			return "", err
		}
	}
	secret, err := api.CreateKey(ctx, l.dir.Store, name, rpm, holder, rand.Reader)
	if errors.Is(err, api.ErrBadKeyName) || errors.Is(err, api.ErrBadRPM) {
		return "", badRequest(err)
	}
	if err == nil && l.hooks.KeysChanged != nil {
		l.hooks.KeysChanged()
	}
	return secret, err
}

// Keys implements Service.
func (l *Local) Keys(ctx context.Context) ([]api.KeyInfo, error) {
	return api.ListKeys(ctx, l.dir.Store)
}

// RevokeKey implements Service.
func (l *Local) RevokeKey(ctx context.Context, name string) error {
	err := api.RevokeKey(ctx, l.dir.Store, name)
	if err == nil && l.hooks.KeysChanged != nil {
		l.hooks.KeysChanged()
	}
	return err
}

// CreateAdminToken implements Service.
func (l *Local) CreateAdminToken(ctx context.Context, name string) (string, error) {
	return createAdminToken(ctx, l.dir.Store, name, rand.Reader)
}

// AdminTokens implements Service.
func (l *Local) AdminTokens(ctx context.Context) ([]AdminTokenInfo, error) {
	return listAdminTokens(ctx, l.dir.Store)
}

// RevokeAdminToken implements Service.
func (l *Local) RevokeAdminToken(ctx context.Context, name string) error {
	return revokeAdminToken(ctx, l.dir.Store, name)
}

// RotateKeyring implements Service.
func (l *Local) RotateKeyring(ctx context.Context) (keyring.Rotation, error) {
	if err := l.needKeys(); err != nil {
		return keyring.Rotation{}, err
	}
	rot, err := keyring.RotateStore(ctx, l.dir.Keyring, l.dir.Store)
	if errors.Is(err, store.ErrImportRunning) {
		return rot, ErrBusy
	}
	return rot, err
}

// ExportPasswords implements Service.
func (l *Local) ExportPasswords(ctx context.Context, kind store.HashKind, w io.Writer) (ExportStats, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	st, err := pwned.WriteCorpus(ctx, l.dir.Store, kind, bw)
	if err == nil {
		err = bw.Flush()
	}
	return ExportStats{Hashes: st.Hashes, Prefixes: st.Prefixes, Bytes: st.Bytes}, err
}

// Backup implements Service.
func (l *Local) Backup(ctx context.Context, w io.Writer, keys bool) (datadir.Manifest, error) {
	if keys {
		if err := l.needKeys(); err != nil {
			return datadir.Manifest{}, err
		}
	}
	return datadir.Backup(ctx, l.dir, w, datadir.BackupOptions{IncludeKeys: keys})
}

// Status implements Service.
func (l *Local) Status(ctx context.Context) (*Status, error) {
	bs, err := l.dir.Store.Breaches(ctx)
	if err != nil {
		return nil, err
	}
	s := &Status{Breaches: len(bs), Imports: []ImportState{}}
	l.mu.Lock()
	for st, run := range l.running {
		e := time.Since(run.start)
		is := ImportState{Breach: st.Breach, Rows: run.rows(), Elapsed: e}
		if e > 0 {
			is.Rate = float64(is.Rows) / e.Seconds()
		}
		s.Imports = append(s.Imports, is)
	}
	l.mu.Unlock()
	if l.hooks.Status != nil {
		s.Server = true
		s.Uptime = time.Since(l.start)
		l.hooks.Status(s)
	}
	return s, nil
}

// Package ingest imports leaked data into a store: it expands paths into
// sources (files, directories, archives, compressed streams, standard
// input, pipes), parses them with leakparse, turns records into facts
// (keyed account hashes, sealed emails, password hashes with the prints
// that count each credential pair once, sealed quarantine lines, and the
// stealer-log sightings of email accounts at websites of ULP lines and
// stealer logs) on all cores, and commits them to the store in one atomic
// step.
//
// An import is a set of facts: importing the same data again, in any
// container or order, changes nothing, and an input that cannot be read
// fails alone while the others are imported.
//
// Nothing plaintext leaves this package towards the store.
package ingest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Options configure an import.
type Options struct {
	// Breach names the breach (Name is required) and gives the metadata of
	// a breach that does not exist yet.
	Breach catalog.Breach
	// Format forces a format; empty or auto sniffs each file.
	Format leakparse.Format
	// Event, if set, is called just before the commit and what it returns
	// is committed with the import (store.Manifest.Event): what must
	// follow the commit, such as alerts (alert.EncodeEvent).
	Event func() []byte
	// Map overrides column classification (column name or 1-based index).
	Map map[string]catalog.DataClass
	// NoHeader and HeaderRow are the operator's word on the first row of
	// delimited values: data (NoHeader) or a header (HeaderRow); neither,
	// the parser decides (see leakparse.Options).
	NoHeader, HeaderRow bool
	// PhoneRegion is the country of national phone numbers ("US", "DE").
	PhoneRegion string
	// BareHashes, when set (store.SHA1 or store.NTLM), is the operator's
	// word that records holding nothing but password hashes (the lines of
	// a bare hash list) hold unsalted hashes of that kind of passwords:
	// each such hash is counted in that corpus as it is, once per distinct
	// record, like a password found without an account. Unset, hashes are
	// only recorded as the data class "Password hashes".
	BareHashes store.HashKind
	// Private spools every (login, password) pair for the private
	// check's index (privateindex.Spool), sealed, with the commit.
	Private bool
	// Workers is the number of hashing goroutines (default GOMAXPROCS).
	Workers int
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Exclude names paths never read as inputs: the data directory and the
	// key file of the store being imported into.
	Exclude []string
	// TempDir holds the import's temporary files: zip archives spooled
	// for random access and sealed quarantined lines (default
	// os.TempDir). None of them is plaintext.
	TempDir string
	// MaxDepth bounds how deeply containers may nest (a gzip in a tar in
	// a zip is 3; default DefaultMaxDepth).
	MaxDepth int
	// ArchivePasswords are tried in order on encrypted archives (7-Zip,
	// RAR, zip); an archive none opens is a failure of its own.
	ArchivePasswords []string
	// MaxRatio bounds how many times a compressed container may expand
	// (default DefaultMaxRatio, beyond 64 MiB).
	MaxRatio int64
	// ratioSlack overrides the expansion every container may have beyond
	// MaxRatio (tests only).
	ratioSlack int64
	// Rand is the randomness for data keys (default crypto/rand). Every
	// import must get a fresh data key: a deterministic reader shared by
	// two imports would repeat keys and nonces. Tests only.
	Rand io.Reader
	// Progress, if set, is called about every ProgressEvery from another
	// goroutine, and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Warn receives one-line messages about inputs passed over or failed
	// (a file that is no leak, a truncated archive, a source already
	// imported) as they happen. They never hold data; names in them are
	// quoted with safetext.Quote.
	Warn func(string)
	// Failed, if set, receives the inputs that could not be read as they
	// fail, instead of Warn.
	Failed func(Failure)
}

// Progress is a snapshot of a running import.
type Progress struct {
	File    string // the file being read (print it with safetext.Quote)
	Read    int64  // bytes read from sources so far
	Total   int64  // bytes of all sources; 0 when unknown (streams)
	Rows    int64  // records parsed
	Elapsed time.Duration
	Done    bool
}

// Summary is the account of an import.
type Summary struct {
	Files       int              `json:"files"`        // leak files read that were new to the breach
	Rows        int64            `json:"rows"`         // records parsed from them
	Reread      int64            `json:"reread"`       // quarantined lines read again (ReimportQuarantine)
	Quarantined map[string]int64 `json:"quarantined"`  // lines quarantined, by reason
	DataClasses catalog.ClassSet `json:"-"`            //
	Result      store.Result     `json:"result"`       // distinct accounts, new accounts and pairs, PwnCount
	Ignored     int              `json:"ignored"`      // non-credential files of stealer log folders
	Lines       int64            `json:"lines"`        // lines read from the leak files new to the breach
	Passed      int64            `json:"lines_passed"` // of them, lines that are no data: blank, headers, banners, SQL outside data
	Imported    []string         `json:"imported"`     // leak files imported, by name
	Already     []string         `json:"already"`      // leak files already in the breach: nothing new
	Skipped     []Skip           `json:"skipped"`      // links and special files passed over
	Failed      []Failure        `json:"failed"`       // inputs that could not be read, or not completely
	Bytes       int64            `json:"bytes"`        // bytes read from the sources
	Elapsed     time.Duration    `json:"-"`            //
	Seconds     float64          `json:"seconds"`      // Elapsed
	Committed   bool             `json:"committed"`    // the import changed the store
	Sightings   int64            `json:"sightings"`    // stealer-log sightings (email account, website) read, repeats included
	StealerLog  bool             `json:"stealer_log"`  // the breach is flagged IsStealerLog, as an import with sightings makes it
	ClassNames  []string         `json:"data_classes"` // DataClasses by name
	// Private: pairs spooled for the private check's index (Options.Private),
	// and, as the caller that builds it tells, how many of all spooled
	// pairs still wait for the build.
	PrivatePairs   int64 `json:"private_pairs,omitempty"`
	PrivatePending int64 `json:"private_pending,omitempty"`
}

// QuarantinedTotal returns the number of quarantined lines.
func (s *Summary) QuarantinedTotal() int64 {
	var n int64
	for _, c := range s.Quarantined {
		n += c
	}
	return n
}

// ErrNothingToImport is returned, with the summary, when an import found
// nothing new to commit: every source was already in the breach, or no
// input held a record or a quarantined line (see Summary.Failed). The
// store is unchanged and no breach is created.
var ErrNothingToImport = errors.New("nothing to import")

// Import imports paths into the breach opts.Breach.Name. An input that
// cannot be read (missing, no leak, truncated) is listed in the summary's
// Failed and the others are imported; a failure of the store, or ctx's end,
// fails the whole import with nothing committed.
func Import(ctx context.Context, st store.Store, kr *keyring.Keyring, paths []string, opts Options) (*Summary, error) {
	return run(ctx, st, kr, opts, &fileFeed{paths: paths})
}

// A feed is what an import reads: files, or quarantined lines.
type feed interface {
	// plan runs before the store is touched; ErrNothingToImport ends the
	// import there.
	plan(ctx context.Context, p *pipeline) error
	// read parses the inputs into the pipeline's batches.
	read(ctx context.Context, p *pipeline, batches, free chan *batch) error
	// finish adds what had to wait for the end (held quarantine lines) and
	// returns the sources to record, and whether anything new was read.
	finish(ctx context.Context, p *pipeline) ([]store.Source, bool, error)
	// close releases what plan acquired.
	close()
}

// run is the one import driver: plan, parse on all cores, commit. Under
// a low cpushare.Share in ctx, reading and committing run at low priority
// too, as the hashing workers do.
func run(ctx context.Context, st store.Store, kr *keyring.Keyring, opts Options, f feed) (sum *Summary, err error) {
	cpushare.Do(ctx, func() { sum, err = drive(ctx, st, kr, opts, f) })
	return sum, err
}

func drive(ctx context.Context, st store.Store, kr *keyring.Keyring, opts Options, f feed) (*Summary, error) {
	start := time.Now()
	opts.defaults()
	if err := opts.Breach.Validate(); err != nil {
		return nil, err
	}
	if k := opts.BareHashes; k != 0 && k != store.SHA1 && k != store.NTLM {
		return nil, fmt.Errorf("bare hashes of unknown kind %d", k)
	}
	sum := &Summary{Quarantined: map[string]int64{}, Imported: []string{}, Already: []string{}, Skipped: []Skip{}, Failed: []Failure{}}
	defer func() { sum.Seconds = sum.Elapsed.Seconds() }()
	p := &pipeline{st: st, kr: kr, opts: &opts, sum: sum}
	defer f.close()
	if err := f.plan(ctx, p); err != nil {
		return sum, err
	}
	imp, err := st.BeginImport(ctx, opts.Breach)
	if err != nil {
		return sum, err
	}
	committed := false
	defer func() {
		if !committed {
			imp.Abort()
		}
	}()
	if opts.TempDir != "" {
		removeStaleTemp(opts.TempDir)
	}
	dk, wrapped, err := newDataKey(ctx, st, kr, opts.Rand)
	if err != nil {
		return sum, err
	}
	p.imp, p.dk = imp, dk
	stopProgress := p.startProgress(start)
	err = p.run(ctx, f.read)
	stopProgress()
	if err != nil {
		return sum, err
	}
	sources, anything, err := f.finish(ctx, p)
	if err != nil {
		return sum, err
	}
	sum.DataClasses = p.dataClasses()
	sum.Sightings = p.sightings.Load()
	sum.PrivatePairs = p.spooled.Load()
	sum.ClassNames = sum.DataClasses.Names()
	sum.Bytes = p.read.Load()
	sum.Elapsed = time.Since(start)
	if !anything {
		return sum, ErrNothingToImport
	}
	if err := p.addProfile(ctx); err != nil {
		return sum, err
	}
	var event []byte
	if p.opts.Event != nil {
		event = p.opts.Event()
	}
	// A breach with stealer-log sightings is a stealer-log breach, whatever
	// its metadata said when the import began: the commit flags it.
	m := store.Manifest{Sources: sources, DataClasses: sum.DataClasses, DataKey: wrapped, Event: event, StealerLog: sum.Sightings > 0}
	res, err := imp.Commit(ctx, m)
	committed = true
	if err != nil {
		return sum, err
	}
	sum.Result, sum.Committed, sum.StealerLog = res, true, m.StealerLog
	sum.Elapsed = time.Since(start)
	if opts.Progress != nil {
		opts.Progress(Progress{Read: sum.Bytes, Total: p.total, Rows: sum.Rows, Elapsed: sum.Elapsed, Done: true})
	}
	return sum, nil
}

// newDataKey makes the data key of one import and its wrapped form.
func newDataKey(ctx context.Context, st store.Store, kr *keyring.Keyring, rand io.Reader) (*keyring.DataKey, store.WrappedKey, error) {
	id, err := st.NextDataKeyID(ctx)
	if err != nil {
		return nil, store.WrappedKey{}, err
	}
	dk, err := keyring.NewDataKey(id, rand)
	if err != nil {
		return nil, store.WrappedKey{}, err
	}
	w, err := kr.Wrap(dk)
	return dk, w, err
}

// defaults fills in the zero fields of opts.
func (opts *Options) defaults() {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = time.Second
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.MaxRatio <= 0 {
		opts.MaxRatio = DefaultMaxRatio
	}
	if opts.Format == "" {
		opts.Format = leakparse.FormatAuto
	}
}

func (opts *Options) slack() int64 {
	if opts.ratioSlack > 0 {
		return opts.ratioSlack
	}
	return ratioSlack
}

// SortedReasons returns the quarantine reasons by descending count.
func SortedReasons(m map[string]int64) []string {
	var rs []string
	for r := range m {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool {
		if m[rs[i]] != m[rs[j]] {
			return m[rs[i]] > m[rs[j]]
		}
		return rs[i] < rs[j]
	})
	return rs
}

// addProfile hands the import's evidence profile to the store with the
// facts: a record of store.TableProfiles, sealed under the import's data
// key (docs/verify.md).
func (p *pipeline) addProfile(ctx context.Context) error {
	if p.profile == nil || p.profile.Rows == 0 {
		return nil
	}
	b, err := json.Marshal(p.profile)
	if err != nil {
		return err
	}
	id := evidence.RecordID(p.opts.Breach.Name, time.Now())
	rec := store.RecordOp{Table: store.TableProfiles, ID: id, Value: p.dk.Seal(nil, nil, b, id)}
	return p.imp.Add(ctx, &store.Facts{Records: []store.RecordOp{rec}})
}

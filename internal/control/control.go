// Package control holds the operations a leakwatch installation offers its
// operators (imports, the catalog, checks, API keys, key rotation, exports,
// backups, status) behind one interface, Service, with two
// implementations: Local works on a data directory in this process, and
// Client asks a running server over its admin API. The command line
// depends on Service alone, so every command behaves the same whether a
// server runs or not; Handler serves the admin API from a Local.
package control

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/privateindex"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/verify"
)

// Service is what the command line asks of an installation. Methods are
// safe for concurrent use; errors wrap the sentinels of this package and
// of the packages named in the method docs, whichever side ran them.
type Service interface {
	// Import imports req's inputs (or re-reads a breach's quarantine).
	// Events report progress, warnings and failed inputs as they happen.
	// It returns the summary with ingest.ErrNothingToImport when nothing
	// was committed for want of anything new.
	Import(ctx context.Context, req ImportRequest, ev Events) (*ingest.Summary, error)

	// Breaches returns the catalog; Breach one breach (store.ErrNotFound).
	Breaches(ctx context.Context) ([]catalog.Breach, error)
	Breach(ctx context.Context, name string) (catalog.Breach, error)
	// EditBreach creates or changes a breach's metadata and returns it.
	EditBreach(ctx context.Context, name string, edit BreachEdit) (catalog.Breach, error)

	// AccountBreaches answers for an account as the public API does (no
	// sensitive or retired breach); exposure.ErrBadAccount for input that
	// is no identifier.
	AccountBreaches(ctx context.Context, account string) ([]catalog.Breach, error)
	// PasswordCount counts a password's appearances.
	PasswordCount(ctx context.Context, password []byte) (int64, error)

	// Quarantine lists a breach's quarantined lines by source and reason,
	// and each line with lines set.
	Quarantine(ctx context.Context, breach string, lines bool) (*QuarantineReport, error)

	// CreateKey creates an API key and returns its secret; Keys lists them;
	// RevokeKey deletes one (api.ErrNoSuchKey). Keys take effect on a
	// running server at once.
	// owner, if not "", is the email of the key's holder: the key then
	// sees what that address and its verified domains may (see owner).
	CreateKey(ctx context.Context, name string, rpm int, owner string) (string, error)
	Keys(ctx context.Context) ([]api.KeyInfo, error)
	RevokeKey(ctx context.Context, name string) error

	// CreateAdminToken creates an admin token for the admin API's TLS
	// listener and returns its secret; AdminTokens lists them;
	// RevokeAdminToken deletes one (ErrNoSuchToken), effective with the
	// next request.
	CreateAdminToken(ctx context.Context, name string) (string, error)
	AdminTokens(ctx context.Context) ([]AdminTokenInfo, error)
	RevokeAdminToken(ctx context.Context, name string) error

	// RotateKeyring replaces the KEM key pair that wraps the data keys.
	RotateKeyring(ctx context.Context) (keyring.Rotation, error)

	// ExportPasswords writes the password corpus of kind in the Pwned
	// Passwords downloader's format (FULLHASH:COUNT lines) to w.
	ExportPasswords(ctx context.Context, kind store.HashKind, w io.Writer) (ExportStats, error)

	// Backup writes a consistent snapshot of the data directory to w (see
	// datadir.Backup); with keys, the key file too.
	Backup(ctx context.Context, w io.Writer, keys bool) (datadir.Manifest, error)

	// Status says what the installation is doing.
	Status(ctx context.Context) (*Status, error)

	// AddDomain starts a domain's verification; VerifyDomain checks its
	// proof (code: the mailed code, for that method); Domains lists the
	// claims; RemoveDomain forgets one (owner.ErrNotFound).
	AddDomain(ctx context.Context, req DomainRequest) (owner.Domain, error)
	VerifyDomain(ctx context.Context, domain, code string) (owner.Domain, error)
	Domains(ctx context.Context) ([]owner.Domain, error)
	RemoveDomain(ctx context.Context, domain string) error
	// StartAddress mails a code to an address; ConfirmAddress checks it.
	StartAddress(ctx context.Context, email string) (owner.Address, error)
	ConfirmAddress(ctx context.Context, email, code string) (owner.Address, error)

	// Subscribe adds an alert subscription; Subscriptions lists them
	// (without webhook secrets); Unsubscribe removes one.
	Subscribe(ctx context.Context, req SubscribeRequest) (alert.Subscription, error)
	Subscriptions(ctx context.Context) ([]alert.Subscription, error)
	Unsubscribe(ctx context.Context, id string) error
	// AlertOutbox lists the deliveries waiting and the dead letters;
	// RetryAlerts puts dead letters back (id "" for all) and says how many.
	AlertOutbox(ctx context.Context) (*AlertsReport, error)
	RetryAlerts(ctx context.Context, id string) (int, error)
	// DeliverAlerts queues the alerts of the commits not yet seen and
	// sends what is due, once (a server does it by itself, all the time).
	DeliverAlerts(ctx context.Context) (*DeliverReport, error)

	// PrivateEnable makes the private check's first epoch; from then on
	// imports spool their pairs for it.
	PrivateEnable(ctx context.Context, req PrivateRequest) (privateindex.Status, error)
	// PrivateStatus reports the private check's epochs and counts.
	PrivateStatus(ctx context.Context) (privateindex.Status, error)
	// PrivateBuild indexes the spooled pairs, resumably; PrivateRotate
	// makes a new epoch from the indexed inputs. Progress is reported
	// locally only.
	PrivateBuild(ctx context.Context, req PrivateRequest, progress func(privateindex.Progress)) (privateindex.Status, error)
	PrivateRotate(ctx context.Context, req PrivateRequest, progress func(privateindex.Progress)) (privateindex.Status, error)

	// Verify weighs the evidence that a breach is what it claims to be
	// (docs/verify.md).
	Verify(ctx context.Context, breach string) (*verify.Report, error)
	// LastVerification returns the breach's last verification, kept as
	// its provenance; nil if it was never verified.
	LastVerification(ctx context.Context, breach string) (*verify.Stored, error)

	// Close releases what the Service holds.
	Close() error
}

// ImportRequest is one import: where the data comes from, into which
// breach, and how to read it.
type ImportRequest struct {
	// Paths are files, directories, pipes or "-" (Stdin); a Client sends
	// their contents, so they are read where the command runs.
	Paths []string  `json:"-"`
	Stdin io.Reader `json:"-"`
	// FromQuarantine re-reads the breach's quarantined lines instead.
	FromQuarantine bool `json:"from_quarantine,omitempty"`
	// Breach names the breach; Title, Domain and Date (when set) describe
	// a new one.
	Breach string `json:"breach"`
	Title  string `json:"title,omitempty"`
	Domain string `json:"domain,omitempty"`
	Date   string `json:"date,omitempty"`
	// How to read the inputs; see ingest.Options.
	Format string                       `json:"format,omitempty"`
	Map    map[string]catalog.DataClass `json:"map,omitempty"`
	// NoHeader and HeaderRow say what the first row of a table is: data,
	// or a header whatever its names (see ingest.Options).
	NoHeader  bool `json:"no_header,omitempty"`
	HeaderRow bool `json:"header_row,omitempty"`
	// ArchivePasswords are tried in order on encrypted archives.
	ArchivePasswords []string       `json:"archive_passwords,omitempty"`
	PhoneRegion      string         `json:"phone_region,omitempty"`
	BareHashes       store.HashKind `json:"bare_hashes,omitempty"`
	Workers          int            `json:"workers,omitempty"`
	MaxDepth         int            `json:"max_depth,omitempty"`
	MaxRatio         int64          `json:"max_ratio,omitempty"`
	// ProgressEvery is how often Events.Progress is called (default 1s).
	ProgressEvery time.Duration `json:"progress_every_ns,omitempty"`

	// inputs, on a server, are the inputs a client streamed.
	inputs *ingest.Inputs
}

// Events receive what a running import reports. Any may be nil.
type Events struct {
	Progress func(ingest.Progress)
	Warn     func(string)
	Failed   func(ingest.Failure)
}

// BreachEdit changes the fields of a breach it sets (nil fields stay).
type BreachEdit struct {
	Title, Domain, BreachDate, Description, LogoPath, Attribution, DisclosureURL          *string
	IsVerified, IsFabricated, IsSensitive, IsRetired, IsSpamList, IsMalware, IsStealerLog *bool
}

// QuarantineReport is what Quarantine found.
type QuarantineReport struct {
	Breach string            `json:"breach"`
	Total  int64             `json:"total"`
	Counts []QuarantineCount `json:"counts"`          // by source and reason
	Lines  []QuarantinedLine `json:"lines,omitempty"` // with lines, by source and line
}

// QuarantineCount is the number of lines of one source quarantined for one
// reason.
type QuarantineCount struct {
	Source string `json:"source"`
	Reason string `json:"reason"`
	Lines  int64  `json:"lines"`
}

// QuarantinedLine is one quarantined line: where it was seen, and why.
type QuarantinedLine struct {
	Source string `json:"source"`
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
}

// ExportStats are the figures of an export.
type ExportStats struct {
	Hashes   int64 `json:"hashes"`
	Prefixes int   `json:"prefixes"`
	Bytes    int64 `json:"bytes"`
}

// Status is what an installation is doing.
type Status struct {
	Server   bool          `json:"server"`                // answered by a running server
	Uptime   time.Duration `json:"uptime_ns"`             // of the server
	Breaches int           `json:"breaches"`              //
	Imports  []ImportState `json:"imports"`               // running now
	Packs    *PackState    `json:"range_packs,omitempty"` // the range packs' state
	Requests float64       `json:"requests_per_second"`   // of the public API, lately
}

// ImportState is a running import.
type ImportState struct {
	Breach  string        `json:"breach"`
	Rows    int64         `json:"rows"`
	Rate    float64       `json:"rows_per_second"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// PackState is the range packs' state.
type PackState struct {
	// State is "off" (ranges come from the store), "building" (the
	// first packs), "ready", or "rebuilding" (after a commit, while the
	// previous packs answer).
	State string    `json:"state"`
	Bytes int64     `json:"bytes"`          // of the packs in use
	Built time.Time `json:"built,omitzero"` // when the packs in use were built
}

// ErrBusy reports an operation refused while an import runs (a key
// rotation).
var ErrBusy = errors.New("busy: an import is running")

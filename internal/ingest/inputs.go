package ingest

import (
	"context"
	"io"

	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Input is one input of an import: a file, a stream, or what a remote
// client sent of one.
type Input struct {
	Name string // for messages
	Size int64  // bytes, -1 when unknown
	// Open returns the input's bytes, as they are (containers are
	// unpacked by the import). Read errors of the returned reader fail
	// this input alone.
	Open func(ctx context.Context) (io.ReadCloser, error)
}

// Inputs are the inputs of one import, read one after the other: what
// Expand found here, or a remote client's stream of what it found there.
type Inputs struct {
	Count   int       // inputs Next will return
	Total   int64     // bytes of all inputs; 0 when unknown
	Skipped []Skip    // passed over on purpose (links and special files in directories)
	Failed  []Failure // could not be opened
	Ignored int       // non-credential files of stealer log folders
	// Next returns the next input, io.EOF after the last.
	Next func(ctx context.Context) (Input, error)
}

// Expand turns command-line paths into the inputs of an import, as Import
// does: directories are walked (stealer log folders keep only their
// credential files; links and special files are skipped), "-" is stdin,
// pipes and FIFOs are streams, a path that cannot be read is a failure, and
// the paths in exclude (the data directory and key file) are never read.
func Expand(paths []string, stdin io.Reader, exclude []string) *Inputs {
	x := expand(paths, stdin, exclude)
	in := &Inputs{Count: len(x.srcs), Skipped: x.skipped, Failed: x.failed, Ignored: x.ignored}
	for _, s := range x.srcs {
		in.Total += max(s.size, 0)
	}
	srcs := x.srcs
	in.Next = func(ctx context.Context) (Input, error) {
		if len(srcs) == 0 {
			return Input{}, io.EOF
		}
		s := srcs[0]
		srcs = srcs[1:]
		return Input{Name: s.name, Size: s.size, Open: s.open}, nil
	}
	return in
}

// ImportInputs imports inputs, such as a remote client's, into the breach
// opts.Breach.Name; see Import.
func ImportInputs(ctx context.Context, st store.Store, kr *keyring.Keyring, in *Inputs, opts Options) (*Summary, error) {
	return run(ctx, st, kr, opts, &fileFeed{in: in})
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/privateindex"
)

// The private commands manage the private credential check's index
// (docs/private-check.md): enable it, build the pairs imports spooled,
// rotate its key, show its state.

func setupPrivateEnable(fs *flag.FlagSet) runFunc {
	bits := fs.Int("bucket-bits", -1, "bits of the login hash that name a bucket, 0 to 24 (default: from --expected-pairs)")
	expected := fs.Int("expected-pairs", privateindex.DefaultExpectedPairs, "leaked pairs the first epoch is sized for: about 2,048 a bucket")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"private enable takes no arguments"}
		}
		sized := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { sized[f.Name] = true })
		if sized["bucket-bits"] && sized["expected-pairs"] {
			return usageError{"give --bucket-bits or --expected-pairs, not both"}
		}
		if *expected < 1 {
			return usageError{"--expected-pairs must be at least 1"}
		}
		req := control.PrivateRequest{ExpectedPairs: *expected}
		if sized["bucket-bits"] {
			if *bits < 0 || *bits > 24 {
				return usageError{"--bucket-bits must be between 0 and 24"}
			}
			req = control.PrivateRequest{BucketBits: *bits}
			if *bits == 0 {
				req = control.PrivateRequest{ExpectedPairs: 1} // one bucket
			}
		}
		return withService(ctx, e, func(s *session) error {
			before, err := s.PrivateStatus(ctx)
			if err != nil {
				return err
			}
			if before.Enabled {
				if sized["bucket-bits"] || sized["expected-pairs"] {
					return withHint(errors.New("the private check is enabled already: its bucket bits are those of its current epoch"),
						"to change them: leakwatch private rotate --bucket-bits N")
				}
				notef(e, "the private check is enabled already")
				return printPrivate(e, before, *asJSON)
			}
			st, err := s.PrivateEnable(ctx, req)
			if err != nil {
				return err
			}
			return printPrivate(e, st, *asJSON)
		})
	}
}

func setupPrivateStatus(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print the status as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"private status takes no arguments"}
		}
		return withService(ctx, e, func(s *session) error {
			st, err := s.PrivateStatus(ctx)
			if err != nil {
				return err
			}
			return printPrivate(e, st, *asJSON)
		})
	}
}

func setupPrivateBuild(fs *flag.FlagSet) runFunc {
	workers := fs.Int("workers", 0, "hashing goroutines (default: every core)")
	quiet := fs.Bool("quiet", false, "print no progress")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"private build takes no arguments"}
		}
		return withService(ctx, e, func(s *session) error {
			st, err := s.PrivateBuild(ctx, control.PrivateRequest{Workers: *workers}, privateProgress(e, "build", *quiet || *asJSON))
			if err != nil {
				return err
			}
			return printPrivate(e, st, *asJSON)
		})
	}
}

func setupPrivateRotate(fs *flag.FlagSet) runFunc {
	workers := fs.Int("workers", 0, "hashing goroutines (default: every core)")
	grace := fs.Duration("grace", 7*24*time.Hour, "how long clients may still use the previous epoch (0: retire it at once)")
	bits := fs.Int("bucket-bits", 0, "the new epoch's bucket bits (default: from the number of indexed pairs)")
	quiet := fs.Bool("quiet", false, "print no progress")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"private rotate takes no arguments"}
		}
		if *grace < 0 {
			return usageError{"--grace must not be negative"}
		}
		return withService(ctx, e, func(s *session) error {
			st, err := s.PrivateRotate(ctx, control.PrivateRequest{Workers: *workers, Grace: *grace, BucketBits: *bits}, privateProgress(e, "rotate", *quiet || *asJSON))
			if err != nil {
				return err
			}
			return printPrivate(e, st, *asJSON)
		})
	}
}

// withService runs f on the running server or the data directory.
func withService(ctx context.Context, e *env, f func(s *session) error) error {
	s, err := e.connect(ctx, useKeys)
	if err != nil {
		return err
	}
	defer s.end(true)
	return f(s)
}

// privateProgress prints a build's progress on standard error, at most
// every two seconds.
func privateProgress(e *env, what string, quiet bool) func(privateindex.Progress) {
	if quiet {
		return nil
	}
	var last time.Time
	return func(p privateindex.Progress) {
		if time.Since(last) < 2*time.Second && p.Done < p.Total {
			return
		}
		last = time.Now()
		r := rate(p.Done, p.Elapsed)
		left := "-"
		if r > 0 && p.Total > p.Done {
			left = (time.Duration(float64(p.Total-p.Done)/r) * time.Second).Round(time.Second).String()
		}
		notef(e, "private %s: %d of %d pairs, %s pairs/s, %s left", what, p.Done, p.Total, countHuman(r), left)
	}
}

func printPrivate(e *env, st privateindex.Status, asJSON bool) error {
	if asJSON {
		return writeJSON(e, st)
	}
	if !st.Enabled {
		fmt.Fprintln(e.stdout, "the private check is not enabled (leakwatch private enable)")
		return nil
	}
	for _, ep := range st.Epochs {
		if ep.State == privateindex.StateBuilding {
			fmt.Fprintf(e.stdout, "epoch %d  building  %d bucket bits: a rotation did not finish; leakwatch private rotate finishes it\n", ep.Epoch, ep.BucketBits)
			continue
		}
		line := fmt.Sprintf("epoch %d  %-8s  %d bucket bits  key %s", ep.Epoch, ep.State, ep.BucketBits, ep.Fingerprint)
		if !ep.NotAfter.IsZero() {
			line += "  until " + ep.NotAfter.Format(time.RFC3339)
		}
		if ep.Overflow > 0 {
			line += fmt.Sprintf("  %d bucket(s) over capacity: rotate with more bucket bits", ep.Overflow)
		}
		fmt.Fprintln(e.stdout, line)
	}
	fmt.Fprintf(e.stdout, "indexed %d pair(s); %d wait for the build", st.Indexed, st.Pending)
	if st.Pending > 0 {
		fmt.Fprint(e.stdout, " (leakwatch private build; a running server builds them by itself)")
	}
	fmt.Fprintln(e.stdout)
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

func setupHelp(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) == 0 {
			topUsage(e.stdout)
			return nil
		}
		// "help keys create" is "keys create --help".
		return runCommand(ctx, e, root(), "", append(args[:len(args):len(args)], "--help"))
	}
}

func setupVersion(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"version takes no arguments"}
		}
		printVersion(e)
		return nil
	}
}

func printVersion(e *env) {
	bi, ok := debug.ReadBuildInfo()
	fmt.Fprint(e.stdout, versionText(bi, ok))
}

// versionText describes a build: the module version, the VCS revision and
// time (with "modified" for a dirty tree), and the Go version and platform.
// A build from a module cache has no VCS information; a test binary or a
// binary without build information has neither.
func versionText(bi *debug.BuildInfo, ok bool) string {
	version, goVersion := "", runtime.Version()
	var vcs []string
	if ok && bi != nil {
		version = bi.Main.Version
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			vcs = append(vcs, "revision "+rev[:min(len(rev), 12)])
		}
		if t := settings["vcs.time"]; t != "" {
			vcs = append(vcs, t)
		}
		if settings["vcs.modified"] == "true" {
			vcs = append(vcs, "modified")
		}
	}
	switch version {
	case "", "(devel)":
		version = "devel"
	}
	line := "leakwatch " + version
	switch {
	case len(vcs) > 0:
		line += " (" + strings.Join(vcs, ", ") + ")"
	case !ok:
		line += " (no build information)"
	case version == "devel":
		line += " (no VCS revision recorded)"
	}
	return fmt.Sprintf("%s\nbuilt with %s for %s/%s\n", line, goVersion, runtime.GOOS, runtime.GOARCH)
}

// suggest returns the candidate that s is most likely a typo of: the
// closest by edit distance (a transposition counts as one edit) when few
// edits separate them, or the only candidate s is a prefix of.
func suggest(s string, candidates []string) (string, bool) {
	best, bestD := "", -1
	var prefixed []string
	for _, c := range candidates {
		if d := editDistance(s, c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
		if len(s) >= 3 && len(c) > len(s) && strings.HasPrefix(c, s) {
			prefixed = append(prefixed, c)
		}
	}
	if bestD > 0 && bestD <= 2 && 2*bestD <= len(s) {
		return best, true
	}
	if len(prefixed) == 1 {
		return prefixed[0], true
	}
	return "", false
}

// editDistance is the optimal string alignment distance between a and b:
// the insertions, deletions, substitutions and transpositions of adjacent
// bytes that turn a into b.
func editDistance(a, b string) int {
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/control"
)

// runIn runs leakwatch with no environment and returns its exit status,
// stdout and stderr.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runEnv(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

// commandPaths returns the path of every command and subcommand of the
// table: "demo", "keys", "keys create", ...
func commandPaths() []string {
	var paths []string
	var walk func(prefix string, cs []*command)
	walk = func(prefix string, cs []*command) {
		for _, c := range cs {
			p := strings.TrimSpace(prefix + " " + c.name)
			paths = append(paths, p)
			walk(p, c.subs)
		}
	}
	walk("", commands)
	return paths
}

// singleDashFlag matches a usage line in package flag's default format.
var singleDashFlag = regexp.MustCompile(`(?m)^\s+-[A-Za-z]`)

// TestHelpEverywhere runs -h, --help and "help" for every command of the
// table, in an empty directory: usage on stdout, nothing on stderr, exit 0,
// and no data directory created.
func TestHelpEverywhere(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, path := range commandPaths() {
		words := strings.Fields(path)
		for _, args := range [][]string{
			append(words[:len(words):len(words)], "--help"),
			append(words[:len(words):len(words)], "-h"),
			append([]string{"help"}, words...),
		} {
			code, out, errOut := runIn(t, "", args...)
			if code != 0 || errOut != "" {
				t.Errorf("leakwatch %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
			}
			if want := "usage: leakwatch " + path; !strings.HasPrefix(out, want) {
				t.Errorf("leakwatch %s: usage starts %.60q, want %q", strings.Join(args, " "), out, want)
			}
			if singleDashFlag.MatchString(out) {
				t.Errorf("leakwatch %s: a flag written with one dash:\n%s", strings.Join(args, " "), out)
			}
		}
	}
	if _, err := os.Stat("leakwatch-data"); !os.IsNotExist(err) {
		t.Errorf("--help created the default data directory: %v", err)
	}
}

// TestUsageListsEveryFlag checks that each command's usage has one
// "--name" line per flag, with a placeholder for flags that take a value.
func TestUsageListsEveryFlag(t *testing.T) {
	for _, path := range commandPaths() {
		c := lookup(path)
		if c.setup == nil {
			continue
		}
		e := &env{}
		fs := newFlags(e, path, path+" "+c.synopsis)
		c.setup(fs)
		var buf bytes.Buffer
		e.usage(&buf)
		usage := buf.String()
		for _, l := range flagLines(fs) {
			if !strings.HasPrefix(l, "--") || !strings.Contains(usage, "  "+l+"\n") {
				t.Errorf("%s: flag line %q missing or malformed in:\n%s", path, l, usage)
			}
		}
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if got := strings.Count(usage, "\n  --"); got != n {
			t.Errorf("%s: %d flag lines, want %d:\n%s", path, got, n, usage)
		}
	}
}

// TestTopUsageCommands parses the top-level usage as the pre-stop check
// does (awk '/^commands:/{f=1;next} /^$/{f=0} f{print $1}') and runs each
// command's --help.
func TestTopUsageCommands(t *testing.T) {
	t.Chdir(t.TempDir())
	_, out, _ := runIn(t, "", "--help")
	var names []string
	in := false
	for sc := bufio.NewScanner(strings.NewReader(out)); sc.Scan(); {
		switch line := sc.Text(); {
		case line == "commands:":
			in = true
		case line == "":
			in = false
		case in:
			names = append(names, strings.Fields(line)[0])
		}
	}
	var want []string
	for _, c := range commands {
		want = append(want, c.name)
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("commands section (-table +usage):\n%s", diff)
	}
	for _, name := range names {
		if code, _, errOut := runIn(t, "", name, "--help"); code != 0 {
			t.Errorf("leakwatch %s --help: exit %d: %s", name, code, errOut)
		}
	}
	if _, err := os.Stat("leakwatch-data"); !os.IsNotExist(err) {
		t.Errorf("--help created the default data directory: %v", err)
	}
}

// TestJSONOutputs decodes the --json output of every command that lists
// or reports.
func TestJSONOutputs(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	leak := filepath.Join(dir, "leak.txt")
	if err := os.WriteFile(leak, []byte("alice@example.com:password\nthis-line-has-no-separator-at-all\nbob@example.net:hunter22\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lw := func(args ...string) []byte {
		t.Helper()
		code, out, errOut := runIn(t, "", append([]string{"--data", data}, args...)...)
		if code != 0 {
			t.Fatalf("leakwatch %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return []byte(out)
	}
	decode := func(b []byte, v any) {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("decoding %s: %v", b, err)
		}
	}
	lw("import", "--quiet", "--breach", "J", leak)

	var created struct{ Name, Secret string }
	decode(lw("keys", "create", "k1", "--rpm", "7", "--json"), &created)
	if created.Name != "k1" || len(created.Secret) != 32 {
		t.Errorf("keys create --json: %+v", created)
	}
	var keys []keyJSON
	decode(lw("keys", "list", "--json"), &keys)
	if len(keys) != 1 || keys[0].Name != "k1" || keys[0].RPM != 7 || time.Since(keys[0].Created) > time.Hour {
		t.Errorf("keys list --json: %+v", keys)
	}

	var q quarantineReport
	decode(lw("quarantine", "list", "--breach", "J", "--json"), &q)
	want := quarantineReport{QuarantineReport: &control.QuarantineReport{Breach: "J", Total: 1, Counts: []control.QuarantineCount{{Source: "leak.txt", Reason: "no-separator", Lines: 1}}}}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("quarantine list --json (-want +got):\n%s", diff)
	}
	q = quarantineReport{}
	decode(lw("quarantine", "list", "--breach", "J", "--lines", "--json"), &q)
	want.Lines = &[]control.QuarantinedLine{{Source: "leak.txt", Line: 2, Reason: "no-separator"}}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("quarantine list --lines --json (-want +got):\n%s", diff)
	}

	var breaches []map[string]any
	decode(lw("breaches", "--json"), &breaches)
	if len(breaches) != 1 || breaches[0]["Name"] != "J" {
		t.Errorf("breaches --json: %v", breaches)
	}
	var b map[string]any
	decode(lw("breach", "show", "J", "--json"), &b)
	if b["Name"] != "J" || b["PwnCount"] != 2.0 {
		t.Errorf("breach show --json: %v", b)
	}

	if raceEnabled {
		t.Log("not exporting: an export renders 1,048,576 ranges, minutes under the race detector")
		return
	}
	var stats struct {
		Mode                 string
		Hashes, Files, Bytes int64
		Prefixes             int
	}
	decode(lw("export", "pwned-passwords", "--out", filepath.Join(dir, "sha1.txt"), "--json"), &stats)
	if stats.Mode != "sha1" || stats.Hashes != 2 || stats.Files != 1 || stats.Bytes == 0 {
		t.Errorf("export pwned-passwords --json: %+v", stats)
	}
}

// TestUntrustedNames imports a file whose name holds a newline and a
// terminal escape: every line cmd prints about it shows them escaped.
func TestUntrustedNames(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	leak := filepath.Join(dir, "x\nleakwatch: all clear\x1b[2J.txt")
	if err := os.WriteFile(leak, []byte("alice@example.com:password\nthis-line-has-no-separator-at-all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runIn(t, "", "--data", data, "import", "--quiet", "--breach", "N", leak); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	quoted := `"x\nleakwatch: all clear\x1b[2J.txt"` // sources are named by base name
	for _, args := range [][]string{
		{"quarantine", "list", "--breach", "N"},
		{"quarantine", "list", "--breach", "N", "--lines"},
	} {
		code, out, errOut := runIn(t, "", append([]string{"--data", data}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if !strings.Contains(out, quoted) || strings.Contains(out, "\x1b") || strings.Contains(out, "\nleakwatch: all clear") {
			t.Errorf("%v: the file name is not quoted:\n%s", args, out)
		}
	}
	// An error naming the file is one line, escaped.
	code, _, errOut := runIn(t, "", "--data", data, "import", "--quiet", "--breach", "N", leak+".missing")
	if code == 0 || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "\x1b") {
		t.Errorf("import of a missing file: exit %d, stderr %q", code, errOut)
	}
}

func TestQuoteName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"combo.txt", "combo.txt"},
		{"dir with spaces/Пароли.txt", "dir with spaces/Пароли.txt"},
		{"", `""`},
		{"a\nb", `"a\nb"`},
		{"\x1b[31mred", `"\x1b[31mred"`},
		{"tab\there", `"tab\there"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
		{"rtl\u202etxt.exe", `"rtl\u202etxt.exe"`},
		{`"quoted"`, `"\"quoted\""`},
	} {
		if got := quoteName(tc.in); got != tc.want {
			t.Errorf("quoteName(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestEscapeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`reading "a.txt": no such file`, `reading "a.txt": no such file`},
		{"x\ny: \x1b[2J\xfe", `x\ny: \x1b[2J\xfe`},
		{"ünïcode ok", "ünïcode ok"},
	} {
		if got := escapeText(tc.in); got != tc.want {
			t.Errorf("escapeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	for _, tc := range []struct{ in, want string }{
		{"improt", "import"},
		{"imoprt", "import"},
		{"serv", "serve"},
		{"breachs", "breaches"},
		{"kesy", "keys"},
		{"quar", "quarantine"},
		{"vresion", "version"},
		{"x", ""},
		{"frobnicate", ""},
		{"import", ""}, // not a typo
	} {
		got, ok := suggest(tc.in, names)
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"import", "import", 0},
		{"improt", "import", 1}, {"kitten", "sitting", 3}, {"breach", "breaches", 2},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestVersionText(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}}, true, "leakwatch v1.2.3\n"},
		{"devel with vcs", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs}, true,
			"leakwatch devel (revision 0123456789ab, 2026-01-02T03:04:05Z, modified)\n"},
		{"devel without vcs", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, true,
			"leakwatch devel (no VCS revision recorded)\n"},
		{"no build info", nil, false, "leakwatch devel (no build information)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := versionText(tc.bi, tc.ok)
			first, second, _ := strings.Cut(got, "\n")
			if first+"\n" != tc.want {
				t.Errorf("first line %q, want %q", first, tc.want)
			}
			if !strings.HasPrefix(second, "built with go") {
				t.Errorf("second line %q", second)
			}
		})
	}
}

func TestRateMeter(t *testing.T) {
	m := rateMeter{tau: 2 * time.Second}
	if _, ok := m.update(0, time.Second); ok {
		t.Error("a rate before any rows")
	}
	// 1000 rows/s for 10 s after a 1 s start-up pause: the rate is the
	// current one, not the average since the start.
	var r float64
	for s := 2; s <= 11; s++ {
		r, _ = m.update(int64(s-1)*1000, time.Duration(s)*time.Second)
	}
	if r < 990 || r > 1010 {
		t.Errorf("steady rate %.0f, want 1000", r)
	}
	// The rate halves: the meter follows within a few time constants.
	n := int64(10000)
	for s := 12; s <= 20; s++ {
		n += 500
		r, _ = m.update(n, time.Duration(s)*time.Second)
	}
	if r < 490 || r > 520 {
		t.Errorf("rate after slowing down %.0f, want about 500", r)
	}
}

func TestFlagError(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"flag provided but not defined: -pwn-count", "flag provided but not defined: --pwn-count"},
		{"flag needs an argument: -breach", "flag needs an argument: --breach"},
		{`invalid value "-5" for flag -rpm: parse error`, `invalid value "-5" for flag --rpm: parse error`},
		{`invalid boolean value "x" for -verified: parse error`, `invalid boolean value "x" for --verified: parse error`},
	} {
		if got := flagError(errors.New(tc.in)); got != tc.want {
			t.Errorf("flagError(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSynopsisNamesEveryFlag: each command's usage line lists every flag it
// takes.
func TestSynopsisNamesEveryFlag(t *testing.T) {
	var walk func(path string, cs []*command)
	walk = func(path string, cs []*command) {
		for _, c := range cs {
			p := strings.TrimSpace(path + " " + c.name)
			if c.setup != nil {
				fs := flag.NewFlagSet(p, flag.ContinueOnError)
				c.setup(fs)
				fs.VisitAll(func(f *flag.Flag) {
					if !strings.Contains(c.synopsis, "--"+f.Name) {
						t.Errorf("leakwatch %s: the usage line lacks --%s", p, f.Name)
					}
				})
			}
			walk(p, c.subs)
		}
	}
	walk("", commands)
}

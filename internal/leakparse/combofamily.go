package leakparse

import (
	"fmt"
	"path"
	"strings"
)

// Combolists come in more shapes than "login:password" lines. This file
// ties together the formats of that family that are not plain combolists:
// lists of single values (passwords or hashes, with or without counts),
// hashcat potfiles and the Adobe 2013 dump, and the detection of those and
// of decorated combolists (see comboshape.go).
const (
	// FormatList is one value per line: a password list (RockYou), a list
	// of bare hashes (the LinkedIn SHA-1 list), optionally with counts
	// ("  290729 123456", as uniq -c writes them, or "HASH:COUNT").
	FormatList Format = "list"
	// FormatPotfile is hashcat's potfile and --outfile output: "hash:plain",
	// with $HEX[...] plains.
	FormatPotfile Format = "potfile"
	// FormatAdobe is the Adobe 2013 dump ("cred"):
	// "id-|-username-|-email-|-encrypted password-|-hint-|--".
	FormatAdobe Format = "adobe"
)

func init() { formats = append(formats, FormatList, FormatPotfile, FormatAdobe) }

// Quarantine reasons of the combolist family.
const (
	ReasonNoHash Reason = "no-hash" // a potfile line that does not start with a hash
	// ReasonOtherSeparator: a line of a decorated combolist that splits
	// only at white space where its entries do not, into two tokens: a
	// short banner or an entry, not to be told apart.
	ReasonOtherSeparator Reason = "other-separator"
	// ReasonBannerOrEntry: a line of a decorated combolist split at white
	// space whose password would hold white space and whose login is no
	// email: a banner of words or an entry, not to be told apart.
	ReasonBannerOrEntry Reason = "banner-or-entry"
)

// parseComboFamily runs the parser of the list, potfile and Adobe formats.
func parseComboFamily(lr *lineReader, cfg *config, em *emitter) error {
	switch cfg.format {
	case FormatList:
		return parseList(lr, cfg, em)
	case FormatPotfile:
		return parsePotfile(lr, em)
	case FormatAdobe:
		return parseAdobe(lr, em)
	}
	return fmt.Errorf("unknown format %q", string(cfg.format))
}

// detectComboFamily tells, from the trimmed non-blank lines of a head,
// whether a file is one of the combolist family that the generic detection
// would misread: an Adobe dump, a potfile, a list of single values, or a
// combolist that carries decoration (banners, numbering, brackets, HTML)
// or an id column. It returns "" when the file is none of them, else the
// format, the delimiter and a short reason for the dry run. It runs after
// the stealer and ULP checks and before the CSV ones; a name ending in
// .csv or .tsv is left to them.
func detectComboFamily(lines [][]byte, cfg *config) (Format, byte, string) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(cfg.name, "\\", "/")))
	switch path.Ext(base) {
	case ".csv", ".tsv", ".tab":
		return "", 0, ""
	}
	if n := adobeLines(lines); n*2 >= len(lines) {
		return FormatAdobe, '|', fmt.Sprintf("%d of %d lines are Adobe 2013 records (id-|-user-|-email-|-password-|-hint-|--)", n, len(lines))
	}
	if ok, why := potfileHead(lines, base); ok {
		return FormatPotfile, ':', why
	}
	if ok, why := listHead(lines); ok {
		return FormatList, 0, why
	}
	// Tables are the CSV detection's: a header row, or rows of three or
	// more comma-separated fields.
	if d, w, frac := csvShape(lines); w >= 2 && looksLikeHeader(splitSimple(lines[0], d), cfg) || d == ',' && w >= 3 && frac >= 0.8 {
		return "", 0, ""
	}
	if sh := shapeOf(lines); sh.claims() {
		return FormatCombo, sh.sep, sh.why
	}
	return "", 0, ""
}

// comboFamilyReason says, for the dry run, why the head text of a file was
// read as a format of the combolist family (or as a decorated combolist):
// the reason detectComboFamily gives, "" when it claims nothing.
func comboFamilyReason(text []byte, cfg *config) string {
	_, _, why := detectComboFamily(headLines(lfHead(text, false), 400), cfg)
	return why
}

func init() {
	for _, f := range []Format{FormatList, FormatPotfile, FormatAdobe, FormatCombo} {
		registerReason(f, comboFamilyReason)
	}
}

package leakparse

import "testing"

// Fuzz targets of the record formats, seeded with every golden input (the
// record formats' goldens among them): each parser keeps the invariants
// checkParse checks whatever its input.

func FuzzLDIF(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatLDIF) })
}

func FuzzVCard(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatVCard) })
}

func FuzzMbox(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatMbox) })
}

func FuzzAutofill(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatAutofill) })
}

func FuzzRedis(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatRedis) })
}

func FuzzMongo(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte("{ a: ObjectId(\"x\"), b: [ Long('1'), new Date(5) ], 'c': 'it\\'s' }\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatMongo) })
}

func FuzzXML(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte("<a><b x=\"1\"><c>d</c></b><b><c>e</c></b></a>"))
	f.Add([]byte("<r><u><k>v</k></u><u><k>\xff</k><u><k>w</k></u></u></r>"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatXML) })
}

func FuzzHTML(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte("<table><tr><th>a<th>b<tr><td>x@example.com<td>y</table>"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatHTML) })
}

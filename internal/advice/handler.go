package advice

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// maxClasses bounds the dataClass parameters of one request.
const maxClasses = 64

// Handler serves the advice as JSON to GET and HEAD requests:
//
//   - ?dataClass=NAME, repeatable: the advice for those classes, as
//     ForBreaches orders it. NAME is what catalog.ParseDataClass accepts.
//   - ?stealerLog=true: adds the StealerLogs advice (first).
//   - neither: the advice for every class, as All returns it.
//
// The answer is a JSON array of Advice. An unknown class name, a bad
// stealerLog value or more than 64 classes get 400 with a JSON body
// {"error": "..."} that does not echo the value sent. Other methods get 405.
// Mount it at /api/advice; it does not look at the path.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := serve(w, r); err != nil {
			writeError(w, err)
		}
	})
}

// requestError is an answer other than success; msg is all a client sees.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func serve(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return &requestError{http.StatusMethodNotAllowed, "method not allowed"}
	}
	q := r.URL.Query()
	names, hasNames := q["dataClass"]
	sl, hasSL := q["stealerLog"]
	var out []Advice
	if !hasNames && !hasSL {
		out = All()
	} else {
		if len(names) > maxClasses {
			return &requestError{http.StatusBadRequest, "too many dataClass parameters (at most " + strconv.Itoa(maxClasses) + ")"}
		}
		b := catalog.Breach{DataClasses: make([]string, 0, len(names))}
		for i, n := range names {
			if _, ok := catalog.ParseDataClass(n); !ok {
				return &requestError{http.StatusBadRequest, "unknown data class in dataClass parameter " + strconv.Itoa(i+1)}
			}
			b.DataClasses = append(b.DataClasses, n)
		}
		if hasSL {
			v, err := strconv.ParseBool(sl[len(sl)-1])
			if err != nil || len(sl) > 1 {
				return &requestError{http.StatusBadRequest, "stealerLog must be given once, as true or false"}
			}
			b.IsStealerLog = v
		}
		out = ForBreaches([]catalog.Breach{b})
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// writeError writes err as a JSON error. An error that is not a
// requestError is a bug and gets a bare 500: its text is never sent.
func writeError(w http.ResponseWriter, err error) {
	var re *requestError
	if !errors.As(err, &re) {
		re = &requestError{http.StatusInternalServerError, "internal server error"}
	}
	body, _ := json.Marshal(map[string]string{"error": re.msg})
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(re.status)
	w.Write(body)
}

package templates

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// codeEscaper escapes text inside an element.
var codeEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// codeWriter is what Code writes with: templ's buffer, bytes.Buffer and
// bufio.Writer are.
type codeWriter interface {
	io.Writer
	io.StringWriter
}

// Code renders a file: a gutter of line numbers beside the highlighted
// text. The code element's text is exactly the file, so copying it (by the
// button or by selection) gives the file; changed lines are wrapped in a
// block that marks them across the full width.
func Code(f PreviewFile) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		b, direct := w.(codeWriter)
		if !direct {
			buf := bufio.NewWriter(w)
			defer buf.Flush()
			b = buf
		}
		b.WriteString(`<span class="gutter" aria-hidden="true">`)
		for i := range f.Lines {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(strconv.Itoa(i + 1))
		}
		b.WriteString(`</span><code id="code-`)
		b.WriteString(templ.EscapeString(f.ID))
		b.WriteString(`" class="lang-`)
		b.WriteString(templ.EscapeString(f.Lang))
		b.WriteString(`">`)
		for i, l := range f.Lines {
			last := i == len(f.Lines)-1
			if l.Changed {
				b.WriteString(`<span class="chg">`)
			}
			for _, t := range l.Tokens {
				if t.Class == "" {
					codeEscaper.WriteString(b, t.Text)
					continue
				}
				b.WriteString(`<span class="`)
				b.WriteString(t.Class)
				b.WriteString(`">`)
				codeEscaper.WriteString(b, t.Text)
				b.WriteString(`</span>`)
			}
			if !last || f.EOL {
				b.WriteString("\n")
			}
			if l.Changed {
				b.WriteString("</span>")
			}
		}
		_, err := b.WriteString("</code>")
		return err
	})
}

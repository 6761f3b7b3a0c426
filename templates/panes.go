package templates

import (
	"bytes"
	"context"
	"hash/fnv"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// RenderedPane is a file pane's body and its key.
type RenderedPane struct {
	Body []byte
	Key  string
}

// RenderPanes renders every file's pane body once and keys it (see
// previewPane), so the app can tell how many panes the page already holds
// before it answers, and the answer does not render them again.
func (p *Preview) RenderPanes(ctx context.Context) error {
	p.Rendered = make([]RenderedPane, len(p.Files))
	for i, f := range p.Files {
		var err error
		if p.Rendered[i], err = renderPane(ctx, *p, f); err != nil {
			p.Rendered = nil
			return err
		}
	}
	return nil
}

// Kept counts the panes the page holds already (p.OnScreen names them);
// it needs RenderPanes first.
func (p *Preview) Kept() int {
	n := 0
	for i, r := range p.Rendered {
		if p.OnScreen[p.Files[i].ID+" "+r.Key] {
			n++
		}
	}
	return n
}

// renderPane renders f's pane body and keys it. The key also covers what
// the preview's section says of the whole (compact; a draft, that is
// example values stand in): a partial answer does not swap the section, so
// when that changes every key does, and the whole panel comes.
func renderPane(ctx context.Context, p Preview, f PreviewFile) (RenderedPane, error) {
	var body bytes.Buffer
	if err := paneBody(f).Render(ctx, &body); err != nil {
		return RenderedPane{}, err
	}
	h := fnv.New64a()
	h.Write([]byte{flag(p.Compact), flag(len(p.Examples) > 0)})
	h.Write(body.Bytes())
	return RenderedPane{Body: body.Bytes(), Key: strconv.FormatUint(h.Sum64(), 36)}, nil
}

// previewPane renders the i-th file's pane. Its key is a hash of the
// pane's body (the markup that shows the file: its head, its highlighted
// and marked lines), carried in the pane's hidden "pane" field, so a
// preview knows which panes the page already holds: with oob, a pane whose
// id and key the page posted (p.OnScreen) is left out, and any other is
// sent for htmx to swap out of band. The key covers whatever the body
// shows, so a pane is never kept that would look different. The pane's
// hidden state is not in the key: it follows the tab the page posted,
// which the page shows already.
func previewPane(p Preview, i int, oob bool) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		f := p.Files[i]
		var r RenderedPane
		if i < len(p.Rendered) {
			r = p.Rendered[i]
		} else {
			var err error
			if r, err = renderPane(ctx, p, f); err != nil {
				return err
			}
		}
		attrs := templ.Attributes{}
		if oob {
			if p.OnScreen[f.ID+" "+r.Key] {
				return nil
			}
			attrs["hx-swap-oob"] = "true"
		}
		return panel(p, f, r.Key, attrs, rawBytes(r.Body)).Render(ctx, w)
	})
}

// rawBytes writes markup already rendered.
func rawBytes(b []byte) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

func flag(b bool) byte {
	if b {
		return 1
	}
	return 0
}

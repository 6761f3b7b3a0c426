package templates

import (
	"bytes"
	"context"
	"hash/fnv"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// previewPane renders a file's pane. Its key is a hash of the pane's body
// (the markup that shows the file: its head, its highlighted and marked
// lines), carried in the pane's hidden "pane" field, so a preview knows
// which panes the page already holds: with oob, a pane whose id and key
// the page posted (p.OnScreen) is left out, and any other is sent for
// htmx to swap out of band. The key covers whatever the body shows, so a
// pane is never kept that would look different. The pane's hidden state
// is not in the key: it follows the tab the page posted, which the page
// shows already.
func previewPane(p Preview, f PreviewFile, oob bool) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		var body bytes.Buffer
		if err := paneBody(f).Render(ctx, &body); err != nil {
			return err
		}
		h := fnv.New64a()
		h.Write(body.Bytes())
		key := strconv.FormatUint(h.Sum64(), 36)
		attrs := templ.Attributes{}
		if oob {
			if p.OnScreen[f.ID+" "+key] {
				return nil
			}
			attrs["hx-swap-oob"] = "true"
		}
		return panel(p, f, key, attrs, templ.Raw(body.String())).Render(ctx, w)
	})
}

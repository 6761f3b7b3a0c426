// A counting reverse proxy on loopback: the browser talks to it, it
// forwards every request to target and records what reached target, so a
// test can tell which requests a host really got.
import { request as httpRequest, createServer } from 'node:http';

// countingProxy starts the proxy. seen lists {method, path, go} for every
// request forwarded since the last reset(); go is true when the answer
// carries goHeader (the Worker's Go answered, not a static asset).
export async function countingProxy(target, goHeader = 'x-wizard-go') {
  const t = new URL(target);
  let seen = [];
  const server = createServer((req, res) => {
    const up = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (r) => {
      seen.push({ method: req.method, path: req.url, go: r.headers[goHeader] !== undefined });
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
    req.pipe(up);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    seen: () => seen,
    reset: () => { seen = []; },
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

// A plain static file server for dist/ on 127.0.0.1: what `make serve` and the browser tests use
// to serve the release build exactly as a static host would (no build tool in between, no
// injected reload script). Plain Node, no dependencies.
//
//   node scripts/serve.mjs [DIR] [PORT]     defaults: dist 8080; PORT 0 picks a free port

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves `dir` on 127.0.0.1:`port` (0 = any free port).
 * @returns {Promise<{ url: string, close: () => Promise<void>, requests: string[] }>}
 *   `requests` lists every path asked for, in order.
 */
export function serve(dir, port = 0, { log = false } = {}) {
  const root = resolve(dir);
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      return send(res, 400, "text/plain; charset=utf-8", "bad request\n");
    }
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      return send(res, 403, "text/plain; charset=utf-8", "forbidden\n");
    }
    try {
      const body = await readFile(file);
      send(res, 200, TYPES[extname(file)] ?? "application/octet-stream", body, req.method === "HEAD");
    } catch {
      send(res, 404, "text/plain; charset=utf-8", "not found\n");
    }
    if (log) console.log(`${res.statusCode} ${req.method} ${req.url}`);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${actual}/`,
        requests,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

function send(res, status, type, body, headOnly = false) {
  res.writeHead(status, {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(headOnly ? undefined : body);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2] ?? "dist";
  const port = Number(process.argv[3] ?? 8080);
  serve(dir, port, { log: true }).then(
    ({ url }) => {
      console.log(`Serving ${dir}/ at ${url}  (the single file: ${url}samlmeta.html). Ctrl-C stops.`);
    },
    (e) => {
      console.error(`cannot serve on 127.0.0.1:${port}: ${e.message}`);
      process.exit(1);
    },
  );
}

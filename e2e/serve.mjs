// A tiny static file server for the end-to-end test: serves a folder on 127.0.0.1 at a
// free port, with the MIME types a trunk build needs (application/wasm for streaming),
// at the root or under a sub-path (as a static host such as GitHub Pages would).
//
//   node e2e/serve.mjs [dir] [port] [prefix]     serve dir (default dist/) by hand, at
//                                               prefix (default /; e.g. /ringlab/)

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".toml": "text/plain; charset=utf-8",
};

/** "/ringlab", "ringlab/", "/ringlab/" → "/ringlab/"; "", "/" → "/". */
export const mountPath = (prefix) => `/${prefix.replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");

/**
 * Serves `dir` at `prefix` (default "/": the root; "/ringlab/": under that sub-path, with
 * "/ringlab" redirected to "/ringlab/" and anything outside it not found); resolves to the
 * listening http.Server.
 */
export function serveDir(dir, port = 0, { prefix = "/" } = {}) {
  const base = path.resolve(dir);
  const mount = mountPath(prefix);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (mount !== "/" && url.pathname === mount.slice(0, -1)) {
      res.writeHead(301, { location: mount + url.search }).end();
      return;
    }
    if (!url.pathname.startsWith(mount)) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`not found (this server serves ${mount} only)`);
      return;
    }
    const urlPath = decodeURIComponent(url.pathname.slice(mount.length - 1));
    let file = path.join(base, urlPath);
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? "dist";
  const prefix = process.argv[4] ?? "/";
  const server = await serveDir(dir, Number(process.argv[3] ?? 8081), { prefix });
  console.log(`serving ${dir} at http://127.0.0.1:${server.address().port}${mountPath(prefix)}`);
}

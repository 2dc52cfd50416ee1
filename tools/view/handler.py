"""tools/view/handler.py: the view's HTTP requests: the page's own files (from this folder
only, nothing from the network) and /events?from=N, the trace records from the N-th on
with the header and whether the kernel is still running, as JSON.
"""
import http.server
import json
import os
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {"/": ("index.html", "text/html"), "/view.css": ("view.css", "text/css"),
         "/model.js": ("model.js", "text/javascript"), "/draw.js": ("draw.js", "text/javascript"),
         "/view.js": ("view.js", "text/javascript")}
MOST = 20000          # records per answer: a long trace arrives in several


class Handler(http.server.BaseHTTPRequestHandler):
    follower = None   # set by serve.py: the Follower of the trace
    status = None     # a function: "running", "exited N" or "following"

    def send(self, code, kind, body):
        self.send_response(code)
        self.send_header("Content-Type", kind + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def events(self, query):
        try:
            first = max(0, int(query.get("from", ["0"])[0]))
        except ValueError:
            return self.send(400, "text/plain", b"from=N: N is a number\n")
        records, finished = self.follower.since(first)
        answer = {"header": self.follower.header, "from": first, "records": records[:MOST],
                  "finished": finished and len(records) <= MOST, "status": self.status()}
        self.send(200, "application/json", json.dumps(answer).encode())

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/events":
            return self.events(urllib.parse.parse_qs(url.query))
        if url.path not in FILES:
            return self.send(404, "text/plain", b"not found\n")
        name, kind = FILES[url.path]
        with open(os.path.join(HERE, name), "rb") as f:
            self.send(200, kind, f.read())

    def log_message(self, fmt, *args):
        pass          # the console belongs to the kernel

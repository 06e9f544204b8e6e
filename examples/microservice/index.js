// The tutorial's microservice without express: node:http only, so a raw_exec task can run it as is.
//   GET /health -> "ok"
//   GET /       -> "Hello from <name>@<version>" and a log line "Called to <name>@<version> at <date>"
'use strict';
const http = require('http');
const path = require('path');
const packageInfo = require(path.join(__dirname, 'package.json'));

// the job may pin the version it deploys (APP_VERSION in the task's env), as an image tag would
const id = `${packageInfo.name}@${process.env.APP_VERSION || packageInfo.version}`;
const port = Number(process.env.PORT || process.env.NOMAD_PORT_http || 3000);

const server = http.createServer((req, res) => {
  const url = new URL(req.url || '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'Content-Type': 'text/plain' });
    res.end('method not allowed\n');
    return;
  }
  if (url.pathname === '/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (url.pathname === '/') {
    console.log(`Called to ${id} at ${new Date().toString()}`);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`Hello from ${id}`);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found\n');
});

server.listen(port, () => console.log(`${id} listening on port ${port}`));

// Nomad stops a task with SIGINT/SIGTERM (kill_signal); close cleanly so the stop is quick.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}

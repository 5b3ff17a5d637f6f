// An OTLP/HTTP sink in its own process: reads each request body and answers 200 {} so exporters
// succeed, without its CPU counting against the process being measured. Prints its port.
import http from 'node:http';

const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));

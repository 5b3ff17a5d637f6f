/**
 * The HTTP ceiling for the ingest bench: a Koa app on the collector's server setup that reads each
 * OTLP body to its end and answers 200 with an empty ExportTraceServiceResponse, doing nothing else.
 * Whatever the collector's throughput is, it cannot beat this on the same machine with the same clients.
 * Run as a process: prints its port on stdout.
 */
import http from 'node:http';
import Koa from 'koa';

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/v1/traces') return void (ctx.status = 404);
  for await (const chunk of ctx.req) void chunk; // read, like the collector, to the last byte
  ctx.type = 'application/x-protobuf';
  ctx.body = Buffer.alloc(0);
});

const server = http.createServer({ requestTimeout: 300_000, headersTimeout: 60_000 }, app.callback());
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
